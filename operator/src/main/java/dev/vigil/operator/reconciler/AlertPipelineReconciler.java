package dev.vigil.operator.reconciler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.api.v1alpha1.AlertPipeline;
import dev.vigil.api.v1alpha1.SecretKeyRef;
import dev.vigil.api.v1alpha1.SecretName;
import dev.vigil.api.v1alpha1.spec.OpenSearch;
import dev.vigil.api.v1alpha1.spec.RetentionClass;
import dev.vigil.api.v1alpha1.status.AlertPipelineStatus;
import dev.vigil.operator.events.EventRecorder;
import dev.vigil.operator.events.Reason;
import dev.vigil.operator.opensearch.DailyIndex;
import dev.vigil.operator.opensearch.DataClass;
import dev.vigil.operator.opensearch.IndexTemplates;
import dev.vigil.operator.opensearch.IsmPolicies;
import dev.vigil.operator.opensearch.OpenSearchHttp;
import dev.vigil.operator.opensearch.RetentionPlan;
import dev.vigil.operator.router.AlertRouters;
import dev.vigil.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * AlertPipeline → OpenSearch: connects with the credentials and CA its Secrets hold, keeps one
 * composable index template per data class current (written only when it differs), and enforces
 * retention — through an ISM policy where the plugin exists, otherwise by deleting old daily
 * indices itself. Re-checks every {@code vigil.operator.retention-interval}; deleting the
 * AlertPipeline never deletes data.
 *
 * <p>Calls to OpenSearch never run on a reconcile thread: a pass (connect, templates, retention,
 * projections) runs on a {@link BackgroundPasses} thread and wakes the reconcile when it finishes,
 * so an unreachable node with its connect timeouts cannot hold up other pipelines or kinds.
 *
 * <p>Secrets are read with a single GET of the named Secret (no list, no watch: the operator may
 * not list Secrets), so a Secret created later is noticed at the next retry, after {@code
 * vigil.operator.alertpipeline.retry-interval}.
 */
@ApplicationScoped
@ControllerConfiguration(name = "alertpipeline")
public class AlertPipelineReconciler implements Reconciler<AlertPipeline> {

  private static final Logger LOG = Logger.getLogger(AlertPipelineReconciler.class);

  private final EventRecorder events;
  private final Duration retentionInterval;
  private final Duration retryInterval;
  private final Clock clock;
  private final BackgroundPasses<AlertPipeline, Pass> passes;
  private final AlertRouters routers;

  private static final ObjectMapper SPEC_JSON = new ObjectMapper();

  public AlertPipelineReconciler(
      EventRecorder events,
      AlertRouters routers,
      @ConfigProperty(name = "vigil.operator.retention-interval", defaultValue = "5m")
          Duration retentionInterval,
      @ConfigProperty(name = "vigil.operator.alertpipeline.retry-interval", defaultValue = "30s")
          Duration retryInterval) {
    this.events = events;
    this.routers = routers;
    this.retentionInterval = retentionInterval;
    this.retryInterval = retryInterval;
    this.clock = Clock.systemUTC();
    this.passes = new BackgroundPasses<>("alertpipeline-opensearch", 2, clock);
  }

  /** A condition the pass ends in, with the message a person acts on. */
  private record Problem(Reason reason, String message) {}

  private static final class ProblemException extends Exception {
    final Problem problem;

    ProblemException(Reason reason, String message) {
      super(message, null, false, false);
      this.problem = new Problem(reason, message);
    }
  }

  @Override
  public List<EventSource<?, AlertPipeline>> prepareEventSources(
      EventSourceContext<AlertPipeline> context) {
    return List.of(passes.eventSource());
  }

  /** What one pass against OpenSearch found: the status fields it fills, and its problem if any. */
  record Pass(
      boolean connected,
      String clusterHealth,
      Map<String, Integer> projectedRetentionDays,
      Map<String, Long> bytesPerDay,
      Problem problem,
      String readyMessage) {

    static Pass failed(Problem problem) {
      return new Pass(false, null, null, null, problem, null);
    }
  }

  /**
   * Reads the Secrets (fast, from the API server), then reports the last finished OpenSearch pass
   * for exactly this spec and these Secret values; a pass runs on its own thread when none is
   * current or the last is due again, and wakes this reconcile when it finishes. Until a first pass
   * for a changed input has finished the status is left as it is (so an operator restart writes
   * nothing: the first reconcile finds no pass, the pass finds what the status already says).
   */
  @Override
  public UpdateControl<AlertPipeline> reconcile(
      AlertPipeline pipeline, Context<AlertPipeline> context) {
    ResourceID id = ResourceID.fromResource(pipeline);
    passes.retainOnly(r -> context.getPrimaryCache().get(r).isPresent());
    routers.retainOnly(r -> context.getPrimaryCache().get(r).isPresent());
    String ns = pipeline.getMetadata().getNamespace();
    OpenSearch spec = pipeline.getSpec().getOpensearch();
    OpenSearchHttp.Credentials credentials;
    String caPem;
    SSLContext ssl;
    try {
      credentials = credentials(context, ns, spec);
      caPem = caPem(context, ns, spec);
      ssl = caPem == null ? null : trust(caPem, ns, spec);
    } catch (ProblemException e) {
      passes.forget(id);
      return report(pipeline, Pass.failed(e.problem), null, retryInterval);
    }
    Problem routeProblem = routes(id, pipeline, context);
    String input = fingerprint(pipeline, credentials, caPem);
    Optional<BackgroundPasses.Finished<Pass>> last =
        passes.latest(id).filter(f -> f.input().equals(input));
    Duration age = last.map(f -> Duration.between(f.at(), clock.instant())).orElse(Duration.ZERO);
    Duration interval = last.map(f -> retryAfter(f.result().problem())).orElse(Duration.ZERO);
    if (last.isEmpty() || age.compareTo(interval) >= 0) {
      passes.submit(id, input, () -> pass(pipeline, credentials, ssl));
    }
    if (last.isEmpty()) {
      return UpdateControl.<AlertPipeline>noUpdate().rescheduleAfter(retryInterval);
    }
    Duration next = interval.minus(age);
    if (routeProblem != null) {
      next = retryInterval; // a Secret is fixed out of band: look again soon
    }
    return report(pipeline, last.get().result(), routeProblem, next.isPositive() ? next : interval);
  }

  /**
   * Starts, reconfigures or stops the pipeline's alert router (leader only: reconcilers run on the
   * leader); a route whose Secret is missing is a problem naming it, and the router keeps its
   * previous routes.
   */
  private Problem routes(ResourceID id, AlertPipeline pipeline, Context<AlertPipeline> context) {
    String ns = pipeline.getMetadata().getNamespace();
    try {
      routers.apply(
          id,
          pipeline.getSpec(),
          (name, key) -> {
            try {
              Secret s = secret(context, ns, name, "spec.routes", "key '" + key + "'");
              String encoded = s.getData() == null ? null : s.getData().get(key);
              return encoded == null
                  ? null
                  : new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } catch (ProblemException e) {
              throw new IllegalArgumentException(e.getMessage());
            }
          });
      return null;
    } catch (IllegalArgumentException e) {
      return new Problem(Reason.RouteInvalid, "alert routes not applied: " + e.getMessage());
    }
  }

  private UpdateControl<AlertPipeline> report(
      AlertPipeline pipeline, Pass pass, Problem routeProblem, Duration next) {
    AlertPipelineStatus status = new AlertPipelineStatus();
    status.setConnected(pass.connected());
    status.setClusterHealth(pass.clusterHealth());
    status.setProjectedRetentionDays(pass.projectedRetentionDays());
    status.setBytesPerDay(pass.bytesPerDay());
    Conditions conditions = new Conditions(pipeline.getMetadata().getGeneration());
    if (pass.problem() == null && routeProblem != null) {
      conditions.degraded(routeProblem.reason().name(), routeProblem.message());
    } else if (pass.problem() == null) {
      conditions.ready(Reason.Connected.name(), pass.readyMessage());
    } else {
      conditions.degraded(pass.problem().reason().name(), pass.problem().message());
    }
    return StatusUpdates.patchIfChanged(
            pipeline, conditions.applyTo(status, pipeline.getStatus()), events)
        .rescheduleAfter(next);
  }

  /** One pass against OpenSearch, on a pass thread; every failure becomes the result. */
  private Pass pass(
      AlertPipeline pipeline, OpenSearchHttp.Credentials credentials, SSLContext ssl) {
    AlertPipelineStatus status = new AlertPipelineStatus();
    Problem problem;
    String ready = null;
    try (OpenSearchHttp os =
        OpenSearchHttp.connect(
            pipeline.getSpec().getOpensearch().getEndpoints(), credentials, ssl)) {
      status.setConnected(true);
      problem = converge(pipeline, os, status);
      if (problem == null) {
        ready =
            "connected to "
                + os.endpoint()
                + "; index templates for "
                + String.join(", ", classIds())
                + " are current";
      }
    } catch (OpenSearchHttp.UnreachableException e) {
      status.setConnected(false);
      problem = new Problem(Reason.OpenSearchUnreachable, e.getMessage());
    }
    return new Pass(
        Boolean.TRUE.equals(status.getConnected()),
        status.getClusterHealth(),
        status.getProjectedRetentionDays(),
        status.getBytesPerDay(),
        problem,
        ready);
  }

  /**
   * SHA-256 over the spec and the Secret values a pass uses: a pass is current only for the input
   * it ran with. Kept in memory only; the Secret values never leave this method in clear.
   */
  private static String fingerprint(
      AlertPipeline pipeline, OpenSearchHttp.Credentials credentials, String caPem) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(SPEC_JSON.writeValueAsBytes(pipeline.getSpec()));
      sha.update((byte) 0);
      sha.update(
          pipeline.getMetadata().getGeneration().toString().getBytes(StandardCharsets.UTF_8));
      if (credentials != null) {
        sha.update((byte) 1);
        sha.update(credentials.username().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(credentials.password().getBytes(StandardCharsets.UTF_8));
      }
      if (caPem != null) {
        sha.update((byte) 2);
        sha.update(caPem.getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException | JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * What a person fixes in a Secret or in OpenSearch's reachability is not watched: retry soon. A
   * rejected template is fixed by editing the spec (which triggers a reconcile) or the node's
   * plugins: re-check at the normal interval rather than re-send it in a tight loop.
   */
  private Duration retryAfter(Problem problem) {
    if (problem == null) {
      return retentionInterval;
    }
    return switch (problem.reason()) {
      case TemplateRejected, RetentionFailed -> retentionInterval;
      default -> retryInterval;
    };
  }

  private static List<String> classIds() {
    List<String> ids = new ArrayList<>();
    for (DataClass c : DataClass.values()) {
      ids.add(c.id());
    }
    return ids;
  }

  /**
   * Templates, health, retention and projections against a reachable node; null when all is well.
   */
  private Problem converge(AlertPipeline pipeline, OpenSearchHttp os, AlertPipelineStatus status) {
    OpenSearch spec = pipeline.getSpec().getOpensearch();
    String owner = pipeline.getMetadata().getNamespace() + "/" + pipeline.getMetadata().getName();
    try {
      OpenSearchHttp.Response health = os.get("/_cluster/health");
      if (!health.ok()) {
        return new Problem(
            Reason.OpenSearchUnreachable,
            "OpenSearch at " + os.endpoint() + " refused _cluster/health: HTTP " + health.status());
      }
      status.setClusterHealth(health.json().path("status").asText(null));

      List<String> rejected = new ArrayList<>();
      String firstReason = null;
      for (DataClass cls : DataClass.values()) {
        String name = IndexTemplates.name(spec, cls);
        ObjectNode desired = IndexTemplates.desired(spec, cls, owner);
        OpenSearchHttp.Response current = os.get("/_index_template/" + name);
        JsonNode actual =
            current.ok()
                ? current.json().path("index_templates").path(0).get("index_template")
                : null;
        if (current.status() != 404 && !current.ok()) {
          return new Problem(
              Reason.OpenSearchUnreachable,
              "OpenSearch at "
                  + os.endpoint()
                  + " refused GET _index_template/"
                  + name
                  + ": HTTP "
                  + current.status());
        }
        if (IndexTemplates.matches(desired, actual)) {
          continue;
        }
        OpenSearchHttp.Response put = os.put("/_index_template/" + name, desired);
        if (put.ok()) {
          LOG.infof("AlertPipeline %s: index template %s installed", owner, name);
        } else {
          rejected.add(name);
          if (firstReason == null) {
            firstReason = errorReason(put);
          }
        }
      }

      boolean ism = hasIsm(os);
      Map<DataClass, List<DailyIndex>> indices = dailyIndices(os, IndexTemplates.prefix(spec));
      LocalDate today = LocalDate.now(clock);
      List<String> deleted = new ArrayList<>();
      List<String> failed = new ArrayList<>();
      Map<String, Integer> projected = new LinkedHashMap<>();
      Map<String, Long> perDay = new LinkedHashMap<>();
      for (DataClass cls : DataClass.values()) {
        int days = cls.days(pipeline.getSpec().getRetention());
        OptionalLong maxBytes = maxBytes(cls.retention(pipeline.getSpec().getRetention()));
        if (ism) {
          installIsmPolicy(os, spec, cls, days, failed);
        }
        List<DailyIndex> kept = new ArrayList<>(indices.get(cls));
        for (RetentionPlan.Deletion d :
            RetentionPlan.deletions(indices.get(cls), today, days, maxBytes)) {
          if (ism && d.cause() == RetentionPlan.Cause.AGE) {
            continue; // ISM deletes by age
          }
          OpenSearchHttp.Response r = os.delete("/" + d.index().name());
          if (r.ok() || r.status() == 404) {
            deleted.add(d.describe(days, maxBytes.orElse(0)));
            kept.remove(d.index());
          } else {
            failed.add(d.index().name() + " (HTTP " + r.status() + ": " + errorReason(r) + ")");
          }
        }
        OptionalLong rate = RetentionPlan.bytesPerDay(kept, today);
        rate.ifPresent(r -> perDay.put(cls.id(), r));
        projected.put(cls.id(), RetentionPlan.projectedDays(days, maxBytes, rate));
      }
      status.setProjectedRetentionDays(projected);
      status.setBytesPerDay(perDay.isEmpty() ? null : perDay);
      if (!deleted.isEmpty()) {
        String note = "deleted " + String.join(", ", deleted);
        LOG.infof("AlertPipeline %s: retention %s", owner, note);
        events.normal(pipeline, Reason.RetentionEnforced, note);
      }
      if (!rejected.isEmpty()) {
        return new Problem(
            Reason.TemplateRejected,
            "OpenSearch at "
                + os.endpoint()
                + " refused index template"
                + (rejected.size() > 1 ? "s " : " ")
                + String.join(", ", rejected)
                + ": "
                + firstReason);
      }
      if (!failed.isEmpty()) {
        return new Problem(
            Reason.RetentionFailed,
            "OpenSearch at " + os.endpoint() + " refused retention: " + String.join(", ", failed));
      }
      return null;
    } catch (IOException e) {
      status.setConnected(false);
      return new Problem(
          Reason.OpenSearchUnreachable,
          "OpenSearch at "
              + os.endpoint()
              + " failed mid-reconcile: "
              + e.getClass().getSimpleName()
              + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    }
  }

  private static boolean hasIsm(OpenSearchHttp os) throws IOException {
    OpenSearchHttp.Response r = os.get("/_cat/plugins?format=json&h=component");
    if (!r.ok()) {
      return false;
    }
    for (JsonNode p : r.json()) {
      if ("opensearch-index-management".equals(p.path("component").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Installs or updates the class's ISM policy when its description (what it says) differs. */
  private static void installIsmPolicy(
      OpenSearchHttp os, OpenSearch spec, DataClass cls, int days, List<String> failed)
      throws IOException {
    String id = IndexTemplates.name(spec, cls);
    String path = "/_plugins/_ism/policies/" + id;
    OpenSearchHttp.Response current = os.get(path);
    String query = "";
    if (current.ok()) {
      JsonNode c = current.json();
      if (IsmPolicies.description(spec, cls, days)
          .equals(c.path("policy").path("description").asText())) {
        return;
      }
      query =
          "?if_seq_no="
              + c.path("_seq_no").asLong()
              + "&if_primary_term="
              + c.path("_primary_term").asLong();
    }
    OpenSearchHttp.Response put = os.put(path + query, IsmPolicies.desired(spec, cls, days));
    if (!put.ok()) {
      failed.add("ISM policy " + id + " (HTTP " + put.status() + ": " + errorReason(put) + ")");
    }
  }

  /** Open daily indices of this prefix per class, with their primary store size. */
  private static Map<DataClass, List<DailyIndex>> dailyIndices(OpenSearchHttp os, String prefix)
      throws IOException {
    Map<DataClass, List<DailyIndex>> out = new EnumMap<>(DataClass.class);
    for (DataClass c : DataClass.values()) {
      out.put(c, new ArrayList<>());
    }
    OpenSearchHttp.Response r =
        os.get("/_cat/indices/" + prefix + "-*?format=json&bytes=b&h=index,pri.store.size");
    if (r.status() == 404) {
      return out;
    }
    if (!r.ok()) {
      throw new IOException("_cat/indices answered HTTP " + r.status());
    }
    for (JsonNode i : r.json()) {
      long bytes = i.path("pri.store.size").asLong(0);
      DailyIndex.parse(prefix, i.path("index").asText(), bytes)
          .ifPresent(d -> out.get(d.dataClass()).add(d));
    }
    return out;
  }

  private static OptionalLong maxBytes(RetentionClass r) {
    if (r == null || r.getMaxSize() == null) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Quantity.getAmountInBytes(new Quantity(r.getMaxSize())).longValue());
  }

  /** OpenSearch's error.reason, or the HTTP status when the body has none. */
  private static String errorReason(OpenSearchHttp.Response r) {
    try {
      String reason = r.json().path("error").path("reason").asText(null);
      if (reason != null) {
        return reason;
      }
    } catch (IOException | RuntimeException e) {
      // not JSON
    }
    return "HTTP " + r.status();
  }

  private static OpenSearchHttp.Credentials credentials(
      Context<AlertPipeline> context, String ns, OpenSearch spec) throws ProblemException {
    SecretName ref = spec.getCredentialsSecretRef();
    if (ref == null) {
      return null;
    }
    String field = "spec.opensearch.credentialsSecretRef";
    Secret s = secret(context, ns, ref.getName(), field, "keys 'username' and 'password'");
    return new OpenSearchHttp.Credentials(
        value(s, ns, "username", field), value(s, ns, "password", field));
  }

  /** The CA bundle the spec names, or null when it names none. */
  private static String caPem(Context<AlertPipeline> context, String ns, OpenSearch spec)
      throws ProblemException {
    SecretKeyRef ref = spec.getCaSecretRef();
    if (ref == null) {
      return null;
    }
    String field = "spec.opensearch.caSecretRef";
    Secret s = secret(context, ns, ref.getName(), field, "key '" + ref.getKey() + "'");
    return value(s, ns, ref.getKey(), field);
  }

  private static SSLContext trust(String pem, String ns, OpenSearch spec) throws ProblemException {
    SecretKeyRef ref = spec.getCaSecretRef();
    try {
      return OpenSearchHttp.trusting(pem);
    } catch (GeneralSecurityException | IOException e) {
      throw new ProblemException(
          Reason.SecretInvalid,
          "key '"
              + ref.getKey()
              + "' of Secret '"
              + ref.getName()
              + "' in namespace '"
              + ns
              + "' is not a PEM CA bundle ("
              + e.getClass().getSimpleName()
              + "); fix the Secret or spec.opensearch.caSecretRef");
    }
  }

  /** One GET of the named Secret: never a list or watch. */
  private static Secret secret(
      Context<AlertPipeline> context, String ns, String name, String field, String keys)
      throws ProblemException {
    Secret s;
    try {
      s = context.getClient().secrets().inNamespace(ns).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        throw new ProblemException(
            Reason.SecretMissing,
            "the operator may not read Secret '"
                + name
                + "' in namespace '"
                + ns
                + "' (forbidden); add the namespace to the chart value alertPipelineNamespaces"
                + " (docs/rbac.md)");
      }
      throw e;
    }
    if (s == null) {
      throw new ProblemException(
          Reason.SecretMissing,
          "Secret '"
              + name
              + "' does not exist in namespace '"
              + ns
              + "'; create it with "
              + keys
              + " or fix "
              + field);
    }
    return s;
  }

  private static String value(Secret s, String ns, String key, String field)
      throws ProblemException {
    String encoded = s.getData() == null ? null : s.getData().get(key);
    if (encoded == null) {
      throw new ProblemException(
          Reason.SecretMissing,
          "Secret '"
              + s.getMetadata().getName()
              + "' in namespace '"
              + ns
              + "' has no key '"
              + key
              + "'; add it or fix "
              + field);
    }
    return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
  }
}
