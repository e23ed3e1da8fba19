package dev.vigil.testing;

import java.net.URI;

/** Where the test's OpenSearch node answers HTTP. */
public record OpenSearchEndpoint(URI url) {}
