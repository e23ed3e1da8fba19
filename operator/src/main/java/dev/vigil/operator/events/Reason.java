package dev.vigil.operator.events;

/** Every reason the operator records an event or a condition with. */
public enum Reason {
  /** All children exist and report ready. */
  Ready,
  /** Children were created or changed and are rolling out. */
  RollingOut,
  /** A TapAssignment names a SensorCluster that does not exist in its namespace. */
  SensorClusterMissing,
  /** A referenced node does not exist. */
  NodeMissing,
  /** A SensorCluster has a tap that is degraded. */
  TapDegraded,
  /** A SensorCluster has no TapAssignment yet. */
  NoTaps,
  /** A DetectorPolicy compiled and its ConfigMap is current. */
  PolicyCompiled,
  /** A DetectorPolicy references a trail ConfigMap or key that does not exist. */
  TrailMissing,
  /** A trail file has a line that is not a Maltrail static trail. */
  TrailMalformed,
  /** The AlertPipeline's OpenSearch answered and templates are installed. */
  Connected,
  /** The AlertPipeline's OpenSearch cannot be reached or refused the request. */
  OpenSearchUnreachable,
  /** A SensorCluster or HostAgent names an AlertPipeline that does not exist in its namespace. */
  AlertPipelineMissing,
  /** A referenced Secret or key does not exist. */
  SecretMissing,
  /** A referenced Secret's value cannot be used (e.g. a CA key that holds no PEM certificate). */
  SecretInvalid,
  /** OpenSearch refused an index template, e.g. a codec its plugins do not provide. */
  TemplateRejected,
  /** Old daily indices were deleted to keep within the retention budget. */
  RetentionEnforced,
  /** OpenSearch refused to delete an index that retention selected. */
  RetentionFailed,
  /** An alert route's Secret or key is missing or holds no usable value. */
  RouteInvalid
}
