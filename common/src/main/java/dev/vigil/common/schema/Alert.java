package dev.vigil.common.schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One alert, as written to {@code notice.log} and shipped to the {@code alerts} index, in ECS field
 * names. Every field but {@code timestamp}, {@code ruleName} and {@code severity} may be null and
 * is then left out of the JSON. Built with {@link #builder(Instant, String, int)}.
 *
 * <p>ECS fields used: {@code @timestamp}, {@code message}, {@code event.kind=alert}, {@code
 * event.severity}, {@code event.dataset} ({@code vigil.sensor} or {@code vigil.agent}), {@code
 * rule.name}, {@code source.ip/port}, {@code destination.ip/port}, {@code network.transport},
 * {@code network.community_id}, {@code tls.client.ja3}, {@code tls.client.ja4}, {@code
 * threat.indicator.type/value/description}, {@code observer.type/name/ingress.interface.name}
 * (sensor and link, or agent and node), {@code host.name}, {@code process.pid/executable}, {@code
 * user.name}, {@code orchestrator.type/namespace/resource.name} (the pod). Two Vigil extensions
 * outside ECS: {@code orchestrator.job.id} (the batch job, e.g. Slurm) and {@code zeek.session_id}
 * (the connection's Zeek uid, the name Elastic's Zeek integration uses), plus {@code
 * vigil.dedup_key}.
 *
 * <h2>Dedup key</h2>
 *
 * {@link #dedupKey()} is the first 128 bits, hex, of SHA-256 over {@code "vigil-alert-v1"} and
 * then, each followed by a 0x1F separator and with null written as the empty string: rule.name,
 * source.ip, destination.ip, destination.port, network.transport, tls.client.ja3, tls.client.ja4,
 * threat.indicator.value, host.name, process.executable, user.name, orchestrator.job.id. It
 * deliberately leaves out what differs between repeats of the same finding: the time, the source
 * port (ephemeral) and so the community id, the Zeek uid, the pid, the severity, the message and
 * the observer (two sensors seeing one flow raise one alert). Changing this list changes every key:
 * bump the version string then.
 */
public record Alert(
    Instant timestamp,
    String ruleName,
    int severity,
    String message,
    String dataset,
    String sourceIp,
    Integer sourcePort,
    String destinationIp,
    Integer destinationPort,
    String transport,
    String communityId,
    String ja3,
    String ja4,
    String indicatorType,
    String indicatorValue,
    String indicatorDescription,
    String observerType,
    String observerName,
    String observerInterface,
    String hostName,
    Long processPid,
    String processExecutable,
    String userName,
    String orchestratorType,
    String orchestratorNamespace,
    String podName,
    String jobId,
    String zeekUid) {

  private static final String KEY_VERSION = "vigil-alert-v1";
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public Alert {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(ruleName, "ruleName");
  }

  public static Builder builder(Instant timestamp, String ruleName, int severity) {
    return new Builder(timestamp, ruleName, severity);
  }

  /** The stable key described in the class comment: 32 lower-case hex characters. */
  public String dedupKey() {
    StringBuilder b = new StringBuilder(KEY_VERSION);
    for (Object part :
        new Object[] {
          ruleName,
          sourceIp,
          destinationIp,
          destinationPort,
          transport,
          ja3,
          ja4,
          indicatorValue,
          hostName,
          processExecutable,
          userName,
          jobId
        }) {
      b.append('\u001f');
      if (part != null) {
        b.append(part);
      }
    }
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
    }
  }

  /** The ECS document (nested objects, nulls left out). */
  public ObjectNode toJson() {
    ObjectNode root = NODES.objectNode();
    root.put("@timestamp", timestamp.toString());
    put(root, "message", message);
    ObjectNode event = root.putObject("event");
    event.put("kind", "alert");
    event.put("severity", severity);
    put(event, "dataset", dataset);
    root.putObject("rule").put("name", ruleName);
    endpoint(root, "source", sourceIp, sourcePort);
    endpoint(root, "destination", destinationIp, destinationPort);
    if (transport != null || communityId != null) {
      ObjectNode network = root.putObject("network");
      put(network, "transport", transport);
      put(network, "community_id", communityId);
    }
    if (ja3 != null || ja4 != null) {
      ObjectNode client = root.putObject("tls").putObject("client");
      put(client, "ja3", ja3);
      put(client, "ja4", ja4);
    }
    if (indicatorType != null || indicatorValue != null || indicatorDescription != null) {
      ObjectNode ind = root.putObject("threat").putObject("indicator");
      put(ind, "type", indicatorType);
      put(ind, "value", indicatorValue);
      put(ind, "description", indicatorDescription);
    }
    if (observerType != null || observerName != null || observerInterface != null) {
      ObjectNode obs = root.putObject("observer");
      put(obs, "type", observerType);
      put(obs, "name", observerName);
      if (observerInterface != null) {
        obs.putObject("ingress").putObject("interface").put("name", observerInterface);
      }
    }
    if (hostName != null) {
      root.putObject("host").put("name", hostName);
    }
    if (processPid != null || processExecutable != null) {
      ObjectNode p = root.putObject("process");
      if (processPid != null) {
        p.put("pid", processPid);
      }
      put(p, "executable", processExecutable);
    }
    if (userName != null) {
      root.putObject("user").put("name", userName);
    }
    if (orchestratorType != null
        || orchestratorNamespace != null
        || podName != null
        || jobId != null) {
      ObjectNode o = root.putObject("orchestrator");
      put(o, "type", orchestratorType);
      put(o, "namespace", orchestratorNamespace);
      if (podName != null) {
        o.putObject("resource").put("type", "pod").put("name", podName);
      }
      if (jobId != null) {
        o.putObject("job").put("id", jobId);
      }
    }
    if (zeekUid != null) {
      root.putObject("zeek").put("session_id", zeekUid);
    }
    root.putObject("vigil").put("dedup_key", dedupKey());
    return root;
  }

  /** {@link #toJson()} as one JSON line (no trailing newline). */
  public String toJsonLine(ObjectMapper mapper) {
    try {
      return mapper.writeValueAsString(toJson());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("an ObjectNode always serialises", e);
    }
  }

  private static void endpoint(ObjectNode root, String name, String ip, Integer port) {
    if (ip == null && port == null) {
      return;
    }
    ObjectNode n = root.putObject(name);
    put(n, "ip", ip);
    if (port != null) {
      n.put("port", port);
    }
  }

  private static void put(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  /** Fluent construction; every setter is optional. */
  public static final class Builder {
    private final Instant timestamp;
    private final String ruleName;
    private final int severity;
    private String message;
    private String dataset;
    private String sourceIp;
    private Integer sourcePort;
    private String destinationIp;
    private Integer destinationPort;
    private String transport;
    private String communityId;
    private String ja3;
    private String ja4;
    private String indicatorType;
    private String indicatorValue;
    private String indicatorDescription;
    private String observerType;
    private String observerName;
    private String observerInterface;
    private String hostName;
    private Long processPid;
    private String processExecutable;
    private String userName;
    private String orchestratorType;
    private String orchestratorNamespace;
    private String podName;
    private String jobId;
    private String zeekUid;

    private Builder(Instant timestamp, String ruleName, int severity) {
      this.timestamp = timestamp;
      this.ruleName = ruleName;
      this.severity = severity;
    }

    public Builder message(String v) {
      message = v;
      return this;
    }

    public Builder dataset(String v) {
      dataset = v;
      return this;
    }

    public Builder source(String ip, Integer port) {
      sourceIp = ip;
      sourcePort = port;
      return this;
    }

    public Builder destination(String ip, Integer port) {
      destinationIp = ip;
      destinationPort = port;
      return this;
    }

    /** {@code tcp}, {@code udp}, ... . */
    public Builder transport(String v) {
      transport = v;
      return this;
    }

    public Builder communityId(String v) {
      communityId = v;
      return this;
    }

    public Builder ja3(String v) {
      ja3 = v;
      return this;
    }

    public Builder ja4(String v) {
      ja4 = v;
      return this;
    }

    public Builder indicator(String type, String value, String description) {
      indicatorType = type;
      indicatorValue = value;
      indicatorDescription = description;
      return this;
    }

    /** The packet sensor that saw it and the link it listens on. */
    public Builder sensor(String sensorName, String link) {
      observerType = "sensor";
      observerName = sensorName;
      observerInterface = link;
      return this;
    }

    /** The host agent that saw it, on node {@code nodeName}. */
    public Builder agent(String nodeName) {
      observerType = "agent";
      observerName = nodeName;
      return this;
    }

    public Builder host(String v) {
      hostName = v;
      return this;
    }

    public Builder process(Long pid, String executable) {
      processPid = pid;
      processExecutable = executable;
      return this;
    }

    public Builder user(String v) {
      userName = v;
      return this;
    }

    /** e.g. {@code slurm} or {@code kubernetes}, with the job id and the pod where known. */
    public Builder orchestrator(String type, String namespace, String pod, String job) {
      orchestratorType = type;
      orchestratorNamespace = namespace;
      podName = pod;
      jobId = job;
      return this;
    }

    public Builder zeekUid(String v) {
      zeekUid = v;
      return this;
    }

    public Alert build() {
      return new Alert(
          timestamp,
          ruleName,
          severity,
          message,
          dataset,
          sourceIp,
          sourcePort,
          destinationIp,
          destinationPort,
          transport,
          communityId,
          ja3,
          ja4,
          indicatorType,
          indicatorValue,
          indicatorDescription,
          observerType,
          observerName,
          observerInterface,
          hostName,
          processPid,
          processExecutable,
          userName,
          orchestratorType,
          orchestratorNamespace,
          podName,
          jobId,
          zeekUid);
    }
  }
}
