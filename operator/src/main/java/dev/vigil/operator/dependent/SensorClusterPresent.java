package dev.vigil.operator.dependent;

import dev.vigil.api.v1alpha1.TapAssignment;
import dev.vigil.operator.reconciler.Lookups;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;

/** Sensor children are only made while the tap's SensorCluster exists. */
public class SensorClusterPresent implements Condition<Object, TapAssignment> {
  @Override
  public boolean isMet(
      DependentResource<Object, TapAssignment> dependent,
      TapAssignment tap,
      Context<TapAssignment> context) {
    return Lookups.sensorCluster(
            context, tap.getMetadata().getNamespace(), tap.getSpec().getSensorCluster())
        .isPresent();
  }
}
