package dev.vigil.testing;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.Map;

/**
 * Renders what a person needs after a failed IT: the status of every Vigil custom resource in the
 * namespace, and the namespace's events in time order.
 */
public final class ClusterDump {

  /** CRDs whose group ends with this are dumped. */
  public static final String GROUP_SUFFIX = "vigil.dev";

  private ClusterDump() {}

  public static String dump(KubernetesClient client, String namespace, String title) {
    StringBuilder out = new StringBuilder();
    out.append("==== ").append(title).append(" — namespace ").append(namespace).append(" ====\n");
    try {
      for (CustomResourceDefinition crd :
          client.apiextensions().v1().customResourceDefinitions().list().getItems()) {
        if (!crd.getSpec().getGroup().endsWith(GROUP_SUFFIX)) {
          continue;
        }
        String version =
            crd.getSpec().getVersions().stream()
                .filter(CustomResourceDefinitionVersion::getStorage)
                .map(CustomResourceDefinitionVersion::getName)
                .findFirst()
                .orElse(crd.getSpec().getVersions().get(0).getName());
        String apiVersion = crd.getSpec().getGroup() + "/" + version;
        String kind = crd.getSpec().getNames().getKind();
        for (GenericKubernetesResource r :
            client
                .genericKubernetesResources(apiVersion, kind)
                .inNamespace(namespace)
                .list()
                .getItems()) {
          Object status = r.getAdditionalProperties().get("status");
          out.append("-- ")
              .append(kind)
              .append('/')
              .append(r.getMetadata().getName())
              .append(" generation=")
              .append(r.getMetadata().getGeneration())
              .append('\n')
              .append(
                  status instanceof Map<?, ?>
                      ? client.getKubernetesSerialization().asYaml(status)
                      : "   (no status)\n");
        }
      }
      out.append("-- events\n");
      client.events().v1().events().inNamespace(namespace).list().getItems().stream()
          .sorted(
              Comparator.comparing(
                  e -> e.getMetadata().getCreationTimestamp(),
                  Comparator.nullsFirst(Comparator.naturalOrder())))
          .forEach(e -> out.append("   ").append(line(e)).append('\n'));
    } catch (KubernetesClientException e) {
      out.append("(dump failed: ").append(e.getMessage()).append(")\n");
    }
    return out.toString();
  }

  private static String line(Event e) {
    String regarding =
        e.getRegarding() == null
            ? "?"
            : e.getRegarding().getKind() + "/" + e.getRegarding().getName();
    return String.join(
        " ",
        String.valueOf(e.getMetadata().getCreationTimestamp()),
        String.valueOf(e.getType()),
        String.valueOf(e.getReason()),
        regarding,
        String.valueOf(e.getNote()));
  }
}
