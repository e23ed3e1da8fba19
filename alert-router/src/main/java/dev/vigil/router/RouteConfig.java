package dev.vigil.router;

import dev.vigil.common.schema.Detectors;
import java.util.Objects;
import java.util.Set;

/**
 * One notification route.
 *
 * @param name the route's name (a DNS label, unique in the pipeline)
 * @param minSeverity lowest {@code event.severity} routed, on the ECS 1/21/47/73/99 scale
 * @param detectors detectors routed, by API name ({@code stratum}, {@code silent-miner}, ...: see
 *     {@link Detectors}) or by {@code rule.name}; empty routes every detector
 * @param target where notifications go, secrets resolved
 */
public record RouteConfig(String name, int minSeverity, Set<String> detectors, Target target) {

  public RouteConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(target, "target");
    detectors = detectors == null ? Set.of() : Set.copyOf(detectors);
  }

  /** Whether an alert group of this detector and (highest) severity goes to this route. */
  public boolean matches(String ruleName, int severity) {
    return severity >= minSeverity
        && (detectors.isEmpty()
            || detectors.stream().anyMatch(d -> Detectors.selects(d, ruleName)));
  }
}
