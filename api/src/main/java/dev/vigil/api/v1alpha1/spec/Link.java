package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A monitored network link and how its copy of the traffic reaches the sensor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(self.source == 'erspan') == has(self.erspanSessionId)",
    message = "link.erspanSessionId is required for source erspan and not allowed otherwise",
    fieldPath = ".erspanSessionId")
public class Link {

  /** Where the copy of the link's traffic comes from. */
  public enum Source {
    /** Passive optical tap: both directions, nothing dropped. */
    @JsonProperty("opticalTap")
    OPTICAL_TAP,
    /** Switch SPAN/mirror port: may drop under load. */
    @JsonProperty("span")
    SPAN,
    /** Packet broker output (filtered, deduplicated, load-balanced). */
    @JsonProperty("packetBroker")
    PACKET_BROKER,
    /** ERSPAN (GRE-encapsulated mirror) sent to the sensor over the network. */
    @JsonProperty("erspan")
    ERSPAN
  }

  /** Which directions of the link the copy carries. */
  public enum Direction {
    @JsonProperty("both")
    BOTH,
    @JsonProperty("ingress")
    INGRESS,
    @JsonProperty("egress")
    EGRESS
  }

  @Required
  @Size(min = 1, max = 63)
  @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
  @JsonPropertyDescription("Short name of the link, e.g. border-1 or wan-400g (a DNS label).")
  private String name;

  @Required
  @Min(1)
  @Max(1600)
  @JsonPropertyDescription(
      "Link speed in Gbit/s, e.g. 100 or 400; used to size and alert on drops.")
  private Integer speedGbps;

  @Required
  @JsonPropertyDescription("opticalTap, span, packetBroker or erspan.")
  private Source source;

  @Default("both")
  @JsonPropertyDescription(
      "both, ingress or egress (relative to the site). A one-direction copy halves flow records.")
  private Direction direction;

  @Min(0)
  @Max(1023)
  @JsonPropertyDescription("ERSPAN session ID to accept; required when source is erspan.")
  private Integer erspanSessionId;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getSpeedGbps() {
    return speedGbps;
  }

  public void setSpeedGbps(Integer speedGbps) {
    this.speedGbps = speedGbps;
  }

  public Source getSource() {
    return source;
  }

  public void setSource(Source source) {
    this.source = source;
  }

  public Direction getDirection() {
    return direction;
  }

  public void setDirection(Direction direction) {
    this.direction = direction;
  }

  public Integer getErspanSessionId() {
    return erspanSessionId;
  }

  public void setErspanSessionId(Integer erspanSessionId) {
    this.erspanSessionId = erspanSessionId;
  }
}
