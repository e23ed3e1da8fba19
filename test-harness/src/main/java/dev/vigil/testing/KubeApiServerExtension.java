package dev.vigil.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link WithKubeApiServer}. */
public final class KubeApiServerExtension
    implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback, ParameterResolver {

  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(KubeApiServerExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Class<?> testClass = context.getRequiredTestClass();
    String ns = namespaceFor(testClass);
    KubernetesClient client = KubeApiServers.newClient(ns);
    WithKubeApiServer cfg = testClass.getAnnotation(WithKubeApiServer.class);
    if (cfg != null) {
      for (String crd : cfg.crds()) {
        applyCrds(client, Repo.path(crd));
      }
    }
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    context.getStore(STORE).put("client", client);
    context.getStore(STORE).put("namespace", new TestNamespace(ns));
  }

  @Override
  public void afterTestExecution(ExtensionContext context) {
    if (context.getExecutionException().isPresent()) {
      TestNamespace ns = namespace(context);
      KubernetesClient client = client(context);
      if (ns != null && client != null) {
        System.err.println(
            ClusterDump.dump(client, ns.name(), context.getDisplayName() + " failed"));
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    KubernetesClient client = client(context);
    TestNamespace ns = namespace(context);
    if (client == null) {
      return;
    }
    try {
      if (ns != null && !"true".equals(KubeApiServers.setting("VIGIL_IT_KEEP_NAMESPACE"))) {
        client.namespaces().withName(ns.name()).delete();
      }
    } finally {
      client.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == KubernetesClient.class || t == TestNamespace.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == KubernetesClient.class ? client(e) : namespace(e);
  }

  /** Applies every CRD YAML under {@code path} and waits until each is Established. */
  public static void applyCrds(KubernetesClient client, Path path) throws IOException {
    List<Path> files;
    if (Files.isDirectory(path)) {
      try (Stream<Path> s = Files.list(path)) {
        files = s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
      }
    } else {
      files = List.of(path);
    }
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        CustomResourceDefinition crd =
            client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
        crd.getMetadata().setResourceVersion(null);
        client.resource(crd).serverSideApply();
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .withName(crd.getMetadata().getName())
            .waitUntilCondition(
                c ->
                    c != null
                        && c.getStatus() != null
                        && c.getStatus().getConditions() != null
                        && c.getStatus().getConditions().stream()
                            .anyMatch(
                                x ->
                                    "Established".equals(x.getType())
                                        && "True".equals(x.getStatus())),
                Duration.ofSeconds(30).toMillis(),
                TimeUnit.MILLISECONDS);
      }
    }
  }

  static String namespaceFor(Class<?> testClass) {
    String base =
        testClass
            .getSimpleName()
            .replaceAll("([a-z0-9])([A-Z])", "$1-$2")
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9-]", "-");
    if (base.length() > 50) {
      base = base.substring(0, 50);
    }
    return base + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20, 1 << 24), 36);
  }

  private static KubernetesClient client(ExtensionContext c) {
    return find(c, "client", KubernetesClient.class);
  }

  private static TestNamespace namespace(ExtensionContext c) {
    return find(c, "namespace", TestNamespace.class);
  }

  private static <T> T find(ExtensionContext c, String key, Class<T> type) {
    for (ExtensionContext x = c; x != null; x = x.getParent().orElse(null)) {
      T v = x.getStore(STORE).get(key, type);
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
