package dev.vigil.operator.model;

import dev.vigil.api.v1alpha1.HostAgent;
import dev.vigil.api.v1alpha1.SensorCluster;
import dev.vigil.api.v1alpha1.TapAssignment;
import io.fabric8.kubernetes.client.utils.Serialization;

/** CRs as a platform engineer writes them, parsed the way the API server would hand them over. */
public final class Fixtures {

  private Fixtures() {}

  public static SensorCluster sensorCluster(String captureYaml) {
    return Serialization.unmarshal(
        """
        apiVersion: vigil.dev/v1alpha1
        kind: SensorCluster
        metadata: {name: core, namespace: vigil, generation: 3}
        spec:
          image: registry.example/vigil/sensor:1.0
          capture:
        %s
          resources: {cpus: 4, memory: 8Gi}
          internalNetworks: [10.0.0.0/8, 2001:db8::/32]
          detectorPolicySelector: {matchLabels: {site: cscs}}
          alertPipelineRef: {name: main}
          tolerations: [{key: vigil.dev/sensor, operator: Exists, effect: NoSchedule}]
        """
            .formatted(captureYaml.indent(4).stripTrailing()),
        SensorCluster.class);
  }

  public static TapAssignment tap(String interfaceYaml, int workers) {
    return Serialization.unmarshal(
        """
        apiVersion: vigil.dev/v1alpha1
        kind: TapAssignment
        metadata: {name: border-a, namespace: vigil, generation: 1}
        spec:
          sensorCluster: core
          link: {name: border-a, speedGbps: 100, source: opticalTap, direction: both}
          nodeName: sensor-01
          interface:
        %s
          workers: %d
        """
            .formatted(interfaceYaml.indent(4).stripTrailing(), workers),
        TapAssignment.class);
  }

  public static HostAgent hostAgent(String rolloutYaml) {
    return Serialization.unmarshal(
        """
        apiVersion: vigil.dev/v1alpha1
        kind: HostAgent
        metadata: {name: compute, namespace: vigil, generation: 1}
        spec:
          image: registry.example/vigil/agent:1.0
          nodeSelector: {partition: compute}
          priorityClassName: system-node-critical
          %s
        """
            .formatted(rolloutYaml),
        HostAgent.class);
  }
}
