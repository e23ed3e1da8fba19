package dev.vigil.operator.reconciler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Slow work of a reconciler (calls to a system outside Kubernetes) run off the reconcile thread:
 * {@code reconcile()} submits a pass and reports the last one that finished; a finished pass wakes
 * the resource's reconcile through an inbound event source, which then reports it. One pass per
 * resource at a time; a submit while one runs is ignored (the next reconcile resubmits if its input
 * changed).
 *
 * <p>Each finished pass remembers the input it ran for (a fingerprint of everything it read), so a
 * reconcile can tell a current result from one about a spec or Secret that has since changed.
 *
 * @param <P> the primary resource
 * @param <R> what a pass produces
 */
final class BackgroundPasses<P extends HasMetadata, R> {

  private static final Logger LOG = Logger.getLogger(BackgroundPasses.class);

  /** The result of one pass, for one input, finished at a time. */
  record Finished<R>(String input, Instant at, R result) {}

  private final Map<ResourceID, Finished<R>> finished = new ConcurrentHashMap<>();
  private final Set<ResourceID> running = ConcurrentHashMap.newKeySet();
  private final SimpleInboundEventSource<P> wake;
  private final ExecutorService executor;
  private final Clock clock;

  BackgroundPasses(String name, int threads, Clock clock) {
    this.wake = new SimpleInboundEventSource<>(name);
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            threads,
            r -> {
              Thread t = new Thread(r, name + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The event source to register with the controller; a finished pass fires it. */
  SimpleInboundEventSource<P> eventSource() {
    return wake;
  }

  Optional<Finished<R>> latest(ResourceID id) {
    return Optional.ofNullable(finished.get(id));
  }

  boolean isRunning(ResourceID id) {
    return running.contains(id);
  }

  /**
   * Runs {@code pass} for {@code id} unless one is already running; returns whether it was
   * submitted. The pass must not throw: it turns every failure into its result.
   */
  boolean submit(ResourceID id, String input, Supplier<R> pass) {
    if (!running.add(id)) {
      return false;
    }
    executor.execute(
        () -> {
          try {
            finished.put(id, new Finished<>(input, clock.instant(), pass.get()));
          } catch (RuntimeException e) {
            LOG.errorf(e, "background pass for %s failed unexpectedly", id);
          } finally {
            running.remove(id);
          }
          wake.propagateEvent(id);
        });
    return true;
  }

  /** Drops what is remembered of resources that no longer exist. */
  void retainOnly(Predicate<ResourceID> exists) {
    finished.keySet().removeIf(id -> !exists.test(id));
  }

  void forget(ResourceID id) {
    finished.remove(id);
  }
}
