package dev.vigil.operator.events;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.events.v1.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * The one place the operator records Kubernetes events (events.k8s.io/v1), always with a {@link
 * Reason}. Recording never fails a reconcile: a refused event is logged and dropped.
 */
@ApplicationScoped
public class EventRecorder {

  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  private static final DateTimeFormatter MICRO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void normal(HasMetadata about, Reason reason, String note) {
    record(about, "Normal", reason, note);
  }

  public void warning(HasMetadata about, Reason reason, String note) {
    record(about, "Warning", reason, note);
  }

  private void record(HasMetadata about, String type, Reason reason, String note) {
    String name =
        about.getMetadata().getName()
            + "."
            + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
    try {
      client
          .events()
          .v1()
          .events()
          .inNamespace(about.getMetadata().getNamespace())
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withNamespace(about.getMetadata().getNamespace())
                  .endMetadata()
                  .withEventTime(
                      new MicroTime(MICRO.format(Instant.now().truncatedTo(ChronoUnit.MICROS))))
                  .withReportingController("vigil.dev/operator")
                  .withReportingInstance(System.getenv().getOrDefault("HOSTNAME", "vigil-operator"))
                  .withAction("Reconcile")
                  .withType(type)
                  .withReason(reason.name())
                  .withNote(note.length() > 1000 ? note.substring(0, 1000) : note)
                  .withRegarding(
                      new ObjectReferenceBuilder()
                          .withApiVersion(about.getApiVersion())
                          .withKind(about.getKind())
                          .withName(about.getMetadata().getName())
                          .withNamespace(about.getMetadata().getNamespace())
                          .withUid(about.getMetadata().getUid())
                          .build())
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      LOG.debugf("event %s on %s not recorded: %s", reason, about.getMetadata().getName(), e);
    }
  }
}
