package dev.vigil.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Alert severity, lowest first; routes page on a minimum severity. */
public enum Severity {
  @JsonProperty("info")
  INFO,
  @JsonProperty("low")
  LOW,
  @JsonProperty("medium")
  MEDIUM,
  @JsonProperty("high")
  HIGH,
  @JsonProperty("critical")
  CRITICAL
}
