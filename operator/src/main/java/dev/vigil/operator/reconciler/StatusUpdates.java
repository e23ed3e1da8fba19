package dev.vigil.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.VigilStatus;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.status.Conditions;
import io.fabric8.kubernetes.client.CustomResource;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;

/**
 * The status aggregator's last step: patch status only when it changed (so an operator at rest
 * writes nothing), and record an event when the Ready or Degraded condition flips.
 */
public final class StatusUpdates {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusUpdates() {}

  public static <S extends VigilStatus, R extends CustomResource<?, S>>
      UpdateControl<R> patchIfChanged(R resource, S next, EventRecorder events) {
    S previous = resource.getStatus();
    if (same(previous, next)) {
      return UpdateControl.noUpdate();
    }
    recordTransitions(resource, previous, next, events);
    resource.setStatus(next);
    return UpdateControl.patchStatus(resource);
  }

  static boolean same(VigilStatus a, VigilStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    JsonNode x = JSON.valueToTree(a);
    JsonNode y = JSON.valueToTree(b);
    return x.equals(y);
  }

  private static void recordTransitions(
      CustomResource<?, ?> resource, VigilStatus previous, VigilStatus next, EventRecorder events) {
    Condition degraded = Conditions.find(next, Condition.Type.DEGRADED);
    Condition wasDegraded = Conditions.find(previous, Condition.Type.DEGRADED);
    if (degraded != null
        && degraded.getStatus() == Condition.Status.TRUE
        && (wasDegraded == null
            || wasDegraded.getStatus() != Condition.Status.TRUE
            || !degraded.getReason().equals(wasDegraded.getReason()))) {
      events.warning(resource, reasonOf(degraded), degraded.getMessage());
      return;
    }
    boolean ready = Conditions.isTrue(next, Condition.Type.READY);
    if (ready && !Conditions.isTrue(previous, Condition.Type.READY)) {
      Condition c = Conditions.find(next, Condition.Type.READY);
      events.normal(resource, reasonOf(c), c.getMessage());
    }
  }

  private static Reason reasonOf(Condition c) {
    try {
      return Reason.valueOf(c.getReason());
    } catch (IllegalArgumentException | NullPointerException e) {
      return Reason.Ready;
    }
  }
}
