package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import io.fabric8.generator.annotation.Required;

/** Slack incoming webhook. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlackTarget {

  @Required
  @JsonPropertyDescription("Secret key holding the incoming-webhook URL (it embeds a token).")
  private SecretKeyRef webhookSecretRef;

  public SecretKeyRef getWebhookSecretRef() {
    return webhookSecretRef;
  }

  public void setWebhookSecretRef(SecretKeyRef webhookSecretRef) {
    this.webhookSecretRef = webhookSecretRef;
  }
}
