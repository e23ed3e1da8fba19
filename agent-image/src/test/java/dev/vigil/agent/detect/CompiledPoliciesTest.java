package dev.vigil.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.common.policy.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator's compiled DetectorPolicy files (fixtures in its exact rendering) as one policy. */
class CompiledPoliciesTest {

  static String fixture(String name) throws IOException {
    try (InputStream in = CompiledPoliciesTest.class.getResourceAsStream("/policy-dir/" + name)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  static Path copy(Path dir, String fixture, String as) throws IOException {
    return Files.writeString(dir.resolve(as), fixture(fixture));
  }

  @Test
  void siteBaselineMapsOntoTheAgentPolicy(@TempDir Path dir) throws Exception {
    copy(dir, "site-baseline.json", "site-baseline.json");
    CompiledPolicies.Loaded l = CompiledPolicies.load(dir);
    Policy p = l.policy();
    assertThat(p.connectBack().on()).isTrue();
    assertThat(p.connectBack().internalNetworks())
        .containsExactly("10.0.0.0/8", "172.16.0.0/12", "2001:db8:100::/40");
    assertThat(p.connectBack().allowlist()).containsExactly("192.0.2.0/24", "198.51.100.128/25");
    assertThat(p.miner().on()).isTrue();
    assertThat(p.miner().cpuThreshold()).isEqualTo(0.95);
    assertThat(p.miner().maxMemoryPerCoreMiB()).isEqualTo(128.0);
    assertThat(p.miner().gpuUtilThresholdPercent()).isEqualTo(95.0);
    assertThat(p.miner().maxGpuMemoryMiB()).isEqualTo(1024.0);
    assertThat(p.miner().sustainSeconds()).isEqualTo(1200.0);
    assertThat(p.miner().exePatterns()).isEqualTo(Policy.DEFAULT_MINER_EXE);
    assertThat(l.shadow()).isFalse();
    assertThat(l.severities())
        .containsEntry(Alert.CONNECT_BACK, 73)
        .containsEntry(Alert.SILENT_MINER, 73);
    assertThat(l.sources()).containsExactly("vigil-system/site-baseline@3");
    assertThat(p.validate()).isEmpty();
  }

  @Test
  void mergeIsAnyEnablesMostSensitiveThresholdsUnionOfListsEnforceWins(@TempDir Path dir)
      throws Exception {
    copy(dir, "site-baseline.json", "site-baseline.json");
    copy(dir, "research-gpu.json", "research-gpu.json");
    CompiledPolicies.Loaded l = CompiledPolicies.load(dir);
    Policy p = l.policy();
    // research-gpu disables connect-back: site-baseline enables it, so it runs with only the
    // lists of the policies that enable it
    assertThat(p.connectBack().on()).isTrue();
    assertThat(p.connectBack().internalNetworks())
        .containsExactly("10.0.0.0/8", "172.16.0.0/12", "2001:db8:100::/40");
    assertThat(p.connectBack().allowlist()).containsExactly("192.0.2.0/24", "198.51.100.128/25");
    assertThat(l.severities()).containsEntry(Alert.CONNECT_BACK, 73);
    // the most sensitive miner thresholds of both
    assertThat(p.miner().cpuThreshold()).isEqualTo(0.8);
    assertThat(p.miner().maxMemoryPerCoreMiB()).isEqualTo(128.0);
    assertThat(p.miner().gpuUtilThresholdPercent()).isEqualTo(90.0);
    assertThat(p.miner().maxGpuMemoryMiB()).isEqualTo(2048.0);
    assertThat(p.miner().sustainSeconds()).isEqualTo(1200.0);
    assertThat(l.severities()).containsEntry(Alert.SILENT_MINER, 99);
    // one enforcing policy makes the whole enforcing
    assertThat(l.shadow()).isFalse();
    assertThat(l.sources())
        .containsExactly("vigil-system/research-gpu@1", "vigil-system/site-baseline@3");

    // the file names (their order) do not change the result
    Path other = Files.createDirectory(dir.resolve("other"));
    copy(other, "site-baseline.json", "a.json");
    copy(other, "research-gpu.json", "b.json");
    assertThat(CompiledPolicies.load(other).policy()).isEqualTo(p);
  }

  @Test
  void unionOfListsOverEnablingPolicies(@TempDir Path dir) throws Exception {
    copy(dir, "site-baseline.json", "site-baseline.json");
    Files.writeString(
        dir.resolve("dmz.json"),
        fixture("research-gpu.json")
            .replace("\"mode\" : \"shadow\"", "\"mode\" : \"enforce\"")
            .replace("\"enabled\" : false", "\"enabled\" : true"));
    Policy p = CompiledPolicies.load(dir).policy();
    assertThat(p.connectBack().internalNetworks())
        .containsExactly("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "2001:db8:100::/40");
    assertThat(p.connectBack().allowlist())
        .containsExactly("192.0.2.0/24", "198.51.100.128/25", "203.0.113.10/32");
  }

  @Test
  void shadowOnlyWhenEveryPolicyIsShadow(@TempDir Path dir) throws Exception {
    copy(dir, "research-gpu.json", "research-gpu.json");
    List<String> errors = new ArrayList<>();
    PolicyHolder h = new PolicyHolder(null, dir, errors::add);
    assertThat(h.shadow()).isTrue();
    assertThat(h.get().connectBack().on()).isFalse();
    assertThat(h.get().miner().sustainSeconds()).isEqualTo(5400.0);
    assertThat(h.severity(Alert.SILENT_MINER)).contains(99);
    assertThat(h.severity(Alert.CONNECT_BACK)).isEmpty();

    copy(dir, "site-baseline.json", "site-baseline.json");
    assertThat(h.reloadIfChanged()).isTrue();
    assertThat(h.shadow()).isFalse();
    assertThat(errors).isEmpty();
  }

  @Test
  void malformedFileKeepsThePreviousPolicy(@TempDir Path dir) throws Exception {
    copy(dir, "site-baseline.json", "site-baseline.json");
    List<String> errors = new ArrayList<>();
    PolicyHolder h = new PolicyHolder(null, dir, errors::add);
    assertThat(h.reloadIfChanged()).isFalse();
    Policy before = h.get();

    // truncated JSON in a new file
    Files.writeString(dir.resolve("broken.json"), "{\"schema\" : 1, \"spec\" : {");
    assertThat(h.reloadIfChanged()).isFalse();
    assertThat(h.get()).isSameAs(before);
    assertThat(errors)
        .singleElement()
        .asString()
        .contains("keeping the previous one")
        .contains("broken.json");
    // reported once per content, not at every poll
    assertThat(h.reloadIfChanged()).isFalse();
    assertThat(errors).hasSize(1);

    // valid JSON, invalid values
    Files.writeString(
        dir.resolve("broken.json"),
        fixture("site-baseline.json")
            .replace("\"128Mi\"", "\"lots\"")
            .replace("\"172.16.0.0/12\"", "\"172.16.0.0/33\""));
    assertThat(h.reloadIfChanged()).isFalse();
    assertThat(h.get()).isSameAs(before);
    assertThat(errors.get(1)).contains("memoryPerCoreBelow").contains("172.16.0.0/33");

    // fixed: installed
    Files.writeString(
        dir.resolve("broken.json"),
        fixture("site-baseline.json")
            .replace("\"cpuPercentAbove\" : 95", "\"cpuPercentAbove\" : 50"));
    assertThat(h.reloadIfChanged()).isTrue();
    assertThat(h.get().miner().cpuThreshold()).isEqualTo(0.5);
    assertThat(h.generation()).isEqualTo(1);

    // a file disappearing is a change too
    Files.delete(dir.resolve("broken.json"));
    assertThat(h.reloadIfChanged()).isTrue();
    assertThat(h.get().miner().cpuThreshold()).isEqualTo(0.95);
  }

  @Test
  void configMapVolumeSymlinkSwapIsSeen(@TempDir Path dir) throws Exception {
    // the kubelet's layout: <key> -> ..data/<key>, ..data -> ..<timestamp>/ swapped atomically
    Path v1 = Files.createDirectory(dir.resolve("..2026_11_23_16_00_00.1"));
    copy(v1, "site-baseline.json", "site-baseline.json");
    Files.createSymbolicLink(dir.resolve("..data"), v1.getFileName());
    Files.createSymbolicLink(
        dir.resolve("site-baseline.json"), Path.of("..data", "site-baseline.json"));
    PolicyHolder h = new PolicyHolder(null, dir, e -> {});
    assertThat(h.get().miner().sustainSeconds()).isEqualTo(1200.0);

    Path v2 = Files.createDirectory(dir.resolve("..2026_11_23_16_05_00.2"));
    Files.writeString(
        v2.resolve("site-baseline.json"),
        fixture("site-baseline.json").replace("\"20m\"", "\"45s\""));
    Path tmp = Files.createSymbolicLink(dir.resolve("..data_tmp"), v2.getFileName());
    Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    assertThat(h.reloadIfChanged()).isTrue();
    assertThat(h.get().miner().sustainSeconds()).isEqualTo(45.0);
  }

  @Test
  void emptyDirectoryIsTheDefaults(@TempDir Path dir) throws Exception {
    CompiledPolicies.Loaded l = CompiledPolicies.load(dir);
    assertThat(l.policy()).isEqualTo(Policy.defaults());
    assertThat(l.shadow()).isFalse();
    assertThat(l.sources()).isEmpty();
    assertThatThrownBy(() -> CompiledPolicies.load(dir.resolve("missing")))
        .hasMessageContaining("not a directory");
  }

  @Test
  void wholeFileIsValidated(@TempDir Path dir) throws Exception {
    String site = fixture("site-baseline.json");
    Path f = dir.resolve("p.json");
    Files.writeString(f, site.replace("\"schema\" : 1", "\"schema\" : 2"));
    assertThatThrownBy(() -> CompiledPolicies.load(dir)).hasMessageContaining("schema must be 1");
    Files.writeString(f, site.replace("\"mode\" : \"enforce\"", "\"mode\" : \"dry-run\""));
    assertThatThrownBy(() -> CompiledPolicies.load(dir)).hasMessageContaining("spec.mode");
    Files.writeString(
        f,
        site.replace(
            "\"severity\" : \"high\"\n    },\n    \"connectBack\"",
            "\"severity\" : \"loud\"\n    },\n    \"connectBack\""));
    assertThatThrownBy(() -> CompiledPolicies.load(dir))
        .hasMessageContaining("spec.silentMiner.severity");
    Files.writeString(f, site.replace("\"cpuPercentAbove\" : 95", "\"cpuPercentAbove\" : 150"));
    assertThatThrownBy(() -> CompiledPolicies.load(dir)).hasMessageContaining("cpuPercentAbove");
    Files.writeString(f, site.replace("\"20m\"", "\"20 minutes\""));
    assertThatThrownBy(() -> CompiledPolicies.load(dir)).hasMessageContaining("bad duration");
    Files.writeString(f, "[]");
    assertThatThrownBy(() -> CompiledPolicies.load(dir)).hasMessageContaining("not a JSON object");
    Files.writeString(f, "");
    assertThatThrownBy(() -> CompiledPolicies.load(dir)).hasMessageContaining("p.json");
    // other files are ignored
    Files.writeString(f, site);
    Files.writeString(dir.resolve("README.txt"), "not a policy");
    Files.writeString(dir.resolve(".hidden.json"), "{");
    assertThat(CompiledPolicies.load(dir).sources()).hasSize(1);
  }

  @Test
  void suppressionsAreReadWithTheirPolicyAndIndex(@TempDir Path dir) throws Exception {
    copy(dir, "site-baseline.json", "site-baseline.json");
    List<Suppressions.Suppression> s = CompiledPolicies.load(dir).suppressions();
    assertThat(s)
        .extracting(Suppressions.Suppression::id)
        .containsExactly("vigil-system/site-baseline#0", "vigil-system/site-baseline#1");
    assertThat(s.get(0).detector()).isEqualTo("connect-back");
    assertThat(s.get(0).source()).isEqualTo(Cidr.parse("10.20.0.0/16"));
    assertThat(s.get(0).destination()).isEqualTo(Cidr.parse("192.0.2.10/32"));
    assertThat(s.get(0).expires()).isEqualTo(java.time.Instant.parse("2027-06-30T00:00:00Z"));
    assertThat(s.get(1).fingerprint()).isEqualTo("e7d705a3286e19ea42f587b344ee6865");
    assertThat(s.get(1).node()).isEqualTo("login01");

    String site = fixture("site-baseline.json");
    Files.writeString(
        dir.resolve("site-baseline.json"),
        site.replace("\"2027-06-30T00:00:00Z\"", "\"next summer\""));
    assertThatThrownBy(() -> CompiledPolicies.load(dir))
        .hasMessageContaining("spec.suppressions[0].expires: not an RFC 3339 time");
    Files.writeString(
        dir.resolve("site-baseline.json"),
        site.replace("\"source\" : \"10.20.0.0/16\"", "\"source\" : \"10.20.0.0/33\""));
    assertThatThrownBy(() -> CompiledPolicies.load(dir))
        .hasMessageContaining("spec.suppressions[0].match.source");
    Files.writeString(
        dir.resolve("site-baseline.json"),
        site.replace("\"reason\" : \"Tor research project on login01 (ticket SEC-1204)\",", ""));
    assertThatThrownBy(() -> CompiledPolicies.load(dir))
        .hasMessageContaining("spec.suppressions[1].reason missing");
  }

  @Test
  void internetNodesAreExemptOnlyWhereEveryConnectBackPolicyExemptsThem(@TempDir Path dir)
      throws Exception {
    String site = fixture("site-baseline.json");
    Files.writeString(
        dir.resolve("site-baseline.json"),
        site.replace(
            "\"schema\" : 1,",
            "\"schema\" : 1,\n  \"internetNodes\" : [ \"login01\", \"dtn01\" ],"));
    assertThat(CompiledPolicies.load(dir).policy().connectBack().internetNodes())
        .containsExactly("dtn01", "login01");
    // without the field (an older operator): no node is exempt
    copy(dir, "site-baseline.json", "site-baseline.json");
    assertThat(CompiledPolicies.load(dir).policy().connectBack().internetNodes()).isEmpty();

    // a second policy enabling connect-back exempts only login01: dtn01 is watched again
    Files.writeString(
        dir.resolve("site-baseline.json"),
        site.replace(
            "\"schema\" : 1,",
            "\"schema\" : 1,\n  \"internetNodes\" : [ \"login01\", \"dtn01\" ],"));
    Files.writeString(
        dir.resolve("dmz.json"),
        fixture("research-gpu.json")
            .replace("\"enabled\" : false", "\"enabled\" : true")
            .replace("\"schema\" : 1,", "\"schema\" : 1,\n  \"internetNodes\" : [ \"login01\" ],"));
    assertThat(CompiledPolicies.load(dir).policy().connectBack().internetNodes())
        .containsExactly("login01");
    Files.writeString(
        dir.resolve("dmz.json"),
        fixture("research-gpu.json")
            .replace("\"schema\" : 1,", "\"schema\" : 1,\n  \"internetNodes\" : \"login01\","));
    assertThatThrownBy(() -> CompiledPolicies.load(dir))
        .hasMessageContaining("internetNodes must be a list");
  }
  // quantities and durations: common QuantitiesTest (the shared reader parses them)
}
