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
  CONN(30, Retention::getConn) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "proto");
      keyword(p, "service");
      num(p, "duration", "double");
      num(p, "orig_bytes", "long");
      num(p, "resp_bytes", "long");
      keyword(p, "conn_state");
      num(p, "missed_bytes", "long");
      keyword(p, "history");
      num(p, "orig_pkts", "long");
      num(p, "orig_ip_bytes", "long");
      num(p, "resp_pkts", "long");
      num(p, "resp_ip_bytes", "long");
      num(p, "vlan", "integer");
      num(p, "inner_vlan", "integer");
      keyword(p, "link");
    }
  },
  DNS(30, Retention::getDns) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "proto");
      num(p, "trans_id", "integer");
      keyword(p, "query");
      keyword(p, "qclass_name");
      keyword(p, "qtype_name");
      keyword(p, "rcode_name");
      keyword(p, "answers");
      num(p, "rtt", "double");
    }
  },
  SSL(90, Retention::getSsl) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "version");
      keyword(p, "cipher");
      keyword(p, "server_name");
      keyword(p, "ja3");
      keyword(p, "ja3s");
      keyword(p, "ja4");
      keyword(p, "subject");
      keyword(p, "issuer");
      bool(p, "established");
    }
  },
  HTTP(30, Retention::getHttp) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "method");
      keyword(p, "host");
      keyword(p, "uri");
      keyword(p, "user_agent");
      num(p, "status_code", "integer");
      num(p, "request_body_len", "long");
      num(p, "response_body_len", "long");
    }
  },
  ALERTS(365, Retention::getAlerts) {
    @Override
    void fields(ObjectNode p) {
      zeekIds(p);
      keyword(p, "detector");
      keyword(p, "severity");
      keyword(p, "dedup_key");
      keyword(p, "message");
      keyword(p, "node");
      keyword(p, "job");
      keyword(p, "user");
      keyword(p, "link");
    }
  },
  HOST(30, Retention::getHost) {
    @Override
    void fields(ObjectNode p) {
      keyword(p, "node");
      keyword(p, "event");
      num(p, "pid", "long");
      num(p, "ppid", "long");
      num(p, "uid", "long");
      keyword(p, "comm");
      keyword(p, "exe");
      keyword(p, "cgroup");
      keyword(p, "job");
      keyword(p, "user");
      ip(p, "dst_ip");
      num(p, "dst_port", "integer");
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
   * The mapping's properties: a time field both sensors and agents write, then per-class fields.
   */
  public ObjectNode properties() {
    ObjectNode p = JsonNodeFactory.instance.objectNode();
    // Zeek-style records carry ts as epoch seconds with a fraction; shippers may add @timestamp.
    p.putObject("ts").put("type", "date").put("format", "epoch_second||strict_date_optional_time");
    p.putObject("@timestamp").put("type", "date");
    keyword(p, "sensor");
    fields(p);
    return p;
  }

  abstract void fields(ObjectNode p);

  static void zeekIds(ObjectNode p) {
    keyword(p, "uid");
    ObjectNode id = p.putObject("id").putObject("properties");
    ip(id, "orig_h");
    num(id, "orig_p", "integer");
    ip(id, "resp_h");
    num(id, "resp_p", "integer");
  }

  static void keyword(ObjectNode p, String name) {
    p.putObject(name).put("type", "keyword").put("ignore_above", 1024);
  }

  static void ip(ObjectNode p, String name) {
    p.putObject(name).put("type", "ip");
  }

  static void num(ObjectNode p, String name, String type) {
    p.putObject(name).put("type", type);
  }

  static void bool(ObjectNode p, String name) {
    p.putObject(name).put("type", "boolean");
  }
}
