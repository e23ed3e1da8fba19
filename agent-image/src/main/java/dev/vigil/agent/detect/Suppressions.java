package dev.vigil.agent.detect;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code spec.suppressions[]} of the operator's compiled DetectorPolicies: known-benign
 * activity whose alerts are counted per suppression instead of being raised, until the suppression
 * expires.
 *
 * <p>Every field set in {@code match} must match the alert: {@code detector} is the DetectorPolicy
 * detector name ({@code connect-back} for ConnectBack; {@code silent-miner} for SilentMiner and
 * MinerExecutable, which spec.silentMiner configures); {@code source}/{@code destination} are CIDRs
 * over the alert's {@code src}/{@code dst} (an alert without the address does not match); {@code
 * node} is this agent's node; {@code fingerprint} (JA3/JA4) is for the sensor and never matches a
 * host alert. {@code expires} is RFC 3339; from that instant on the suppression no longer applies
 * (checked at every alert, no reload needed).
 */
public final class Suppressions {

  /**
   * One suppression; {@code id} is {@code namespace/name#index} of the DetectorPolicy it came from.
   */
  public record Suppression(
      String id,
      String detector,
      Cidr source,
      Cidr destination,
      String fingerprint,
      String node,
      String reason,
      Instant expires) {

    /** Whether this suppression applies to {@code alert} raised on {@code node} at {@code now}. */
    public boolean matches(Alert alert, String agentNode, Instant now) {
      if (!now.isBefore(expires)) {
        return false;
      }
      if (fingerprint != null) {
        return false; // TLS fingerprints are the sensor's; host alerts have none
      }
      if (detector != null && !detector.equals(detectorOf(alert.note()))) {
        return false;
      }
      if (node != null && !node.equals(agentNode)) {
        return false;
      }
      return address(source, alert.fields().get("src"))
          && address(destination, alert.fields().get("dst"));
    }

    private static boolean address(Cidr range, Object value) {
      if (range == null) {
        return true;
      }
      if (!(value instanceof String s) || s.isEmpty()) {
        return false;
      }
      try {
        return range.contains(InetAddress.ofLiteral(s));
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }

  private Suppressions() {}

  /** The DetectorPolicy detector name of an agent note. */
  public static String detectorOf(String note) {
    return switch (note) {
      case Alert.CONNECT_BACK -> "connect-back";
      case Alert.SILENT_MINER, Alert.MINER_EXECUTABLE -> "silent-miner";
      default -> note;
    };
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

  /**
   * Parses {@code spec.suppressions} of one compiled file; each problem (named by index) goes to
   * {@code problems} and that entry is left out.
   */
  static List<Suppression> parse(JsonNode list, String source, List<String> problems) {
    List<Suppression> out = new ArrayList<>();
    if (list.isMissingNode() || list.isNull()) {
      return out;
    }
    if (!list.isArray()) {
      problems.add("spec.suppressions must be a list");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      String at = "spec.suppressions[" + i + "]";
      JsonNode s = list.get(i);
      JsonNode m = s.path("match");
      if (!m.isObject()) {
        problems.add(at + ".match missing or not an object");
        continue;
      }
      int before = problems.size();
      for (var f : (Iterable<Map.Entry<String, JsonNode>>) m::fields) {
        if (!List.of("detector", "source", "destination", "fingerprint", "node")
            .contains(f.getKey())) {
          problems.add(at + ".match." + f.getKey() + ": unknown field");
        } else if (!f.getValue().isTextual() || f.getValue().asText().isEmpty()) {
          problems.add(at + ".match." + f.getKey() + " must be a non-empty string");
        }
      }
      if (!m.fields().hasNext()) {
        problems.add(
            at + ".match needs at least one of detector, source, destination, fingerprint, node");
      }
      Cidr src = cidr(m, "source", at, problems);
      Cidr dst = cidr(m, "destination", at, problems);
      String reason = s.path("reason").asText("");
      if (!s.path("reason").isTextual() || reason.isBlank()) {
        problems.add(at + ".reason missing");
      }
      Instant expires = null;
      if (!s.path("expires").isTextual()) {
        problems.add(at + ".expires missing (an RFC 3339 time such as 2026-12-31T23:59:59Z)");
      } else {
        try {
          expires = OffsetDateTime.parse(s.path("expires").asText()).toInstant();
        } catch (DateTimeParseException e) {
          problems.add(
              at
                  + ".expires must be an RFC 3339 time such as 2026-12-31T23:59:59Z, got "
                  + s.path("expires").asText());
        }
      }
      if (problems.size() != before) {
        continue;
      }
      out.add(
          new Suppression(
              source + "#" + i,
              text(m, "detector"),
              src,
              dst,
              text(m, "fingerprint"),
              text(m, "node"),
              reason,
              expires));
    }
    return out;
  }

  private static String text(JsonNode m, String key) {
    return m.path(key).isTextual() ? m.path(key).asText() : null;
  }

  private static Cidr cidr(JsonNode m, String key, String at, List<String> problems) {
    if (!m.path(key).isTextual()) {
      return null;
    }
    try {
      return Cidr.parse(m.path(key).asText());
    } catch (RuntimeException e) {
      problems.add(at + ".match." + key + ": " + e.getMessage());
      return null;
    }
  }
}
