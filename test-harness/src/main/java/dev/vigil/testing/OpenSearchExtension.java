package dev.vigil.testing;

import java.net.URI;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** See {@link WithOpenSearch}. */
public final class OpenSearchExtension implements BeforeAllCallback, ParameterResolver {

  @Override
  public void beforeAll(ExtensionContext context) {
    OpenSearchNodes.url();
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == OpenSearchEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return new OpenSearchEndpoint(URI.create(OpenSearchNodes.url()));
  }
}
