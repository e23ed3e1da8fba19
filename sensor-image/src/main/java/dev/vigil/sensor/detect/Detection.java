package dev.vigil.sensor.detect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.policy.PolicyDocument.Suppression;
import dev.vigil.common.schema.Alert;
import dev.vigil.common.schema.CommunityId;
import dev.vigil.sensor.analyzer.AnalyzerSinks;
import dev.vigil.sensor.analyzer.DnsSink;
import dev.vigil.sensor.analyzer.DnsTransaction;
import dev.vigil.sensor.analyzer.FactSink;
import dev.vigil.sensor.analyzer.HttpSink;
import dev.vigil.sensor.analyzer.HttpTransaction;
import dev.vigil.sensor.analyzer.SslSession;
import dev.vigil.sensor.analyzer.SslSink;
import dev.vigil.sensor.analyzer.StratumSession;
import dev.vigil.sensor.flow.ConnRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One worker's detection stage: takes each fact the analyzers report as soon as it is known (a
 * connection's first packet, a parsed ClientHello or ServerHello, an identified Stratum client; and
 * each DNS and HTTP transaction as it completes through {@link DnsSink} and {@link HttpSink}: the
 * query name and answers, the Host header and URL go to the trails), runs every detector under
 * every policy in force, and turns findings into alerts at once. {@link #sinks()} hands all of it
 * to the analyzers.
 *
 * <p>Per finding and policy: a matching, unexpired suppression of that policy makes it {@code
 * suppressed}; otherwise a {@code mode: shadow} policy makes it {@code shadow} (counted, not
 * emitted); otherwise it alerts. The same finding from several policies (same rule, fingerprint or
 * indicator) becomes one alert with the highest severity among the policies that alert, and is
 * counted once, under the strongest outcome (alert, then shadow, then suppressed).
 *
 * <p>The policy is read through {@code policy} once per fact (a volatile read in the watcher): a
 * reload takes effect at the next fact with no lock on the packet path. Each connection fact is
 * judged once per connection (a long connection split by the active timeout does not alert again
 * for each part; {@link #onRetire} frees the flow id). Single-threaded, like the pipeline that owns
 * it.
 */
public final class Detection implements FactSink, DnsSink, HttpSink {
  static final String DATASET = "vigil.sensor";

  // Facts judged for the connection on a flow id (each once per connection).
  private static final byte DONE_CONN = 1;
  private static final byte DONE_CLIENT = 2;
  private static final byte DONE_SERVER = 4;
  private static final byte DONE_STRATUM = 8;

  private final Supplier<SensorPolicy> policy;
  private final NoticeSink notices;
  private final DetectionStats stats;
  private final long uidSeed;
  private final String sensorName;
  private final String link;
  private final byte[] done;
  private final FlowContext ctx = new FlowContext();

  /** For DNS and HTTP transactions: their own time, the connection's identity. */
  private final FlowContext txCtx = new FlowContext();

  private final List<Finding> findings = new ArrayList<>();
  private final List<SensorPolicy.Rules> from = new ArrayList<>();

  private final TlsBlocklistDetector tls = new TlsBlocklistDetector();
  private final StratumDetector stratum = new StratumDetector();
  private final TrailDetector trails = new TrailDetector();
  private final ConnectBackDetector connectBack = new ConnectBackDetector();

  /**
   * @param maxFlows the flow table's capacity (flow ids are below it)
   * @param policy the policy in force, read once per connection
   * @param sensorName {@code observer.name}, or null
   * @param link {@code observer.ingress.interface.name}: the link the sensor listens on, or null
   */
  public Detection(
      int maxFlows,
      Supplier<SensorPolicy> policy,
      NoticeSink notices,
      DetectionStats stats,
      long uidSeed,
      String sensorName,
      String link) {
    this.policy = policy;
    this.notices = notices;
    this.stats = stats;
    this.uidSeed = uidSeed;
    this.sensorName = sensorName;
    this.link = link;
    this.done = new byte[Math.max(1, maxFlows)];
  }

  @Override
  public void onConnection(int flow, ConnRecord conn) {
    if (first(flow, DONE_CONN)) {
      judge(conn, null, null, J_CONN);
    }
  }

  @Override
  public void onClientHello(int flow, ConnRecord conn, SslSession ssl) {
    if (first(flow, DONE_CLIENT)) {
      judge(conn, ssl, null, J_CLIENT);
    }
  }

  @Override
  public void onServerHello(int flow, ConnRecord conn, SslSession ssl) {
    if (first(flow, DONE_SERVER)) {
      judge(conn, ssl, null, J_SERVER);
    }
  }

  @Override
  public void onStratum(int flow, ConnRecord conn, StratumSession m) {
    if (first(flow, DONE_STRATUM)) {
      judge(conn, null, m, J_STRATUM);
    }
  }

  @Override
  public void onRetire(int flow) {
    done[flow] = 0;
  }

  /** One byte per flow id: which facts of its connection were judged. */
  @Override
  public long stateBytes() {
    return done.length;
  }

  /** Marks {@code bit} judged for the connection on {@code flow}; false when it was already. */
  private boolean first(int flow, byte bit) {
    byte d = done[flow];
    if ((d & bit) != 0) {
      return false;
    }
    done[flow] = (byte) (d | bit);
    return true;
  }

  private static final int J_CONN = 0;
  private static final int J_CLIENT = 1;
  private static final int J_SERVER = 2;
  private static final int J_STRATUM = 3;

  /** One fact under every policy in force (read once per fact). Allocates only for findings. */
  private void judge(ConnRecord conn, SslSession ssl, StratumSession m, int what) {
    SensorPolicy p = policy.get();
    List<SensorPolicy.Rules> all = p.rules();
    if (all.isEmpty()) {
      return;
    }
    ctx.set(conn);
    for (int k = 0; k < all.size(); k++) { // indexed: no iterator per fact
      SensorPolicy.Rules r = all.get(k);
      int before = findings.size();
      switch (what) {
        case J_CONN -> {
          trails.onConnection(r, ctx, findings);
          connectBack.onConnection(r, ctx, findings);
        }
        case J_CLIENT -> {
          tls.onClientHello(r, ctx, ssl, findings);
          if (ssl.serverName != null) {
            trails.onSni(r, ctx, ssl.serverName, ssl.tsNanos, findings);
          }
        }
        case J_SERVER -> tls.onServerHello(r, ctx, ssl, findings);
        default -> stratum.onStratum(r, ctx, m, findings);
      }
      for (int i = before; i < findings.size(); i++) {
        from.add(r);
      }
    }
    resolve();
  }

  /** The analyzer sinks that feed this stage: connection facts, DNS and HTTP transactions. */
  public AnalyzerSinks sinks() {
    return new AnalyzerSinks(SslSink.NONE, this, this, this);
  }

  /** A DNS transaction from the analyzers: its query name and answers against the trails. */
  @Override
  public void onDns(DnsTransaction t, ConnRecord conn) {
    List<String> answers = t.answers();
    if (t.query() == null && (answers == null || answers.isEmpty())) {
      return;
    }
    if (policy.get().rules().isEmpty()) {
      return;
    }
    txCtx.set(conn).tsNanos = t.tsNanos();
    onDnsQuery(txCtx, t.query(), answers);
  }

  /** An HTTP transaction from the analyzers: its Host header and URL against the trails. */
  @Override
  public void onHttp(HttpTransaction t, ConnRecord conn) {
    if (t.host() == null && t.uri() == null) {
      return; // a response without a request
    }
    if (policy.get().rules().isEmpty()) {
      return;
    }
    txCtx.set(conn).tsNanos = t.tsNanos();
    onHttpRequest(txCtx, t.host(), t.uri() == null ? "/" : t.uri());
  }

  /**
   * A DNS query seen on {@code ctx}, with the names and addresses of its answers (may be empty or
   * null). For the DNS analyzer; call from the worker that owns this instance.
   */
  public void onDnsQuery(FlowContext ctx, String query, List<String> answers) {
    for (SensorPolicy.Rules r : policy.get().rules()) {
      int before = findings.size();
      trails.onDnsQuery(r, ctx, query, answers, findings);
      for (int i = before; i < findings.size(); i++) {
        from.add(r);
      }
    }
    resolve(ctx);
  }

  /** An HTTP request on {@code ctx}: its Host header and request target (URI). */
  public void onHttpRequest(FlowContext ctx, String host, String uri) {
    for (SensorPolicy.Rules r : policy.get().rules()) {
      int before = findings.size();
      trails.onHttpRequest(r, ctx, host, uri, findings);
      for (int i = before; i < findings.size(); i++) {
        from.add(r);
      }
    }
    resolve(ctx);
  }

  private void resolve() {
    resolve(ctx);
  }

  private void resolve(FlowContext c) {
    if (findings.isEmpty()) {
      return;
    }
    try {
      Instant now = Instant.now();
      // key → [best finding to alert with, outcome]
      Map<String, Finding> alert = new LinkedHashMap<>();
      Map<String, Integer> outcome = new LinkedHashMap<>();
      for (int i = 0; i < findings.size(); i++) {
        Finding f = findings.get(i);
        SensorPolicy.Rules r = from.get(i);
        int o = suppressed(r, f, c, now) ? 2 : r.shadow() ? 1 : 0;
        String k = f.key();
        Integer prev = outcome.get(k);
        if (prev == null || o < prev) {
          outcome.put(k, o);
        }
        if (o == 0) {
          Finding best = alert.get(k);
          if (best == null || f.severity() > best.severity()) {
            alert.put(k, f);
          }
        }
      }
      for (Map.Entry<String, Integer> e : outcome.entrySet()) {
        int o = e.getValue();
        String detector = null;
        for (Finding f : findings) {
          if (f.key().equals(e.getKey())) {
            detector = f.detector();
            break;
          }
        }
        stats.add(detector, o);
        if (o == 0) {
          emit(alert.get(e.getKey()), c);
        }
      }
    } finally {
      findings.clear();
      from.clear();
    }
  }

  private static boolean suppressed(SensorPolicy.Rules r, Finding f, FlowContext c, Instant now) {
    for (Suppression s : r.doc().suppressions()) {
      if (s.matches(
          f.detector(), true, c.origHi, c.origLo, c.respHi, c.respLo, f.fingerprint(), null, now)) {
        return true;
      }
    }
    return false;
  }

  private void emit(Finding f, FlowContext c) {
    String src = c.origIp();
    String dst = c.respIp();
    String transport =
        switch (c.proto) {
          case 6 -> "tcp";
          case 17 -> "udp";
          case 1 -> "icmp";
          case 58 -> "ipv6-icmp";
          default -> null;
        };
    Alert.Builder b =
        Alert.builder(Instant.ofEpochSecond(0, f.tsNanos()), f.rule(), f.severity())
            .message(f.message())
            .dataset(DATASET)
            .source(src, c.origPort)
            .destination(dst, c.respPort)
            .transport(transport)
            .communityId(communityId(c))
            .ja3(f.ja3())
            .ja4(f.ja4())
            .zeekUid(c.uid(uidSeed));
    if (f.indicatorValue() != null) {
      b.indicator(f.indicatorType(), f.indicatorValue(), f.indicatorDescription());
    }
    if (sensorName != null || link != null) {
      b.sensor(sensorName, link);
    }
    Alert a = b.build();
    ObjectNode json = a.toJson();
    if (!f.evidence().isEmpty()) {
      ObjectNode ev = ((ObjectNode) json.get("vigil")).putObject("evidence");
      f.evidence().forEach(ev::put);
    }
    notices.onAlert(a, json);
  }

  private static String communityId(FlowContext c) {
    try {
      return CommunityId.v1(
          FlowContext.bytes(c.origHi, c.origLo),
          c.origPort,
          FlowContext.bytes(c.respHi, c.respLo),
          c.respPort,
          c.proto,
          0);
    } catch (IllegalArgumentException e) {
      return null; // mixed families cannot happen on one flow; be safe
    }
  }
}
