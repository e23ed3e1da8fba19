package dev.vigil.api.v1alpha1;

import dev.vigil.testing.KubeApiServers;
import dev.vigil.testing.Repo;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Installs crds/ and waits until every CRD is Established, once per JVM, before {@code
 * WithKubeApiServer} applies them again.
 *
 * <p>Works around a race in {@code KubeApiServerExtension.applyCrds}: its wait predicate calls
 * {@code getStatus().getConditions().stream()} and throws a NullPointerException when it sees a
 * just-created CRD whose status has no conditions yet. Declare it above {@code @WithKubeApiServer}
 * (extensions run in declaration order). Delete it once the harness checks for null conditions.
 */
final class EstablishedCrds implements BeforeAllCallback {

  private static boolean done;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (EstablishedCrds.class) {
      if (done) {
        return;
      }
      try (KubernetesClient client = KubeApiServers.newClient(null);
          Stream<Path> files = Files.list(Repo.path("crds"))) {
        for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
          CustomResourceDefinition crd;
          try (InputStream in = Files.newInputStream(f)) {
            crd = client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
          }
          client.resource(crd).serverSideApply();
          client
              .apiextensions()
              .v1()
              .customResourceDefinitions()
              .withName(crd.getMetadata().getName())
              .waitUntilCondition(EstablishedCrds::established, 30, TimeUnit.SECONDS);
        }
      }
      done = true;
    }
  }

  private static boolean established(CustomResourceDefinition c) {
    return c != null
        && c.getStatus() != null
        && c.getStatus().getConditions() != null
        && c.getStatus().getConditions().stream()
            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus()));
  }
}
