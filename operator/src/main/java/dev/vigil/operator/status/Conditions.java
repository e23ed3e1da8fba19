package dev.vigil.operator.status;

import dev.vigil.api.v1alpha1.Condition;
import dev.vigil.api.v1alpha1.VigilStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds a status's {@code Ready}/{@code Progressing}/{@code Degraded} conditions for one pass of a
 * reconciler and merges them with the previous ones, keeping {@code lastTransitionTime} when a
 * condition's status did not change — so the time means "since when", and a status with nothing new
 * compares equal and is not written (keycloak's KeycloakStatusAggregator).
 */
public final class Conditions {

  private final Map<Condition.Type, Condition> next = new EnumMap<>(Condition.Type.class);
  private final long generation;
  private final Clock clock;

  public Conditions(long generation) {
    this(generation, Clock.systemUTC());
  }

  Conditions(long generation, Clock clock) {
    this.generation = generation;
    this.clock = clock;
  }

  public Conditions set(Condition.Type type, boolean value, String reason, String message) {
    Condition c = new Condition();
    c.setType(type);
    c.setStatus(value ? Condition.Status.TRUE : Condition.Status.FALSE);
    c.setReason(reason);
    c.setMessage(message);
    c.setObservedGeneration(generation);
    next.put(type, c);
    return this;
  }

  /** Ready, not progressing, not degraded. */
  public Conditions ready(String reason, String message) {
    return set(Condition.Type.READY, true, reason, message)
        .set(Condition.Type.PROGRESSING, false, reason, message)
        .set(Condition.Type.DEGRADED, false, reason, message);
  }

  /** Not ready yet, but on its way. */
  public Conditions progressing(String reason, String message) {
    return set(Condition.Type.READY, false, reason, message)
        .set(Condition.Type.PROGRESSING, true, reason, message)
        .set(Condition.Type.DEGRADED, false, reason, message);
  }

  /** Broken until a person fixes something the message names. */
  public Conditions degraded(String reason, String message) {
    return set(Condition.Type.READY, false, reason, message)
        .set(Condition.Type.PROGRESSING, false, reason, message)
        .set(Condition.Type.DEGRADED, true, reason, message);
  }

  /** Writes observedGeneration and the merged conditions into {@code status}. */
  public <S extends VigilStatus> S applyTo(S status, VigilStatus previous) {
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> merged = new ArrayList<>();
    for (Condition.Type type : Condition.Type.values()) {
      Condition c = next.get(type);
      if (c == null) {
        continue;
      }
      Condition old = find(previous, type);
      c.setLastTransitionTime(
          old != null && old.getStatus() == c.getStatus() && old.getLastTransitionTime() != null
              ? old.getLastTransitionTime()
              : now);
      merged.add(c);
    }
    status.setObservedGeneration(generation);
    status.setConditions(merged);
    return status;
  }

  public static Condition find(VigilStatus status, Condition.Type type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    return status.getConditions().stream()
        .filter(c -> c.getType() == type)
        .findFirst()
        .orElse(null);
  }

  public static boolean isTrue(VigilStatus status, Condition.Type type) {
    Condition c = find(status, type);
    return c != null && c.getStatus() == Condition.Status.TRUE;
  }

  /** Same conditions (type, status, reason, message, generation) and same observedGeneration. */
  public static boolean sameConditions(VigilStatus a, VigilStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    if (!Objects.equals(a.getObservedGeneration(), b.getObservedGeneration())) {
      return false;
    }
    List<Condition> x = a.getConditions() == null ? List.of() : a.getConditions();
    List<Condition> y = b.getConditions() == null ? List.of() : b.getConditions();
    if (x.size() != y.size()) {
      return false;
    }
    for (int i = 0; i < x.size(); i++) {
      Condition p = x.get(i);
      Condition q = y.get(i);
      if (p.getType() != q.getType()
          || p.getStatus() != q.getStatus()
          || !Objects.equals(p.getReason(), q.getReason())
          || !Objects.equals(p.getMessage(), q.getMessage())
          || !Objects.equals(p.getObservedGeneration(), q.getObservedGeneration())
          || !Objects.equals(p.getLastTransitionTime(), q.getLastTransitionTime())) {
        return false;
      }
    }
    return true;
  }
}
