package dev.vigil.api.v1alpha1.spec;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.vigil.api.v1alpha1.ItemMaxLength;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.api.v1alpha1.SecretName;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Connection to and index layout in OpenSearch. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!has(self.caSecretRef) || !self.endpoints.exists(e, e.startsWith('http://'))",
    message = "opensearch.caSecretRef is set but an endpoint uses http://; use https:// endpoints")
public class OpenSearch {

  /** Index codec (index.codec). */
  public enum Codec {
    @JsonProperty("default")
    DEFAULT,
    @JsonProperty("best_compression")
    BEST_COMPRESSION,
    @JsonProperty("zstd")
    ZSTD,
    @JsonProperty("zstd_no_dict")
    ZSTD_NO_DICT
  }

  @ItemMaxLength(512)
  @Required
  @Size(min = 1, max = 16)
  @ValidationRule(
      value =
          "self.all(e, isURL(e) && (e.startsWith('https://') || e.startsWith('http://'))"
              + " && url(e).getHostname() != '')",
      messageExpression =
          "'opensearch.endpoints must be URLs such as https://opensearch.example:9200; not: '"
              + " + self.filter(e, !(isURL(e) && (e.startsWith('https://')"
              + " || e.startsWith('http://')) && url(e).getHostname() != ''))[0]")
  @JsonPropertyDescription("Node URLs, e.g. https://opensearch-0.example:9200.")
  private List<String> endpoints;

  @JsonPropertyDescription(
      "Secret holding the username (key 'username') and password (key 'password') of the"
          + " writer. Unset: no authentication.")
  private SecretName credentialsSecretRef;

  @JsonPropertyDescription(
      "Secret key holding the PEM CA bundle that signed the node certificates.")
  private SecretKeyRef caSecretRef;

  @Default("vigil")
  @Size(min = 1, max = 64)
  @Pattern("^[a-z0-9][a-z0-9_-]*$")
  @JsonPropertyDescription(
      "Prefix of index and data stream names (lowercase), e.g. vigil gives vigil-conn-*.")
  private String indexPrefix;

  @Default("1")
  @Min(1)
  @Max(1024)
  @JsonPropertyDescription("Primary shards per index.")
  private Integer shards;

  @Default("1")
  @Min(0)
  @Max(16)
  @JsonPropertyDescription("Replica shards per primary.")
  private Integer replicas;

  @Default("best_compression")
  @JsonPropertyDescription("Index codec: default, best_compression, zstd or zstd_no_dict.")
  private Codec codec;

  public List<String> getEndpoints() {
    return endpoints;
  }

  public void setEndpoints(List<String> endpoints) {
    this.endpoints = endpoints;
  }

  public SecretName getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretName credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  public SecretKeyRef getCaSecretRef() {
    return caSecretRef;
  }

  public void setCaSecretRef(SecretKeyRef caSecretRef) {
    this.caSecretRef = caSecretRef;
  }

  public String getIndexPrefix() {
    return indexPrefix;
  }

  public void setIndexPrefix(String indexPrefix) {
    this.indexPrefix = indexPrefix;
  }

  public Integer getShards() {
    return shards;
  }

  public void setShards(Integer shards) {
    this.shards = shards;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }

  public Codec getCodec() {
    return codec;
  }

  public void setCodec(Codec codec) {
    this.codec = codec;
  }
}
