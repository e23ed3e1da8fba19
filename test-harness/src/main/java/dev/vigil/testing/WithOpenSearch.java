package dev.vigil.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test class a real OpenSearch node (see {@link OpenSearchNodes}); test methods and
 * constructors may take an {@link OpenSearchEndpoint}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(OpenSearchExtension.class)
public @interface WithOpenSearch {}
