package dev.vigil.operator;

import io.javaoperatorsdk.operator.Operator;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** /q/health: live while started, ready while every informer is healthy. */
public final class OperatorHealth {

  private OperatorHealth() {}

  @Readiness
  @ApplicationScoped
  public static class Ready implements HealthCheck {
    private final VigilOperator vigil;

    public Ready(VigilOperator vigil) {
      this.vigil = vigil;
    }

    @Override
    public HealthCheckResponse call() {
      Operator o = vigil.operator();
      boolean up =
          o != null
              && o.getRuntimeInfo().isStarted()
              && o.getRuntimeInfo().allEventSourcesAreHealthy();
      var b = HealthCheckResponse.named("vigil-operator-informers").status(up);
      if (o != null && !up) {
        b.withData(
            "unhealthy", String.valueOf(o.getRuntimeInfo().unhealthyEventSources().keySet()));
      }
      return b.build();
    }
  }

  @Liveness
  @ApplicationScoped
  public static class Live implements HealthCheck {
    private final VigilOperator vigil;

    public Live(VigilOperator vigil) {
      this.vigil = vigil;
    }

    @Override
    public HealthCheckResponse call() {
      Operator o = vigil.operator();
      return HealthCheckResponse.named("vigil-operator")
          .status(o != null && o.getRuntimeInfo().isStarted())
          .build();
    }
  }
}
