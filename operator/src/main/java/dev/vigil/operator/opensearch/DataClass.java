package dev.vigil.operator.opensearch;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.spec.Retention;
import dev.vigil.api.v1alpha1.spec.RetentionClass;
import java.util.Locale;
import java.util.function.Function;

/**
 * The data classes Vigil stores, one daily index family each ({@code <prefix>-<class>-YYYY.MM.DD}),
 * with their explicit field mappings and the retention used when the AlertPipeline leaves a class
 * unset (the defaults documented on {@link Retention}).
 */
public enum DataClass {
  /**
   * The sensor's conn.log (Zeek field names; {@code id.orig_h} expands to {@code id.orig_h}): the
   * bulk of what Vigil stores, so the one class with a derived {@code _source} (docs/adr/0010): no
   * copy of the record is stored, OpenSearch rebuilds it from doc values and stored fields. That
   * needs every field to have one or the other, keywords without {@code ignore_above}, and {@code
   * ts} as {@code date_nanos} (a {@code date} would come back without its fraction).
   */
  CONN(30, Retention::getConn) {
    @Override
    public boolean derivedSource() {
      return true;
    }

    @Override
    String timeType() {
      return "date_nanos";
    }

    @Override
    boolean timeBySkipIndex() {
      return true;
    }

    @Override
    void fields(ObjectNode p) {
      // uid: looked up (a pivot from an alert's zeek.session_id), never aggregated: doc values
      // only, searchable through them.
      p.putObject("uid").put("type", "keyword").put("index", false);
      ObjectNode id = object(p, "id");
      ip(id, "orig_h");
      stored(id, "orig_p", "integer");
      ip(id, "resp_h");
      stored(id, "resp_p", "integer");
      exactKeyword(p, "proto");
      exactKeyword(p, "service");
      // Zeek prints durations in microseconds: exact as a long of micros.
      p.putObject("duration")
          .put("type", "scaled_float")
          .put("scaling_factor", 1e6) // as the node returns it: 1000000.0
          .put("index", false);
      stored(p, "orig_bytes", "long");
      stored(p, "resp_bytes", "long");
      exactKeyword(p, "conn_state");
      stored(p, "missed_bytes", "long");
      // Shown, never searched: doc values only (a few hundred distinct strings, cheaper as
      // doc values than as a stored field).
      p.putObject("history").put("type", "keyword").put("index", false);
      stored(p, "orig_pkts", "long");
      stored(p, "orig_ip_bytes", "long");
      stored(p, "resp_pkts", "long");
      stored(p, "resp_ip_bytes", "long");
      stored(p, "vlan", "integer");
      stored(p, "inner_vlan", "integer");
      // Not Zeek's: the sensor and its link (as in alerts), added to shipped records by a sensor
      // that knows them; what per-link views group by.
      ObjectNode observer = object(p, "observer");
      exactKeyword(observer, "type");
      exactKeyword(observer, "name");
      exactKeyword(object(object(observer, "ingress"), "interface"), "name");
    }
  },
  /** Zeek's dns.log, field for field. */
  DNS(30, Retention::getDns) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "proto");
      num(p, "trans_id", "integer");
      num(p, "rtt", "double");
      keyword(p, "query");
      num(p, "qclass", "integer");
      keyword(p, "qclass_name");
      num(p, "qtype", "integer");
      keyword(p, "qtype_name");
      num(p, "rcode", "integer");
      keyword(p, "rcode_name");
      bool(p, "AA");
      bool(p, "TC");
      bool(p, "RD");
      bool(p, "RA");
      num(p, "Z", "integer");
      keyword(p, "answers");
      stored(p, "TTLs", "double");
      bool(p, "rejected");
    }
  },
  /** The sensor's ssl.log: Zeek's fields plus ja3, ja3s, ja4. */
  SSL(90, Retention::getSsl) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "version");
      keyword(p, "cipher");
      keyword(p, "curve");
      keyword(p, "server_name");
      keyword(p, "next_protocol");
      bool(p, "resumed");
      bool(p, "established");
      keyword(p, "ja3");
      keyword(p, "ja3s");
      keyword(p, "ja4");
      keyword(p, "subject");
      keyword(p, "issuer");
    }
  },
  /** Zeek's http.log. */
  HTTP(30, Retention::getHttp) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      num(p, "trans_depth", "integer");
      keyword(p, "method");
      keyword(p, "host");
      keyword(p, "uri");
      keyword(p, "referrer");
      keyword(p, "version");
      keyword(p, "user_agent");
      keyword(p, "origin");
      num(p, "request_body_len", "long");
      num(p, "response_body_len", "long");
      num(p, "status_code", "integer");
      keyword(p, "status_msg");
      num(p, "info_code", "integer");
      keyword(p, "info_msg");
      keyword(p, "tags");
      keyword(p, "username");
      keyword(p, "proxied");
      keyword(p, "orig_fuids");
      keyword(p, "orig_filenames");
      keyword(p, "orig_mime_types");
      keyword(p, "resp_fuids");
      keyword(p, "resp_filenames");
      keyword(p, "resp_mime_types");
    }
  },
  /**
   * ECS alerts ({@code dev.vigil.common.schema.Alert}, plus the agent's process and user extras);
   * {@code vigil.parents/workload/evidence} are kept in {@code _source} only.
   */
  ALERTS(365, Retention::getAlerts) {
    @Override
    String timeField() {
      return "@timestamp";
    }

    @Override
    void fields(ObjectNode p) {
      keyword(p, "message");
      ObjectNode event = object(p, "event");
      keyword(event, "kind");
      num(event, "severity", "integer");
      keyword(event, "dataset");
      keyword(object(p, "rule"), "name");
      endpoint(p, "source");
      endpoint(p, "destination");
      ObjectNode network = object(p, "network");
      keyword(network, "transport");
      keyword(network, "community_id");
      ObjectNode client = object(object(p, "tls"), "client");
      keyword(client, "ja3");
      keyword(client, "ja4");
      ObjectNode indicator = object(object(p, "threat"), "indicator");
      keyword(indicator, "type");
      keyword(indicator, "value");
      keyword(indicator, "description");
      ObjectNode observer = object(p, "observer");
      keyword(observer, "type");
      keyword(observer, "name");
      keyword(object(object(observer, "ingress"), "interface"), "name");
      keyword(object(p, "host"), "name");
      ObjectNode process = object(p, "process");
      num(process, "pid", "long");
      keyword(process, "executable");
      keyword(process, "name");
      keyword(process, "command_line");
      ObjectNode parent = object(process, "parent");
      num(parent, "pid", "long");
      keyword(parent, "executable");
      ObjectNode user = object(p, "user");
      keyword(user, "name");
      keyword(user, "id");
      ObjectNode orch = object(p, "orchestrator");
      keyword(orch, "type");
      keyword(orch, "namespace");
      ObjectNode resource = object(orch, "resource");
      keyword(resource, "type");
      keyword(resource, "name");
      keyword(resource, "id");
      keyword(object(orch, "job"), "id");
      keyword(object(p, "zeek"), "session_id");
      ObjectNode vigil = object(p, "vigil");
      keyword(vigil, "dedup_key");
      sourceOnly(vigil, "parents");
      sourceOnly(vigil, "workload");
      sourceOnly(vigil, "evidence");
    }
  },
  /** The agent's process.log, socket.log and resource.log lines. */
  HOST(30, Retention::getHost) {
    @Override
    void fields(ObjectNode p) {
      keyword(p, "node");
      keyword(p, "event");
      num(p, "pid", "long");
      num(p, "ppid", "long");
      num(p, "tid", "long");
      num(p, "child_pid", "long");
      num(p, "uid", "long");
      keyword(p, "user");
      keyword(p, "comm");
      keyword(p, "exe");
      keyword(p, "filename");
      keyword(p, "cmdline");
      num(p, "exit_code", "integer");
      num(p, "signal", "integer");
      sourceOnly(p, "parents");
      ObjectNode workload = object(p, "workload");
      keyword(workload, "kind");
      keyword(workload, "job_id");
      keyword(workload, "step");
      num(workload, "slurm_uid", "long");
      keyword(workload, "pod_uid");
      keyword(workload, "pod_namespace");
      keyword(workload, "pod_name");
      keyword(workload, "cgroup");
      // socket.log
      keyword(p, "family");
      ip(p, "src");
      num(p, "sport", "integer");
      ip(p, "dst");
      num(p, "dport", "integer");
      keyword(p, "direction");
      keyword(p, "community_id"); // joins with the sensor's conn records
      // resource.log
      keyword(p, "key");
      num(p, "cpu_fraction", "double");
      num(p, "cores", "integer");
      num(p, "rss_bytes", "long");
      num(p, "threads", "integer");
      num(p, "read_bytes", "long");
      num(p, "write_bytes", "long");
      num(p, "cgroup_cpu_fraction", "double");
      num(p, "cgroup_memory_bytes", "long");
      num(p, "gpu_util_percent", "double");
      num(p, "gpu_memory_bytes", "long");
      num(p, "pids", "integer");
      num(p, "top_pid", "long");
    }
  };

  private final int defaultDays;
  private final Function<Retention, RetentionClass> fromSpec;

  DataClass(int defaultDays, Function<Retention, RetentionClass> fromSpec) {
    this.defaultDays = defaultDays;
    this.fromSpec = fromSpec;
  }

  /** The lowercase name used in index names and status keys: conn, dns, ssl, http, alerts, host. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The spec's retention for this class, or null when unset. */
  public RetentionClass retention(Retention retention) {
    return retention == null ? null : fromSpec.apply(retention);
  }

  /** Days to keep: the spec's, or this class's default. */
  public int days(Retention retention) {
    RetentionClass r = retention(retention);
    return r == null || r.getDays() == null ? defaultDays : r.getDays();
  }

  /**
   * The field the class's records are stamped with, and its indices sorted by: {@code ts} (Zeek
   * style: epoch seconds with a fraction) for every class but the ECS alerts' {@code @timestamp}.
   */
  String timeField() {
    return "ts";
  }

  /** The time field's type: {@code date}, or {@code date_nanos} where its fraction must survive. */
  String timeType() {
    return "date";
  }

  /**
   * Whether time ranges are found through a skip index over the time field's doc values ({@code
   * skip_list}) instead of points: as quick on indices sorted by that field (measured 0.98×), 6
   * bytes/record less on conn (ADR 0010). Only conn so far, the class whose volume it pays on.
   */
  boolean timeBySkipIndex() {
    return false;
  }

  /**
   * Whether the class's indices derive {@code _source} ({@code index.derived_source.enabled})
   * instead of storing it. Such a class maps {@code dynamic: strict}: a field without a mapping
   * could not be derived and would vanish, so its record is rejected (dead-lettered, counted)
   * rather than silently cut.
   */
  public boolean derivedSource() {
    return false;
  }

  /** The mapping's {@code dynamic}: {@code strict} with a derived source, else {@code false}. */
  public String dynamic() {
    return derivedSource() ? "strict" : "false";
  }

  /** The index sort field; see {@link #timeField()}. */
  public String sortField() {
    return timeField();
  }

  /**
   * The mapping's properties: the class's time field, then per-class fields. Every field a sensor
   * or agent writes is here: the templates map with {@code dynamic: false}, so a field missing from
   * this list would be kept in {@code _source} but never searchable.
   */
  public ObjectNode properties() {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    if (timeField().equals("ts")) {
      // Zeek-style records carry ts as epoch seconds with up to microsecond fraction.
      ObjectNode ts = p.putObject("ts").put("type", timeType()).put("format", "epoch_second");
      if (timeBySkipIndex()) {
        ts.put("index", false).put("skip_list", true);
      }
    } else {
      p.putObject(timeField()).put("type", timeType()).put("format", "strict_date_optional_time");
    }
    fields(p);
    return p;
  }

  abstract void fields(ObjectNode p);

  static void zeekIds(ObjectNode p) {
    keyword(p, "uid");
    ObjectNode id = object(p, "id");
    ip(id, "orig_h");
    num(id, "orig_p", "integer");
    ip(id, "resp_h");
    num(id, "resp_p", "integer");
  }

  /** An object field's {@code properties}. */
  static ObjectNode object(ObjectNode p, String name) {
    ObjectNode o = (ObjectNode) p.get(name);
    if (o == null) {
      o = p.putObject(name);
    }
    return o.has("properties") ? (ObjectNode) o.get("properties") : o.putObject("properties");
  }

  static void endpoint(ObjectNode p, String name) {
    ObjectNode e = object(p, name);
    ip(e, "ip");
    num(e, "port", "integer");
  }

  static void keyword(ObjectNode p, String name) {
    p.putObject(name).put("type", "keyword").put("ignore_above", 1024);
  }

  /**
   * A keyword without {@code ignore_above} (which derived source does not support), for short
   * values the sensor controls: protocol and state names, sensor and link names.
   */
  static void exactKeyword(ObjectNode p, String name) {
    p.putObject(name).put("type", "keyword");
  }

  static void ip(ObjectNode p, String name) {
    p.putObject(name).put("type", "ip");
  }

  static void num(ObjectNode p, String name, String type) {
    p.putObject(name).put("type", type);
  }

  /**
   * A number rarely searched: not indexed (no points), still aggregatable (doc values), e.g. for a
   * dashboard's sum of packets.
   */
  static void stored(ObjectNode p, String name, String type) {
    p.putObject(name).put("type", type).put("index", false);
  }

  static void bool(ObjectNode p, String name) {
    p.putObject(name).put("type", "boolean");
  }

  /** An object kept in {@code _source} only (free-form evidence), never mapped. */
  static void sourceOnly(ObjectNode p, String name) {
    p.putObject(name).put("type", "object").put("enabled", false);
  }
}
