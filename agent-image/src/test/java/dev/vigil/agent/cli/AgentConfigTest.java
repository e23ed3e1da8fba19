package dev.vigil.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentConfigTest {
  @Test
  void parsesOptionsWithDefaults() {
    AgentConfig c = AgentConfig.parse("--events", "/tmp/ev", "--policy", "p.yaml", "--node", "cn7");
    assertThat(c.events()).isEqualTo(Path.of("/tmp/ev"));
    assertThat(c.policy()).isEqualTo(Path.of("p.yaml"));
    assertThat(c.node()).isEqualTo("cn7");
    assertThat(c.proc()).isEqualTo(Path.of("/proc"));
    assertThat(c.sampleIntervalMillis()).isEqualTo(1000);
    assertThat(c.metricsPort()).isEqualTo(-1);
  }

  @Test
  void policyDirIsExclusiveWithPolicy() {
    AgentConfig c = AgentConfig.parse("--events", "/tmp/ev", "--policy-dir", "/etc/vigil/policies");
    assertThat(c.policyDir()).isEqualTo(Path.of("/etc/vigil/policies"));
    assertThat(c.policy()).isNull();
    assertThatThrownBy(
            () -> AgentConfig.parse("--events", "d", "--policy", "p.yaml", "--policy-dir", "d"))
        .hasMessageContaining("exclusive");
  }

  @Test
  void rejectsMissingEventsAndUnknownOptions() {
    assertThatThrownBy(() -> AgentConfig.parse("--policy", "x"))
        .hasMessageContaining("--events is required");
    assertThatThrownBy(() -> AgentConfig.parse("--events", "d", "--frobnicate", "1"))
        .hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> AgentConfig.parse("--events")).hasMessageContaining("missing value");
  }

  @Test
  void openSearchOptionsWithDefaults() {
    AgentConfig off = AgentConfig.parse("--events", "/tmp/ev");
    assertThat(off.opensearch()).isNull();
    AgentConfig c =
        AgentConfig.parse("--events", "/tmp/ev", "--opensearch", "https://os.example:9200");
    assertThat(c.opensearch()).hasToString("https://os.example:9200");
    assertThat(c.indexPrefix()).isEqualTo("vigil");
    assertThat(c.spoolDir()).isEqualTo(Path.of("/tmp/ev/spool"));
    assertThat(c.opensearchUser()).isNull();
    AgentConfig all =
        AgentConfig.parse(
            "--events", "/tmp/ev",
            "--opensearch", "http://127.0.0.1:9200",
            "--opensearch-user", "agent",
            "--opensearch-password-file", "/run/secrets/pw",
            "--opensearch-ca", "/etc/ca.pem",
            "--index-prefix", "site-a",
            "--spool-dir", "/var/spool/vigil");
    assertThat(all.opensearchUser()).isEqualTo("agent");
    assertThat(all.opensearchPasswordFile()).isEqualTo(Path.of("/run/secrets/pw"));
    assertThat(all.opensearchCa()).isEqualTo(Path.of("/etc/ca.pem"));
    assertThat(all.indexPrefix()).isEqualTo("site-a");
    assertThat(all.spoolDir()).isEqualTo(Path.of("/var/spool/vigil"));
  }

  @Test
  void rejectsInconsistentOpenSearchOptions() {
    assertThatThrownBy(() -> AgentConfig.parse("--events", "d", "--opensearch", "ftp://x"))
        .hasMessageContaining("http(s) URL");
    assertThatThrownBy(
            () -> AgentConfig.parse("--events", "d", "--opensearch", "http://u:secret@h:9200"))
        .hasMessageContaining("--opensearch-password-file")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(
            () ->
                AgentConfig.parse(
                    "--events", "d", "--opensearch", "http://h:9200", "--opensearch-user", "u"))
        .hasMessageContaining("go together");
    assertThatThrownBy(() -> AgentConfig.parse("--events", "d", "--index-prefix", "x"))
        .hasMessageContaining("need --opensearch");
    assertThatThrownBy(
            () ->
                AgentConfig.parse(
                    "--events", "d", "--opensearch", "http://h:9200", "--index-prefix", "Bad*"))
        .hasMessageContaining("--index-prefix");
    assertThatThrownBy(
            () ->
                AgentConfig.parse(
                    "--events", "d",
                    "--opensearch", "http://h:9200",
                    "--opensearch-user", "a:b",
                    "--opensearch-password-file", "/pw"))
        .hasMessageContaining("without ':'");
  }
}
