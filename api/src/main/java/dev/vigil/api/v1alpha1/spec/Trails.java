package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** Threat-intelligence trails: IPs, domains and URLs to alert on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Trails {

  @Size(max = 64)
  @JsonPropertyDescription(
      "ConfigMaps holding trail files in Maltrail's static formats; reloaded when they change.")
  private List<TrailConfigMap> configMaps;

  @Size(max = 1024)
  @JsonPropertyDescription("Trails written directly in the policy.")
  private List<TrailEntry> inline;

  public List<TrailConfigMap> getConfigMaps() {
    return configMaps;
  }

  public void setConfigMaps(List<TrailConfigMap> configMaps) {
    this.configMaps = configMaps;
  }

  public List<TrailEntry> getInline() {
    return inline;
  }

  public void setInline(List<TrailEntry> inline) {
    this.inline = inline;
  }
}
