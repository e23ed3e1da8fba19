package dev.vigil.sensor.detect;

import dev.vigil.common.policy.Cidr;
import dev.vigil.common.policy.CidrSet;
import dev.vigil.common.policy.PolicyDirectory;
import dev.vigil.common.policy.PolicyDocument;
import dev.vigil.common.policy.PolicyDocument.Fingerprint;
import dev.vigil.common.policy.PolicyDocument.Indicator;
import dev.vigil.common.policy.PrefixMap;
import dev.vigil.common.policy.Severity;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sensor's compiled, immutable form of the DetectorPolicies in force: one {@link Rules} per
 * policy, each evaluated on its own (its blocklists, trails, internal networks and allowlist, its
 * suppressions, its mode), so one team's allowlist or suppression never silences another team's
 * policy. Built off the packet path by the policy watcher and swapped in whole; the workers only
 * read it.
 */
public final class SensorPolicy {
  /** No policy: nothing is detected. */
  public static final SensorPolicy NONE = new SensorPolicy(List.of(), List.of());

  private final List<Rules> rules;
  private final List<String> sources;

  private SensorPolicy(List<Rules> rules, List<String> sources) {
    this.rules = List.copyOf(rules);
    this.sources = List.copyOf(sources);
  }

  public List<Rules> rules() {
    return rules;
  }

  /** {@code namespace/name@generation} of every policy in force. */
  public List<String> sources() {
    return sources;
  }

  /**
   * Compiles loaded policy files.
   *
   * @param defaultInternal the SensorCluster's internalNetworks (from sensor.json): connect-back's
   *     internal networks for a policy that lists none
   */
  public static SensorPolicy compile(PolicyDirectory.Loaded loaded, CidrSet defaultInternal) {
    List<Rules> out = new ArrayList<>();
    for (PolicyDocument d : loaded.policies()) {
      out.add(Rules.of(d, defaultInternal));
    }
    return new SensorPolicy(out, loaded.sources());
  }

  /** One policy's detectors, ready to match. */
  public record Rules(
      PolicyDocument doc,
      Map<String, Fingerprint> ja3,
      Map<String, Fingerprint> ja3s,
      Map<String, Fingerprint> ja4,
      boolean stratum,
      int stratumSeverity,
      boolean connectBack,
      CidrSet internal,
      CidrSet allowed,
      int connectBackSeverity,
      Trails trails) {

    public boolean shadow() {
      return doc.shadow();
    }

    static Rules of(PolicyDocument d, CidrSet defaultInternal) {
      // Absent sections take the CRD's defaults ({} → enabled).
      PolicyDocument.StratumRule st =
          d.stratum() != null ? d.stratum() : new PolicyDocument.StratumRule(true, Severity.HIGH);
      PolicyDocument.ConnectBackRule cb =
          d.connectBack() != null
              ? d.connectBack()
              : new PolicyDocument.ConnectBackRule(
                  true, CidrSet.empty(), CidrSet.empty(), Severity.MEDIUM);
      CidrSet internal = cb.internalNetworks().isEmpty() ? defaultInternal : cb.internalNetworks();
      return new Rules(
          d,
          index(d.tls().ja3()),
          index(d.tls().ja3s()),
          index(d.tls().ja4()),
          st.enabled(),
          st.severity(),
          cb.enabled() && !internal.isEmpty(),
          internal,
          cb.allowedDestinations(),
          cb.severity(),
          Trails.of(d.trails()));
    }

    private static Map<String, Fingerprint> index(List<Fingerprint> l) {
      Map<String, Fingerprint> m = new HashMap<>();
      for (Fingerprint f : l) {
        m.merge(f.value(), f, (a, b) -> a.severity() >= b.severity() ? a : b);
      }
      return Map.copyOf(m);
    }
  }

  /**
   * A policy's threat-intel indicators, indexed: addresses and CIDRs by longest prefix, IP:port by
   * address then port, domains by name (a query matches a listed domain and any name under it),
   * URLs by host and path.
   */
  public record Trails(
      PrefixMap<Indicator> addresses,
      PrefixMap<List<Indicator>> addressPorts,
      DomainIndex domains,
      Map<String, Indicator> urls) {

    static Trails of(List<Indicator> indicators) {
      PrefixMap.Builder<Indicator> addr = new PrefixMap.Builder<>();
      PrefixMap.Builder<List<Indicator>> ports = new PrefixMap.Builder<>();
      Map<String, Indicator> domains = new HashMap<>();
      Map<String, Indicator> urls = new HashMap<>();
      for (Indicator i : indicators) {
        switch (i.type()) {
          case "ip", "cidr" -> addr.merge(Cidr.parse(i.value()), i, SensorPolicy::stronger);
          case "ip_port" -> {
            int colon = i.value().lastIndexOf(':');
            ports.merge(
                Cidr.parse(i.value().substring(0, colon)),
                List.of(i),
                (a, b) -> {
                  List<Indicator> l = new ArrayList<>(a);
                  l.addAll(b);
                  return List.copyOf(l);
                });
          }
          case "domain" -> domains.merge(normalName(i.value()), i, SensorPolicy::stronger);
          case "url" -> {
            String k = urlKey(i.value());
            if (k != null) {
              urls.merge(k, i, SensorPolicy::stronger);
            }
          }
          default -> {} // PolicyDocument admits only the types above
        }
      }
      return new Trails(addr.build(), ports.build(), new DomainIndex(domains), Map.copyOf(urls));
    }

    public boolean isEmpty() {
      return addresses.isEmpty() && addressPorts.isEmpty() && domains.isEmpty() && urls.isEmpty();
    }

    /** The indicator for an address (with port, for {@code ip_port} trails), or null. */
    public Indicator address(long hi, long lo, int port) {
      Indicator i = addresses.longestMatch(hi, lo);
      if (i != null) {
        return i;
      }
      List<Indicator> l = addressPorts.longestMatch(hi, lo);
      if (l != null) {
        String suffix = ":" + port;
        for (Indicator p : l) {
          if (p.value().endsWith(suffix)) {
            return p;
          }
        }
      }
      return null;
    }

    /** The indicator for a name or the nearest listed parent domain, or null (no allocation). */
    public Indicator domain(String name) {
      return domains.lookup(name);
    }

    /** The indicator for an HTTP request's host and URI (with or without its query), or null. */
    public Indicator url(String host, String uri) {
      if (urls.isEmpty() || host == null) {
        return null;
      }
      String h = hostOnly(host);
      String path = uri == null || uri.isEmpty() ? "/" : uri;
      if (path.contains("://")) { // absolute-form request target (proxy)
        String k = urlKey(path);
        return k == null ? null : urls.get(k);
      }
      Indicator i = urls.get(h + path);
      if (i == null) {
        int q = path.indexOf('?');
        if (q >= 0) {
          i = urls.get(h + path.substring(0, q));
        }
      }
      return i;
    }
  }

  static Indicator stronger(Indicator a, Indicator b) {
    return a.severity() >= b.severity() ? a : b;
  }

  /** Lower case, without a trailing dot. */
  static String normalName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /** A Host header without its port (and IPv6 brackets kept), lower case. */
  static String hostOnly(String host) {
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (h.startsWith("[")) {
      int e = h.indexOf(']');
      return e > 0 ? h.substring(0, e + 1) : h;
    }
    int colon = h.lastIndexOf(':');
    if (colon > 0 && h.indexOf(':') == colon) {
      h = h.substring(0, colon);
    }
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  /** {@code host/path?query} of an absolute URL, host lower-cased, port and scheme dropped. */
  static String urlKey(String url) {
    try {
      URI u = URI.create(url.strip());
      if (u.getHost() == null) {
        return null;
      }
      String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
      String q = u.getRawQuery() != null ? "?" + u.getRawQuery() : "";
      return hostOnly(u.getHost()) + path + q;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
