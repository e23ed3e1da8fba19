package dev.vigil.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
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
import dev.vigil.operator.status.Conditions;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  public AlertPipelineReconciler(
      EventRecorder events,
      @ConfigProperty(name = "vigil.operator.retention-interval", defaultValue = "5m")
          Duration retentionInterval,
      @ConfigProperty(name = "vigil.operator.alertpipeline.retry-interval", defaultValue = "30s")
          Duration retryInterval) {
    this.events = events;
    this.retentionInterval = retentionInterval;
    this.retryInterval = retryInterval;
    this.clock = Clock.systemUTC();
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
  public UpdateControl<AlertPipeline> reconcile(
      AlertPipeline pipeline, Context<AlertPipeline> context) {
    String ns = pipeline.getMetadata().getNamespace();
    OpenSearch spec = pipeline.getSpec().getOpensearch();
    AlertPipelineStatus status = new AlertPipelineStatus();
    Conditions conditions = new Conditions(pipeline.getMetadata().getGeneration());
    Problem problem;
    try {
      OpenSearchHttp.Credentials credentials = credentials(context, ns, spec);
      SSLContext ssl = trust(context, ns, spec);
      try (OpenSearchHttp os = OpenSearchHttp.connect(spec.getEndpoints(), credentials, ssl)) {
        status.setConnected(true);
        problem = converge(pipeline, os, status);
        if (problem == null) {
          conditions.ready(
              Reason.Connected.name(),
              "connected to "
                  + os.endpoint()
                  + "; index templates for "
                  + String.join(", ", classIds())
                  + " are current");
        }
      }
    } catch (ProblemException e) {
      problem = e.problem;
    } catch (OpenSearchHttp.UnreachableException e) {
      status.setConnected(false);
      problem = new Problem(Reason.OpenSearchUnreachable, e.getMessage());
    }
    if (problem != null) {
      if (status.getConnected() == null) {
        status.setConnected(false);
      }
      conditions.degraded(problem.reason().name(), problem.message());
    }
    UpdateControl<AlertPipeline> control =
        StatusUpdates.patchIfChanged(
            pipeline, conditions.applyTo(status, pipeline.getStatus()), events);
    return control.rescheduleAfter(retryAfter(problem));
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
        projected.put(
            cls.id(),
            RetentionPlan.projectedDays(days, maxBytes, RetentionPlan.bytesPerDay(kept, today)));
      }
      status.setProjectedRetentionDays(projected);
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

  private static SSLContext trust(Context<AlertPipeline> context, String ns, OpenSearch spec)
      throws ProblemException {
    SecretKeyRef ref = spec.getCaSecretRef();
    if (ref == null) {
      return null;
    }
    String field = "spec.opensearch.caSecretRef";
    Secret s = secret(context, ns, ref.getName(), field, "key '" + ref.getKey() + "'");
    String pem = value(s, ns, ref.getKey(), field);
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
              + "); fix the Secret or "
              + field);
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
                + "' (forbidden); grant it get on secrets, see docs/rbac.md");
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
