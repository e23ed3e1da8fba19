package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertSourceTest {

  @Test
  void checkpointsComeFromEachShardsPrimary() throws Exception {
    Map<AlertSource.Shard, AlertSource.Checkpoint> cps =
        AlertSource.parseCheckpoints(
            OpenSearchClient.JSON.readTree(
                """
                {"indices":{
                  "vigil-alerts-2026.11.23":{"uuid":"u1","shards":{
                    "0":[{"routing":{"primary":false},"seq_no":{"global_checkpoint":5,"max_seq_no":9}},
                         {"routing":{"primary":true},"seq_no":{"global_checkpoint":9,"max_seq_no":12}}],
                    "1":[{"routing":{"primary":true},"seq_no":{"global_checkpoint":-1,"max_seq_no":-1}}]}},
                  "vigil-alerts-2026.11.20":{"uuid":"u0","shards":{
                    "0":[{"routing":{"primary":true}}]}}}}
                """));
    assertThat(cps)
        .containsExactly(
            Map.entry(
                new AlertSource.Shard("vigil-alerts-2026.11.23", "u1", 0),
                new AlertSource.Checkpoint(9, 12)),
            Map.entry(
                new AlertSource.Shard("vigil-alerts-2026.11.23", "u1", 1),
                new AlertSource.Checkpoint(-1, -1)));
    assertThat(new AlertSource.Checkpoint(9, 12).inFlight()).isTrue();
    assertThat(new AlertSource.Checkpoint(-1, -1).inFlight()).isFalse();
    assertThat(new AlertSource.Shard("vigil-alerts-2026.11.23", "u1", 1).id())
        .isEqualTo("vigil-alerts-2026.11.23/u1/1");
  }

  @Test
  void readsTheEcsFieldsOfAHit() throws Exception {
    AlertRecord r =
        AlertSource.record(
            OpenSearchClient.JSON.readTree(
                """
                {"_id":"x1","_source":{"@timestamp":"2026-11-20T10:00:00Z","message":"m",
                 "event":{"severity":73},"rule":{"name":"ja4-blocklist"},
                 "source":{"ip":"10.0.0.1"},"destination":{"ip":"10.0.0.2"},
                 "host":{"name":"cn-1"},"user":{"name":"bob"},
                 "vigil":{"dedup_key":"abc"}}}
                """));
    assertThat(r)
        .isEqualTo(
            new AlertRecord(
                "abc",
                "ja4-blocklist",
                73,
                "2026-11-20T10:00:00Z",
                "m",
                "10.0.0.1",
                "10.0.0.2",
                "cn-1",
                "bob"));
  }

  @Test
  void alertWithoutKeyIsItsOwnGroup() throws Exception {
    AlertRecord r =
        AlertSource.record(
            OpenSearchClient.JSON.readTree(
                "{\"_id\":\"x2\",\"_source\":{\"rule\":{\"name\":\"r\"}}}"));
    assertThat(r.key()).isEqualTo("doc-x2");
    assertThat(r.severity()).isZero();
  }
}
