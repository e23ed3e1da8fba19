package dev.vigil.agent.detect;

import dev.vigil.common.policy.Cidr;
import dev.vigil.common.policy.PolicyDocument;
import dev.vigil.common.schema.Detectors;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code spec.suppressions[]} of the operator's compiled DetectorPolicies, as the shared reader
 * ({@link PolicyDocument#readSuppressions}) checks them, applied to host alerts: known-benign
 * activity whose alerts are counted per suppression instead of being raised, until it expires.
 *
 * <p>Every field set in {@code match} must match the alert: {@code detector} is the DetectorPolicy
 * detector name ({@code connect-back} for ConnectBack; {@code silent-miner} for SilentMiner and
 * MinerExecutable, which spec.silentMiner configures; the common {@link Detectors} table); {@code
 * source}/{@code destination} are CIDRs over the alert's {@code src}/{@code dst} (an alert without
 * both addresses does not match); {@code node} is this agent's node; {@code fingerprint} (JA3/JA4)
 * is for the sensor and never matches a host alert. {@code expires} is RFC 3339; from that instant
 * on the suppression no longer applies (checked at every alert, no reload needed).
 */
public final class Suppressions {

  /**
   * One suppression; {@code id} is {@code namespace/name#index} of the DetectorPolicy it came from.
   */
  public record Suppression(String id, PolicyDocument.Suppression rule) {

    public String detector() {
      return rule.detector();
    }

    public Cidr source() {
      return rule.source();
    }

    public Cidr destination() {
      return rule.destination();
    }

    public String fingerprint() {
      return rule.fingerprint();
    }

    public String node() {
      return rule.node();
    }

    public String reason() {
      return rule.reason();
    }

    public Instant expires() {
      return rule.expires();
    }

    /** Whether this suppression applies to {@code alert} raised on {@code node} at {@code now}. */
    public boolean matches(Alert alert, String agentNode, Instant now) {
      long[] src = address(alert.fields().get("src"));
      long[] dst = address(alert.fields().get("dst"));
      boolean both = src != null && dst != null;
      // no fingerprint: TLS fingerprints are the sensor's, a host alert never has one
      return rule.matches(
          Detectors.of(alert.note()),
          both,
          both ? src[0] : 0,
          both ? src[1] : 0,
          both ? dst[0] : 0,
          both ? dst[1] : 0,
          null,
          agentNode,
          now);
    }

    private static long[] address(Object value) {
      if (!(value instanceof String s) || s.isEmpty()) {
        return null;
      }
      try {
        return Cidr.hiLo(s);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
  }

  private Suppressions() {}

  /** The suppressions of one DetectorPolicy ({@code namespace/name}), named by their index. */
  public static List<Suppression> of(String policy, List<PolicyDocument.Suppression> rules) {
    return rules.stream().map(r -> new Suppression(policy + "#" + r.index(), r)).toList();
  }

  /** The first suppression applying to {@code alert}, if any. */
  public static Optional<Suppression> find(
      List<Suppression> all, Alert alert, String node, Instant now) {
    for (Suppression s : all) {
      if (s.matches(alert, node, now)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
