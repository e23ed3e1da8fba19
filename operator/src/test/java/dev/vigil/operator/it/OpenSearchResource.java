package dev.vigil.operator.it;

import dev.vigil.testing.OpenSearchNodes;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Starts the shared real OpenSearch node (its own JVM) before the operator under test. The harness
 * picks a free port and the node binds it a few seconds later; on a busy machine another process
 * can take the port in between, so a node that fails to start is retried on fresh ports.
 */
public class OpenSearchResource implements QuarkusTestResourceLifecycleManager {

  @Override
  public Map<String, String> start() {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return Map.of("vigil.it.opensearch-url", OpenSearchNodes.url());
      } catch (RuntimeException e) {
        last = e;
      }
    }
    throw last;
  }

  @Override
  public void stop() {}
}
