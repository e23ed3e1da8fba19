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
  void rejectsMissingEventsAndUnknownOptions() {
    assertThatThrownBy(() -> AgentConfig.parse("--policy", "x"))
        .hasMessageContaining("--events is required");
    assertThatThrownBy(() -> AgentConfig.parse("--events", "d", "--frobnicate", "1"))
        .hasMessageContaining("unknown option --frobnicate");
    assertThatThrownBy(() -> AgentConfig.parse("--events")).hasMessageContaining("missing value");
  }
}
