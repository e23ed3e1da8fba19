package dev.vigil.operator.router;

import dev.vigil.api.v1alpha1.spec.AlertPipelineSpec;
import dev.vigil.router.AlertRouter;
import dev.vigil.router.RouterConfig;
import dev.vigil.router.RouterConfigs;
import dev.vigil.router.Target;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * One {@link AlertRouter} per AlertPipeline that has routes, run by the operator (ADR 0007). The
 * AlertPipeline reconciler calls {@link #apply} on every pass; reconcilers run only on the
 * leader-election winner, so routers run on the leader only and a standby starts them when it takes
 * over (the router's state in OpenSearch makes that neither re-page nor miss).
 */
@ApplicationScoped
public class AlertRouters {

  private static final Logger LOG = Logger.getLogger(AlertRouters.class);

  private record Running(AlertRouter router, RouterConfig config) {}

  private final Map<ResourceID, Running> routers = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final URI pagerDutyEventsUrl;
  private final RouterConfig.Timing timing;

  public AlertRouters(
      MeterRegistry registry,
      @ConfigProperty(name = "vigil.router.pagerduty-events-url") Optional<URI> pagerDutyEventsUrl,
      @ConfigProperty(name = "vigil.router.poll-interval", defaultValue = "2s")
          Duration pollInterval) {
    this.registry = registry;
    this.pagerDutyEventsUrl = pagerDutyEventsUrl.orElse(Target.PagerDuty.DEFAULT_EVENTS_URL);
    RouterConfig.Timing d = RouterConfig.Timing.DEFAULT;
    this.timing =
        new RouterConfig.Timing(
            pollInterval,
            d.retryMin(),
            d.retryMax(),
            d.attempts(),
            d.requestTimeout(),
            d.leaseTtl());
  }

  /**
   * Starts, reconfigures or stops the pipeline's router to match its spec: no routes, no router.
   *
   * @return the number of routes now served
   * @throws IllegalArgumentException naming the Secret and key (never a value) that is missing or
   *     unusable; the router already running, if any, keeps its previous configuration
   */
  public int apply(
      ResourceID pipeline, AlertPipelineSpec spec, RouterConfigs.SecretLookup secrets) {
    if (spec.getRoutes() == null || spec.getRoutes().isEmpty()) {
      stop(pipeline);
      return 0;
    }
    RouterConfig config = RouterConfigs.from(spec, secrets, pagerDutyEventsUrl, timing);
    routers.compute(
        pipeline,
        (id, running) -> {
          if (running == null) {
            AlertRouter r =
                new AlertRouter(
                    config, registry, id.getNamespace().orElse("") + "/" + id.getName());
            r.start();
            LOG.infof(
                "AlertPipeline %s: alert router started, %d routes", id, config.routes().size());
            return new Running(r, config);
          }
          if (!running.config().equals(config)) {
            running.router().update(config);
            LOG.infof("AlertPipeline %s: alert router reconfigured", id);
            return new Running(running.router(), config);
          }
          return running;
        });
    return config.routes().size();
  }

  public void stop(ResourceID pipeline) {
    Running r = routers.remove(pipeline);
    if (r != null) {
      r.router().close();
      LOG.infof("AlertPipeline %s: alert router stopped", pipeline);
    }
  }

  /** Stops the routers of pipelines that no longer exist. */
  public void retainOnly(Predicate<ResourceID> exists) {
    for (ResourceID id : routers.keySet()) {
      if (!exists.test(id)) {
        stop(id);
      }
    }
  }

  public boolean isRunning(ResourceID pipeline) {
    return routers.containsKey(pipeline);
  }

  @PreDestroy
  void closeAll() {
    for (ResourceID id : routers.keySet()) {
      stop(id);
    }
  }
}
