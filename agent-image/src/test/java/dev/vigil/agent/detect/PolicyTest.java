package dev.vigil.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyTest {

  @Test
  void defaultsAreTheSafeInternalNetworks() {
    Policy p = Policy.defaults();
    assertThat(p.connectBack().internalNetworks())
        .contains(
            "10.0.0.0/8",
            "172.16.0.0/12",
            "192.168.0.0/16",
            "127.0.0.0/8",
            "169.254.0.0/16",
            "100.64.0.0/10",
            "::1/128",
            "fe80::/10",
            "fc00::/7");
    assertThat(p.connectBack().allowlist()).isEmpty();
    assertThat(p.miner().cpuThreshold()).isEqualTo(0.9);
    assertThat(p.validate()).isEmpty();
  }

  @Test
  void yamlAndJsonFilesOverrideOnlyWhatTheySay(@TempDir Path dir) throws Exception {
    Path yaml = dir.resolve("p.yaml");
    Files.writeString(
        yaml,
        "connectBack:\n  allowlist: [203.0.113.0/24]\nminer:\n  sustainSeconds: 5\n"
            + "  maxMemoryPerCoreMiB: 64\n");
    Policy y = Policy.load(yaml);
    assertThat(y.connectBack().allowlist()).containsExactly("203.0.113.0/24");
    assertThat(y.connectBack().internalNetworks()).isEqualTo(Policy.DEFAULT_INTERNAL);
    assertThat(y.miner().sustainSeconds()).isEqualTo(5.0);
    assertThat(y.miner().maxMemoryPerCoreMiB()).isEqualTo(64.0);
    assertThat(y.miner().cpuThreshold()).isEqualTo(0.9);

    Path json = dir.resolve("p.json");
    Files.writeString(json, "{\"connectBack\":{\"internalNetworks\":[\"10.0.0.0/8\"]}}");
    assertThat(Policy.load(json).connectBack().internalNetworks()).containsExactly("10.0.0.0/8");
  }

  @Test
  void badPoliciesSayWhatIsWrong(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("bad.json");
    Files.writeString(
        f,
        "{\"connectBack\":{\"allowlist\":[\"10.0.0.0/40\"]},"
            + "\"miner\":{\"cpuThreshold\":1.5,\"cmdlinePatterns\":[\"(\"]}}");
    assertThatThrownBy(() -> Policy.load(f))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("connectBack.allowlist")
        .hasMessageContaining("miner.cpuThreshold must be in (0, 1]")
        .hasMessageContaining("miner.cmdlinePatterns: bad regex (");
    Files.writeString(f, "{\"conectBack\":{}}");
    assertThatThrownBy(() -> Policy.load(f)).hasMessageContaining("conectBack");
  }

  @Test
  void hotReloadSwapsOnlyValidPolicies(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("policy.json");
    Files.writeString(f, "{\"miner\":{\"sustainSeconds\":10}}");
    List<String> errors = new ArrayList<>();
    PolicyHolder h = new PolicyHolder(f, errors::add);
    assertThat(h.get().miner().sustainSeconds()).isEqualTo(10.0);
    assertThat(h.reloadIfChanged()).isFalse();

    Files.writeString(f, "{\"miner\":{\"sustainSeconds\":20}}");
    assertThat(h.reloadIfChanged()).isTrue();
    assertThat(h.get().miner().sustainSeconds()).isEqualTo(20.0);
    assertThat(h.generation()).isEqualTo(1);

    Files.writeString(f, "{\"miner\":{\"sustainSeconds\":-1}}");
    assertThat(h.reloadIfChanged()).isFalse();
    assertThat(h.get().miner().sustainSeconds()).isEqualTo(20.0);
    assertThat(errors).singleElement().asString().contains("sustainSeconds must be >= 0");
  }
}
