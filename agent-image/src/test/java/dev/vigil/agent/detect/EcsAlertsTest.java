package dev.vigil.agent.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.agent.attrib.CgroupAttribution;
import dev.vigil.agent.attrib.ProcessInfo;
import dev.vigil.agent.attrib.Workload;
import dev.vigil.common.schema.CommunityId;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsAlertsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:15:30.123456Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static ProcessInfo curl(int pid, Workload w) {
    return new ProcessInfo(
        pid,
        4200,
        1001,
        "alice",
        "curl",
        "/usr/bin/curl",
        List.of("curl", "http://198.51.100.7/x"),
        w,
        0);
  }

  private static final Workload JOB = CgroupAttribution.parse("/slurm/uid_1001/job_31337/step_0");

  private static Alert connectBack(ProcessInfo p, int sport) throws Exception {
    return new ConnectBackDetector("cn001", Policy.defaults())
        .onConnect(
            p,
            InetAddress.getByName("10.0.0.5"),
            sport,
            InetAddress.getByName("198.51.100.7"),
            4444)
        .orElseThrow()
        .with("parents", List.of(Map.of("pid", 4200, "exe", "/bin/bash", "user", "alice")));
  }

  @Test
  void connectBackPutsEveryFactAtItsEcsLocation() throws Exception {
    EcsAlerts.Ecs ecs = EcsAlerts.toEcs(connectBack(curl(4242, JOB), 0), T0, "cn001");
    JsonNode j = JSON.readTree(ecs.line());
    assertThat(j.path("@timestamp").asText()).isEqualTo("2026-11-23T10:15:30.123456Z");
    assertThat(j.at("/rule/name").asText()).isEqualTo("ConnectBack");
    assertThat(j.at("/event/kind").asText()).isEqualTo("alert");
    assertThat(j.at("/event/severity").asInt()).isEqualTo(EcsAlerts.HIGH);
    assertThat(j.at("/event/dataset").asText()).isEqualTo("vigil.agent");
    assertThat(j.at("/observer/type").asText()).isEqualTo("agent");
    assertThat(j.at("/observer/name").asText()).isEqualTo("cn001");
    assertThat(j.at("/host/name").asText()).isEqualTo("cn001");
    assertThat(j.at("/process/pid").asLong()).isEqualTo(4242);
    assertThat(j.at("/process/executable").asText()).isEqualTo("/usr/bin/curl");
    assertThat(j.at("/process/name").asText()).isEqualTo("curl");
    assertThat(j.at("/process/command_line").asText()).isEqualTo("curl http://198.51.100.7/x");
    assertThat(j.at("/process/parent/pid").asLong()).isEqualTo(4200);
    assertThat(j.at("/process/parent/executable").asText()).isEqualTo("/bin/bash");
    assertThat(j.at("/user/name").asText()).isEqualTo("alice");
    assertThat(j.at("/user/id").asText()).isEqualTo("1001");
    assertThat(j.at("/orchestrator/type").asText()).isEqualTo("slurm");
    assertThat(j.at("/orchestrator/job/id").asText()).isEqualTo("31337");
    assertThat(j.at("/source/ip").asText()).isEqualTo("10.0.0.5");
    assertThat(j.at("/source/port").isMissingNode()).as("port 0 = not chosen yet").isTrue();
    assertThat(j.at("/destination/ip").asText()).isEqualTo("198.51.100.7");
    assertThat(j.at("/destination/port").asInt()).isEqualTo(4444);
    assertThat(j.at("/network/transport").asText()).isEqualTo("tcp");
    assertThat(j.at("/network/community_id").isMissingNode()).isTrue();
    assertThat(j.at("/vigil/workload/cgroup").asText())
        .isEqualTo("/slurm/uid_1001/job_31337/step_0");
    assertThat(j.at("/vigil/parents/0/exe").asText()).isEqualTo("/bin/bash");
    assertThat(j.at("/vigil/dedup_key").asText()).isEqualTo(ecs.alert().dedupKey());
    assertThat(j.at("/vigil/evidence").isMissingNode()).as("all fields mapped").isTrue();
    assertThat(ecs.docId()).isEqualTo(ecs.alert().dedupKey() + "@2026-11-23T10:15:30.123456Z");
    assertThat(ecs.line()).doesNotContain("\n");
  }

  @Test
  void communityIdWhenTheSourcePortIsKnown() throws Exception {
    JsonNode j = EcsAlerts.toEcs(connectBack(curl(4242, JOB), 51000), T0, "cn001").json();
    assertThat(j.at("/source/port").asInt()).isEqualTo(51000);
    assertThat(j.at("/network/community_id").asText())
        .isEqualTo(
            CommunityId.v1(
                InetAddress.getByName("10.0.0.5"),
                51000,
                InetAddress.getByName("198.51.100.7"),
                4444,
                CommunityId.TCP));
  }

  @Test
  void repeatsOfOneFindingShareTheDedupKeyButNotTheDocumentId() throws Exception {
    EcsAlerts.Ecs a = EcsAlerts.toEcs(connectBack(curl(4242, JOB), 0), T0, "cn001");
    EcsAlerts.Ecs b =
        EcsAlerts.toEcs(connectBack(curl(5151, JOB), 40000), T0.plusSeconds(5), "cn001");
    assertThat(b.alert().dedupKey()).isEqualTo(a.alert().dedupKey());
    assertThat(b.docId()).isNotEqualTo(a.docId());
    EcsAlerts.Ecs otherJob =
        EcsAlerts.toEcs(
            connectBack(curl(4242, CgroupAttribution.parse("/slurm/uid_1001/job_4/step_0")), 0),
            T0,
            "cn001");
    assertThat(otherJob.alert().dedupKey()).isNotEqualTo(a.alert().dedupKey());
  }

  @Test
  void minerExecInAPodNamesNamespaceNameAndUidAndKeepsTheReason() throws Exception {
    Workload pod =
        new Workload(
            Workload.Kind.KUBERNETES, "/kubepods/podabc/ctr", null, null, -1, "abc", "ns1", "p1");
    ProcessInfo xmrig =
        new ProcessInfo(77, 1, 0, "root", "xmrig", "/tmp/xmrig", List.of("./xmrig"), pod, 0);
    Alert a = new MinerDetector("cn002", Policy.defaults()).onExec(xmrig).orElseThrow();
    JsonNode j = EcsAlerts.toEcs(a, T0, "cn002").json();
    assertThat(j.at("/rule/name").asText()).isEqualTo("MinerExecutable");
    assertThat(j.at("/orchestrator/type").asText()).isEqualTo("kubernetes");
    assertThat(j.at("/orchestrator/namespace").asText()).isEqualTo("ns1");
    assertThat(j.at("/orchestrator/resource/name").asText()).isEqualTo("p1");
    assertThat(j.at("/orchestrator/resource/id").asText()).isEqualTo("abc");
    assertThat(j.at("/orchestrator/job").isMissingNode()).isTrue();
    assertThat(j.at("/user/id").asText()).isEqualTo("0");
    assertThat(j.at("/process/parent/pid").asLong()).isEqualTo(1);
    assertThat(j.at("/process/parent/executable").isMissingNode()).as("no chain given").isTrue();
    assertThat(j.at("/vigil/evidence/reason").asText()).contains("xmrig");
    assertThat(j.at("/source").isMissingNode()).isTrue();
  }

  @Test
  void hostProcessesHaveNoOrchestrator() throws Exception {
    Alert a =
        new MinerDetector("cn003", Policy.defaults())
            .onExec(
                new ProcessInfo(
                    9,
                    1,
                    0,
                    "root",
                    "sh",
                    "/bin/sh",
                    List.of("sh", "-c", "x stratum+tcp://pool.invalid:3333"),
                    Workload.host("/system.slice/foo.service"),
                    0))
            .orElseThrow();
    JsonNode j = EcsAlerts.toEcs(a, T0, "cn003").json();
    assertThat(j.at("/orchestrator").isMissingNode()).isTrue();
    assertThat(j.at("/vigil/workload/kind").asText()).isEqualTo("host");
    assertThat(j.at("/vigil/evidence/reason").asText()).contains("stratum");
  }
}
