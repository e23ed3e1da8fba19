package dev.vigil.operator;

import dev.vigil.operator.reconciler.AlertPipelineReconciler;
import dev.vigil.operator.reconciler.DetectorPolicyReconciler;
import dev.vigil.operator.reconciler.HostAgentReconciler;
import dev.vigil.operator.reconciler.SensorClusterReconciler;
import dev.vigil.operator.reconciler.TapAssignmentReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the Java Operator SDK inside Quarkus: one {@link Operator} with Vigil's reconcilers, the
 * Quarkus-managed Kubernetes client, Micrometer metrics (reconciles, durations, errors per kind on
 * /q/metrics) and optional leader election (only the leader reconciles).
 */
@ApplicationScoped
public class VigilOperator {

  private static final Logger LOG = Logger.getLogger(VigilOperator.class);

  private final KubernetesClient client;
  private final MeterRegistry registry;
  private final TapAssignmentReconciler taps;
  private final SensorClusterReconciler sensorClusters;
  private final HostAgentReconciler hostAgents;
  private final DetectorPolicyReconciler policies;
  private final AlertPipelineReconciler pipelines;
  private final boolean leaderElection;
  private final String leaseName;
  private final Optional<String> leaseNamespace;
  private final boolean start;
  private Operator operator;

  public VigilOperator(
      KubernetesClient client,
      MeterRegistry registry,
      TapAssignmentReconciler taps,
      SensorClusterReconciler sensorClusters,
      HostAgentReconciler hostAgents,
      DetectorPolicyReconciler policies,
      AlertPipelineReconciler pipelines,
      @ConfigProperty(name = "vigil.operator.leader-election.enabled", defaultValue = "true")
          boolean leaderElection,
      @ConfigProperty(
              name = "vigil.operator.leader-election.lease-name",
              defaultValue = "vigil-operator")
          String leaseName,
      @ConfigProperty(name = "vigil.operator.leader-election.lease-namespace")
          Optional<String> leaseNamespace,
      @ConfigProperty(name = "vigil.operator.start", defaultValue = "true") boolean start) {
    this.client = client;
    this.registry = registry;
    this.taps = taps;
    this.sensorClusters = sensorClusters;
    this.hostAgents = hostAgents;
    this.policies = policies;
    this.pipelines = pipelines;
    this.leaderElection = leaderElection;
    this.leaseName = leaseName;
    this.leaseNamespace = leaseNamespace;
    this.start = start;
  }

  void onStart(@Observes StartupEvent event) {
    if (!start) {
      LOG.info("vigil.operator.start=false: not reconciling");
      return;
    }
    operator =
        new Operator(
            o -> {
              o.withKubernetesClient(client)
                  .withCloseClientOnStop(false)
                  .withUseSSAToPatchPrimaryResource(true)
                  .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
              if (leaderElection) {
                o.withLeaderElectionConfiguration(
                    leaseNamespace
                        .map(ns -> new LeaderElectionConfiguration(leaseName, ns))
                        .orElseGet(() -> new LeaderElectionConfiguration(leaseName)));
              }
            });
    operator.register(taps);
    operator.register(sensorClusters);
    operator.register(hostAgents);
    operator.register(policies);
    operator.register(pipelines);
    operator.start();
    LOG.infof(
        "Vigil operator started: %d controllers, leader election %s",
        operator.getRegisteredControllersNumber(), leaderElection ? "on" : "off");
  }

  void onStop(@Observes ShutdownEvent event) {
    if (operator != null) {
      operator.stop();
    }
  }

  /** The running operator, or null before start / when disabled. */
  public Operator operator() {
    return operator;
  }
}
