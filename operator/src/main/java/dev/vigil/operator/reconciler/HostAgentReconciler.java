package dev.vigil.operator.reconciler;

import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.api.v1alpha1.status.HostAgentStatus;
import dev.vigil.operator.dependent.AgentDaemonSetDependent;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** HostAgent → agent DaemonSet; status reports nodes desired/ready/updated. */
@Workflow(dependents = {@Dependent(name = "agent-daemonset", type = AgentDaemonSetDependent.class)})
@ApplicationScoped
@ControllerConfiguration(name = "hostagent")
public class HostAgentReconciler implements Reconciler<HostAgent> {

  private final EventRecorder events;

  public HostAgentReconciler(EventRecorder events) {
    this.events = events;
  }

  @Override
  public List<EventSource<?, HostAgent>> prepareEventSources(
      EventSourceContext<HostAgent> context) {
    return List.of(EventSources.policies(context), EventSources.alertPipelines(context));
  }

  @Override
  public UpdateControl<HostAgent> reconcile(HostAgent agent, Context<HostAgent> context) {
    DaemonSetStatus ds =
        context
            .getSecondaryResource(DaemonSet.class)
            .map(DaemonSet::getStatus)
            .orElse(new DaemonSetStatus());
    HostAgentStatus status = new HostAgentStatus();
    int desired = n(ds.getDesiredNumberScheduled());
    int ready = n(ds.getNumberReady());
    int updated = n(ds.getUpdatedNumberScheduled());
    status.setDesiredNodes(desired);
    status.setReadyNodes(ready);
    status.setUpdatedNodes(updated);
    Conditions conditions = new Conditions(agent.getMetadata().getGeneration());
    String summary = ready + "/" + desired + " nodes ready, " + updated + " updated";
    var pipelineRef = agent.getSpec().getAlertPipelineRef();
    String ns = agent.getMetadata().getNamespace();
    if (pipelineRef != null && Lookups.alertPipeline(context, ns, pipelineRef).isEmpty()) {
      conditions.degraded(
          Reason.AlertPipelineMissing.name(),
          "AlertPipeline '"
              + pipelineRef.getName()
              + "' does not exist in namespace '"
              + ns
              + "'; agents write local events only until it does");
    } else if (ready == desired && updated == desired) {
      conditions.ready(Reason.Ready.name(), summary);
    } else {
      conditions.progressing(Reason.RollingOut.name(), summary);
    }
    return StatusUpdates.patchIfChanged(
        agent, conditions.applyTo(status, agent.getStatus()), events);
  }

  private static int n(Integer v) {
    return v == null ? 0 : v;
  }
}
