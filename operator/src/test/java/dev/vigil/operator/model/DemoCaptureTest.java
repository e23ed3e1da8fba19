package dev.vigil.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.api.v1alpha1.DetectorPolicy;
import dev.vigil.sensor.cli.Main;
import dev.vigil.sensor.demo.DemoCapture;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code make demo} shows, without the cluster: the example site's DetectorPolicy and the demo
 * policy, compiled as the operator compiles them, make the real sensor find every finding the demo
 * capture was written to contain — and nothing on its benign connections.
 */
class DemoCaptureTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final KubernetesSerialization K8S = new KubernetesSerialization();

  @TempDir Path dir;

  @Test
  void theExamplePoliciesFindEveryPlantedFindingOfTheDemoCapture() throws Exception {
    Map<String, ConfigMap> configMaps = new HashMap<>();
    List<DetectorPolicy> policies = new ArrayList<>();
    for (Path f :
        List.of(
            Repo.path("examples/02-detectorpolicy.yaml"),
            Repo.path("examples/demo/demo-policy.yaml"))) {
      for (HasMetadata r : load(f)) {
        if (r instanceof ConfigMap cm) {
          configMaps.put(cm.getMetadata().getName(), cm);
        } else {
          DetectorPolicy p = K8S.convertValue(r, DetectorPolicy.class);
          p.getMetadata().setNamespace("vigil-demo");
          p.getMetadata().setGeneration(1L);
          policies.add(p);
        }
      }
    }
    Path policyDir = Files.createDirectories(dir.resolve("policy"));
    for (DetectorPolicy p : policies) {
      TrailCompiler.Result trails =
          TrailCompiler.compile(
              p.getSpec(),
              name -> Optional.ofNullable(configMaps.get(name)).map(ConfigMap::getData));
      assertThat(trails.problems()).isEmpty();
      Files.writeString(
          policyDir.resolve(p.getMetadata().getName() + ".json"),
          PolicyConfigMap.render(p, trails, List.of()));
    }
    Path pcap = dir.resolve("border-1.pcap");
    DemoCapture.main(new String[] {pcap.toString(), "1795000000"});

    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {
              "--read", pcap.toString(),
              "--logs", dir.resolve("logs").toString(),
              "--policy-dir", policyDir.toString(),
              "--sensor-name", "border-1-sensor-0",
              "--link", "border-1"
            },
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).as(err.toString(StandardCharsets.UTF_8)).isZero();

    List<String> found = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("logs/notice.log"))) {
      JsonNode a = JSON.readTree(line);
      String indicator = a.at("/threat/indicator/value").asText("");
      found.add(
          a.at("/rule/name").asText()
              + " "
              + a.at("/source/ip").asText()
              + ">"
              + a.at("/destination/ip").asText()
              + (indicator.isEmpty() ? "" : " " + indicator));
    }
    assertThat(found)
        .containsExactlyInAnyOrder(
            "TlsBlocklist 10.20.1.15>198.51.100.23 04d6f6aba0353db55bc583aac5a0de79",
            "ThreatIntelTrail 10.20.1.15>198.51.100.23 198.51.100.23",
            "ThreatIntelTrail 10.20.1.15>198.51.100.23 cdn-update.example",
            "ConnectBack 10.20.1.15>198.51.100.23",
            "StratumMining 10.20.3.7>203.0.113.45",
            "ThreatIntelTrail 10.20.3.7>203.0.113.45 203.0.113.45",
            "ConnectBack 10.20.3.7>203.0.113.45");
    JsonNode stratum =
        Files.readAllLines(dir.resolve("logs/notice.log")).stream()
            .map(DemoCaptureTest::json)
            .filter(a -> a.at("/rule/name").asText().equals("StratumMining"))
            .findFirst()
            .orElseThrow();
    assertThat(stratum.at("/message").asText()).contains("as 4AdemoWalletXyz.rig07");
  }

  private static JsonNode json(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<HasMetadata> load(Path yaml) throws Exception {
    Object o = K8S.unmarshal(Files.newInputStream(yaml));
    if (o instanceof KubernetesList l) {
      return l.getItems();
    }
    if (o instanceof List<?> l) {
      return l.stream().map(HasMetadata.class::cast).toList();
    }
    return List.of((HasMetadata) o);
  }
}
