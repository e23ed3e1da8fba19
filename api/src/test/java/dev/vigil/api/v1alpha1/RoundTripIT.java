package dev.vigil.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.api.v1alpha1.spec.Capture;
import dev.vigil.api.v1alpha1.spec.DetectorPolicySpec;
import dev.vigil.api.v1alpha1.spec.GpuSampling;
import dev.vigil.api.v1alpha1.spec.HostAgentSpec;
import dev.vigil.api.v1alpha1.spec.Link;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.api.v1alpha1.spec.SensorClusterSpec;
import dev.vigil.api.v1alpha1.spec.TapAssignmentSpec;
import dev.vigil.api.v1alpha1.spec.TapInterface;
import dev.vigil.api.v1alpha1.status.TapAssignmentStatus;
import dev.vigil.testing.Repo;
import dev.vigil.testing.WithKubeApiServer;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Typed objects through a real API server: server-side apply, defaults, subresources, names. */
@ExtendWith(EstablishedCrds.class)
@WithKubeApiServer(crds = "crds")
class RoundTripIT {

  static Stream<Path> examples() throws IOException {
    return ExamplesIT.examples();
  }

  /** Every example, read into the Java model and applied from it, comes back unchanged. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void typedExamplesRoundTripWithServerSideApply(Path file, KubernetesClient client)
      throws IOException {
    var json = client.getKubernetesSerialization();
    List<HasMetadata> items;
    try (InputStream in = Files.newInputStream(file)) {
      items = client.load(in).items();
    }
    for (HasMetadata item : items) {
      Class<? extends HasMetadata> kind = ExamplesIT.vigilKind(item.getKind());
      if (kind == null) {
        continue;
      }
      CustomResource<?, ?> typed = (CustomResource<?, ?>) json.convertValue(item, kind);
      typed.getMetadata().setName("typed-" + typed.getMetadata().getName());
      CustomResource<?, ?> applied =
          (CustomResource<?, ?>)
              client
                  .resource(typed)
                  .fieldManager("round-trip-it")
                  .forceConflicts()
                  .serverSideApply();
      JsonNode sent = json.convertValue(typed.getSpec(), JsonNode.class);
      JsonNode back = json.convertValue(applied.getSpec(), JsonNode.class);
      assertThat(JsonDiff.notContained(sent, back))
          .as("%s %s: fields sent but not returned", Repo.root().relativize(file), kind)
          .isEmpty();
    }
  }

  @Test
  void minimalObjectsGetTheDocumentedDefaults(KubernetesClient client) {
    SensorCluster sc = named(new SensorCluster(), "minimal");
    sc.setSpec(new SensorClusterSpec());
    sc.getSpec().setImage("registry.example/vigil/sensor:0.1.0");
    sc.getSpec().setInternalNetworks(List.of("10.0.0.0/8"));
    sc.getSpec().setAlertPipelineRef(ref("site"));
    SensorClusterSpec s = apply(client, sc).getSpec();
    assertThat(s.getCapture().getMode()).isEqualTo(Capture.Mode.AFPACKET);
    assertThat(s.getCapture().getSnaplen()).isEqualTo(9216);
    assertThat(s.getResources().getCpus()).isEqualTo(2);
    assertThat(s.getResources().getMemory()).isEqualTo("4Gi");
    assertThat(
            List.of(
                s.getAnalyzers().getConn(),
                s.getAnalyzers().getDns(),
                s.getAnalyzers().getHttp(),
                s.getAnalyzers().getTls(),
                s.getAnalyzers().getStratum()))
        .containsOnly(true);

    TapAssignment tap = named(new TapAssignment(), "minimal");
    tap.setSpec(tapSpec(null));
    TapAssignmentSpec t = apply(client, tap).getSpec();
    assertThat(t.getWorkers()).isEqualTo(1);
    assertThat(t.getLink().getDirection()).isEqualTo(Link.Direction.BOTH);

    HostAgent ha = named(new HostAgent(), "minimal");
    ha.setSpec(new HostAgentSpec());
    ha.getSpec().setImage("registry.example/vigil/agent:0.1.0");
    ha.getSpec().setAlertPipelineRef(ref("site"));
    HostAgentSpec h = apply(client, ha).getSpec();
    assertThat(h.getSamplingInterval()).isEqualTo("1s");
    assertThat(h.getRollout().getMaxUnavailable()).isEqualTo(new IntOrString("10%"));
    assertThat(h.getGpu().getMode()).isEqualTo(GpuSampling.Mode.AUTO);
    assertThat(h.getProbes().getProcessExec()).isTrue();
    assertThat(h.getProbes().getDns()).isFalse();
    assertThat(h.getAttribution().getKubernetes()).isTrue();
    assertThat(h.getAttribution().getSlurm().getEnabled()).isFalse();

    DetectorPolicy dp = named(new DetectorPolicy(), "minimal");
    dp.setSpec(new DetectorPolicySpec());
    dp.getSpec().setMode(DetectorPolicySpec.Mode.SHADOW);
    DetectorPolicySpec d = apply(client, dp).getSpec();
    assertThat(d.getStratum().getEnabled()).isTrue();
    assertThat(d.getSilentMiner().getSustainedFor()).isEqualTo("15m");
    assertThat(d.getSilentMiner().getCpuPercentAbove()).isEqualTo(90);
    assertThat(d.getConnectBack().getSeverity()).isEqualTo(Severity.MEDIUM);

    AlertPipeline ap = named(new AlertPipeline(), "minimal");
    ap.setSpec(new dev.vigil.api.v1alpha1.spec.AlertPipelineSpec());
    ap.getSpec().setOpensearch(new OpenSearch());
    ap.getSpec().getOpensearch().setEndpoints(List.of("https://opensearch.example:9200"));
    var a = apply(client, ap).getSpec();
    assertThat(a.getOpensearch().getIndexPrefix()).isEqualTo("vigil");
    assertThat(a.getOpensearch().getShards()).isEqualTo(1);
    assertThat(a.getOpensearch().getReplicas()).isEqualTo(1);
    assertThat(a.getOpensearch().getCodec()).isEqualTo(OpenSearch.Codec.BEST_COMPRESSION);
    assertThat(a.getDedupWindow()).isEqualTo("5m");
    assertThat(a.getRateLimit().getPerMinute()).isEqualTo(30);
    assertThat(a.getRateLimit().getBurst()).isEqualTo(10);
  }

  @Test
  void tapAssignmentsScaleThroughTheScaleSubresource(KubernetesClient client) {
    TapAssignment tap = named(new TapAssignment(), "scaled");
    tap.setSpec(tapSpec(2));
    apply(client, tap);
    var resource = client.resources(TapAssignment.class).withName("scaled");

    resource.scale(5);
    assertThat(resource.get().getSpec().getWorkers()).isEqualTo(5);

    KubernetesClientException tooMany =
        catchThrowableOfType(KubernetesClientException.class, () -> resource.scale(100));
    assertThat(tooMany).isNotNull();
    assertThat(tooMany.getStatus().getDetails().getCauses())
        .extracting(ValidationIT::describe)
        .containsExactly("spec.workers: Invalid value: 100: workers must be between 1 and 64");
    assertThat(resource.get().getSpec().getWorkers()).isEqualTo(5);

    TapAssignment current = resource.get();
    current.setStatus(new TapAssignmentStatus());
    current.getStatus().setReadyWorkers(3);
    current.getStatus().setSelector("app.kubernetes.io/instance=scaled");
    current.getStatus().setObservedGeneration(current.getMetadata().getGeneration());
    client.resource(current).updateStatus();
    Scale scale = resource.scale();
    assertThat(scale.getSpec().getReplicas()).isEqualTo(5);
    assertThat(scale.getStatus().getReplicas()).isEqualTo(3);
    assertThat(scale.getStatus().getSelector()).isEqualTo("app.kubernetes.io/instance=scaled");
  }

  @Test
  void statusIsASubresourceWithConditions(KubernetesClient client) {
    TapAssignment tap = named(new TapAssignment(), "status");
    tap.setSpec(tapSpec(1));
    TapAssignment created = apply(client, tap);
    Condition ready = new Condition();
    ready.setType(Condition.Type.READY);
    ready.setStatus(Condition.Status.FALSE);
    ready.setReason("WorkersStarting");
    ready.setMessage("0 of 1 workers capturing");
    ready.setLastTransitionTime("2026-11-23T12:00:00Z");
    ready.setObservedGeneration(created.getMetadata().getGeneration());
    created.setStatus(new TapAssignmentStatus());
    created.getStatus().setConditions(List.of(ready));
    var resource = client.resources(TapAssignment.class).withName("status");
    client.resource(created).updateStatus();

    TapAssignment read = resource.get();
    assertThat(read.getStatus().getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo(Condition.Type.READY);
              assertThat(c.getReason()).isEqualTo("WorkersStarting");
            });
    // Conditions are a list map keyed by type: a second Ready is refused.
    read.getStatus().setConditions(List.of(ready, ready));
    KubernetesClientException duplicate =
        catchThrowableOfType(
            KubernetesClientException.class, () -> client.resource(read).updateStatus());
    assertThat(duplicate).isNotNull();
    assertThat(duplicate.getStatus().getDetails().getCauses())
        .extracting(ValidationIT::describe)
        .containsExactly("status.conditions[1]: Duplicate value: {\"type\":\"Ready\"}");
    read.getStatus().setConditions(List.of(ready));
    // A spec write through the main resource does not touch the status.
    read.getSpec().setWorkers(2);
    TapAssignment updated = client.resource(read).update();
    assertThat(updated.getStatus().getConditions()).hasSize(1);
    assertThat(updated.getMetadata().getGeneration()).isEqualTo(2L);
  }

  @Test
  void kindsAreDiscoverableByShortNameAndCategory(KubernetesClient client) {
    Map<String, APIResource> resources =
        client.getApiResources(Vigil.GROUP + "/" + Vigil.VERSION).getResources().stream()
            .filter(r -> !r.getName().contains("/"))
            .collect(Collectors.toMap(APIResource::getKind, r -> r));
    assertThat(resources.keySet())
        .containsExactlyInAnyOrder(
            "SensorCluster", "TapAssignment", "HostAgent", "DetectorPolicy", "AlertPipeline");
    assertThat(resources.values())
        .allSatisfy(
            r -> {
              assertThat(r.getNamespaced()).isTrue();
              assertThat(r.getCategories()).containsExactly(Vigil.CATEGORY);
            });
    assertThat(
            resources.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getShortNames())))
        .containsEntry("SensorCluster", List.of("vsc"))
        .containsEntry("TapAssignment", List.of("tap"))
        .containsEntry("HostAgent", List.of("ha"))
        .containsEntry("DetectorPolicy", List.of("dp"))
        .containsEntry("AlertPipeline", List.of("ap"));
  }

  @Test
  void shortNamesDoNotShadowBuiltInResources(KubernetesClient client) {
    // "sc" once made `kubectl get sc` list SensorClusters instead of StorageClasses.
    List<String> ours =
        client.getApiResources(Vigil.GROUP + "/" + Vigil.VERSION).getResources().stream()
            .filter(r -> r.getShortNames() != null)
            .flatMap(r -> r.getShortNames().stream())
            .toList();
    List<String> builtIn =
        client.getApiGroups().getGroups().stream()
            .filter(g -> !g.getName().endsWith(Vigil.GROUP))
            .flatMap(g -> g.getVersions().stream())
            .flatMap(v -> client.getApiResources(v.getGroupVersion()).getResources().stream())
            .filter(r -> r.getShortNames() != null)
            .flatMap(r -> r.getShortNames().stream())
            .toList();
    List<String> core =
        client.getApiResources("v1").getResources().stream()
            .filter(r -> r.getShortNames() != null)
            .flatMap(r -> r.getShortNames().stream())
            .toList();
    assertThat(ours).doesNotContainAnyElementsOf(builtIn).doesNotContainAnyElementsOf(core);
  }

  private static TapAssignmentSpec tapSpec(Integer workers) {
    TapAssignmentSpec spec = new TapAssignmentSpec();
    spec.setSensorCluster("border");
    spec.setNodeName("sensor-01");
    Link link = new Link();
    link.setName("border-1");
    link.setSpeedGbps(100);
    link.setSource(Link.Source.OPTICAL_TAP);
    spec.setLink(link);
    TapInterface iface = new TapInterface();
    iface.setName("ens1f0");
    spec.setInterface(iface);
    spec.setWorkers(workers);
    return spec;
  }

  private static ObjectRef ref(String name) {
    ObjectRef ref = new ObjectRef();
    ref.setName(name);
    return ref;
  }

  private static <T extends HasMetadata> T named(T resource, String name) {
    resource.setMetadata(new ObjectMetaBuilder().withName(name).build());
    return resource;
  }

  private static <T extends HasMetadata> T apply(KubernetesClient client, T resource) {
    return client.resource(resource).fieldManager("round-trip-it").serverSideApply();
  }
}
