package dev.vigil.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real API server (see {@link KubeApiServers}) and a fresh namespace.
 *
 * <p>Test methods and constructors may take a {@link io.fabric8.kubernetes.client.KubernetesClient}
 * (scoped to the namespace) or a {@link TestNamespace}. When a test fails, the status of every
 * custom resource in the namespace and its events are printed; the namespace is deleted after the
 * class unless {@code VIGIL_IT_KEEP_NAMESPACE=true}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KubeApiServerExtension.class)
public @interface WithKubeApiServer {
  /** CRD files (relative to the repository root) applied before the first test, e.g. crds/. */
  String[] crds() default {};
}
