package dev.vigil.agent.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.schema.CommunityId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a detector's {@link Alert} into the shared ECS-style {@link dev.vigil.common.schema.Alert}
 * (the schema the sensor uses too), plus the ECS fields the common builder has no setter for.
 *
 * <p>Mapping: {@code rule.name} = note, {@code message} = msg, {@code event.dataset} = {@code
 * vigil.agent}, {@code observer.type/name} = agent and node, {@code host.name} = node, {@code
 * process.pid/executable/name/command_line}, {@code process.parent.pid} (and {@code
 * process.parent.executable} when the parent chain has it), {@code user.name/id}, {@code
 * orchestrator.type} ({@code slurm} or {@code kubernetes}), {@code orchestrator.job.id}, {@code
 * orchestrator.namespace} and {@code orchestrator.resource.name/id} (pod namespace, name and uid);
 * connect-back adds {@code source.ip/port}, {@code destination.ip/port}, {@code
 * network.transport=tcp} and {@code network.community_id}. Everything else a detector found (parent
 * chain, workload with its cgroup, CPU/GPU evidence, reason) goes under {@code vigil.parents},
 * {@code vigil.workload} and {@code vigil.evidence}.
 *
 * <p>{@code event.severity} uses the Elastic detection-rule scale: 73 (high) for connect-back and
 * miner executables, 47 (medium) for a silent miner (a resource pattern, not an identification).
 */
public final class EcsAlerts {
  public static final String DATASET = "vigil.agent";
  public static final int HIGH = 73;
  public static final int MEDIUM = 47;

  /** Fields mapped to ECS locations (the rest is evidence). */
  private static final Set<String> MAPPED =
      Set.of(
          "node",
          "pid",
          "ppid",
          "uid",
          "user",
          "exe",
          "comm",
          "cmdline",
          "workload",
          "job_id",
          "src",
          "sport",
          "dst",
          "dport",
          "parents");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The common alert and its document (the common JSON plus the agent's extra ECS fields). */
  public record Ecs(dev.vigil.common.schema.Alert alert, ObjectNode json) {
    /** The document as one JSON line: what notice.log and the shipper both get. */
    public String line() {
      try {
        return JSON.writeValueAsString(json);
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("an ObjectNode always serialises", e);
      }
    }

    /**
     * A document id unique per alert and stable across retries: the dedup key and the alert's
     * timestamp (the agent never stamps two alerts with the same instant, see {@code Agent}).
     */
    public String docId() {
      return alert.dedupKey() + "@" + alert.timestamp();
    }
  }

  private EcsAlerts() {}

  public static int severity(String note) {
    return Alert.SILENT_MINER.equals(note) ? MEDIUM : HIGH;
  }

  public static Ecs toEcs(Alert a, Instant timestamp, String node) {
    return toEcs(a, timestamp, node, severity(a.note()));
  }

  /** As {@link #toEcs(Alert, Instant, String)} with the policy's {@code event.severity}. */
  public static Ecs toEcs(Alert a, Instant timestamp, String node, int severity) {
    Map<String, Object> f = a.fields();
    Map<?, ?> workload = f.get("workload") instanceof Map<?, ?> w ? w : Map.of();
    String kind = str(workload.get("kind"));
    String jobId = f.get("job_id") != null ? str(f.get("job_id")) : str(workload.get("job_id"));
    String podNamespace = str(workload.get("pod_namespace"));
    String podName = str(workload.get("pod_name"));
    String podUid = str(workload.get("pod_uid"));
    String orchestrator =
        "slurm".equals(kind) || "kubernetes".equals(kind) || jobId != null || podUid != null
            ? kind
            : null;

    dev.vigil.common.schema.Alert.Builder b =
        dev.vigil.common.schema.Alert.builder(timestamp, a.note(), severity)
            .message(a.msg())
            .dataset(DATASET)
            .agent(node)
            .host(node)
            .user(str(f.get("user")));
    Long pid = f.get("pid") instanceof Number n ? n.longValue() : null;
    String exe = str(f.get("exe"));
    if (pid != null || exe != null) {
      b.process(pid, exe == null || exe.isEmpty() ? null : exe);
    }
    if (orchestrator != null) {
      b.orchestrator(orchestrator, podNamespace, podName, jobId);
    }
    if (f.get("dst") != null) {
      String src = str(f.get("src"));
      Integer sport = f.get("sport") instanceof Number n && n.intValue() > 0 ? n.intValue() : null;
      String dst = str(f.get("dst"));
      Integer dport = f.get("dport") instanceof Number n ? n.intValue() : null;
      b.source(src, sport).destination(dst, dport).transport("tcp");
      // The connect is judged at SYN_SENT, before the kernel picks the source port: the flow's
      // community id is only known when the port is.
      if (src != null && sport != null && dport != null) {
        b.communityId(communityId(src, sport, dst, dport));
      }
    }
    dev.vigil.common.schema.Alert alert = b.build();
    ObjectNode json = alert.toJson();

    ObjectNode process = json.path("process") instanceof ObjectNode p ? p : null;
    if (process != null) {
      putIfPresent(process, "name", f.get("comm"));
      putIfPresent(process, "command_line", f.get("cmdline"));
      if (f.get("ppid") instanceof Number ppid) {
        ObjectNode parent = process.putObject("parent");
        parent.put("pid", ppid.longValue());
        if (f.get("parents") instanceof List<?> chain
            && !chain.isEmpty()
            && chain.getFirst() instanceof Map<?, ?> first
            && first.get("pid") instanceof Number fp
            && fp.longValue() == ppid.longValue()
            && first.get("exe") != null
            && !str(first.get("exe")).isEmpty()) {
          parent.put("executable", str(first.get("exe")));
        }
      }
    }
    if (f.get("uid") instanceof Number uid) {
      ObjectNode user = json.path("user") instanceof ObjectNode u ? u : json.putObject("user");
      user.put("id", Long.toString(uid.longValue()));
    }
    if (podUid != null && json.at("/orchestrator/resource") instanceof ObjectNode r) {
      r.put("id", podUid);
    }
    ObjectNode vigil = (ObjectNode) json.get("vigil");
    if (f.get("parents") != null) {
      vigil.set("parents", JSON.valueToTree(f.get("parents")));
    }
    if (!workload.isEmpty()) {
      vigil.set("workload", JSON.valueToTree(workload));
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    f.forEach(
        (k, v) -> {
          if (!MAPPED.contains(k)) {
            evidence.put(k, v);
          }
        });
    if (!evidence.isEmpty()) {
      vigil.set("evidence", JSON.valueToTree(evidence));
    }
    return new Ecs(alert, json);
  }

  private static String communityId(String src, int sport, String dst, int dport) {
    try {
      InetAddress s = InetAddress.getByName(src);
      InetAddress d = InetAddress.getByName(dst);
      if (s.getAddress().length != d.getAddress().length) {
        return null;
      }
      return CommunityId.v1(s, sport, d, dport, CommunityId.TCP);
    } catch (UnknownHostException e) {
      return null; // literal addresses from the kernel: not reached
    }
  }

  private static void putIfPresent(ObjectNode n, String field, Object v) {
    if (v != null && !(v instanceof String s && s.isEmpty())) {
      JsonNode value = JSON.valueToTree(v);
      n.set(field, value);
    }
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
