package dev.vigil.agent.attrib;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedactorTest {
  @Test
  void secretsInOptionsEnvironmentAndUrlsAreMasked() {
    assertThat(
            Redactor.args(
                List.of(
                    "mysql",
                    "--password=hunter2",
                    "--api-key",
                    "abc123",
                    "DB_PASSWORD=s3cret",
                    "https://bob:pw@example.org/x",
                    "stratum+tcp://wallet.worker:x@pool.example:3333",
                    "--passwords-file=/etc/list",
                    "-n",
                    "4")))
        .containsExactly(
            "mysql",
            "--password=***",
            "--api-key",
            "***",
            "DB_PASSWORD=***",
            "https://bob:***@example.org/x",
            "stratum+tcp://wallet.worker:***@pool.example:3333",
            "--passwords-file=***",
            "-n",
            "4");
  }

  @Test
  void ordinaryCommandLinesAreUntouched() {
    List<String> args = List.of("lmp", "-in", "in.lj", "-var", "x", "2", "http://example.org/a");
    assertThat(Redactor.args(args)).isEqualTo(args);
  }
}
