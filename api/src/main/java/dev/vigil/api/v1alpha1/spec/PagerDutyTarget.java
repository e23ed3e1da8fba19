package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Required;

/** PagerDuty Events API v2. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PagerDutyTarget {

  @Required
  @JsonPropertyDescription("Secret key holding the integration's routing key.")
  private SecretKeyRef routingKeySecretRef;

  public SecretKeyRef getRoutingKeySecretRef() {
    return routingKeySecretRef;
  }

  public void setRoutingKeySecretRef(SecretKeyRef routingKeySecretRef) {
    this.routingKeySecretRef = routingKeySecretRef;
  }
}
