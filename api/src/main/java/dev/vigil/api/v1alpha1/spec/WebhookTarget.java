package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Required;

/** A generic webhook receiving each alert as a JSON POST. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WebhookTarget {

  @Required
  @JsonPropertyDescription("Secret key holding the URL (which may embed a token).")
  private SecretKeyRef urlSecretRef;

  @JsonPropertyDescription(
      "Secret key holding a bearer token sent as Authorization header; unset sends none.")
  private SecretKeyRef tokenSecretRef;

  public SecretKeyRef getUrlSecretRef() {
    return urlSecretRef;
  }

  public void setUrlSecretRef(SecretKeyRef urlSecretRef) {
    this.urlSecretRef = urlSecretRef;
  }

  public SecretKeyRef getTokenSecretRef() {
    return tokenSecretRef;
  }

  public void setTokenSecretRef(SecretKeyRef tokenSecretRef) {
    this.tokenSecretRef = tokenSecretRef;
  }
}
