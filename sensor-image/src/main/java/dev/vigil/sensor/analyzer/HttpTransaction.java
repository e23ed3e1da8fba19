package dev.vigil.sensor.analyzer;

/**
 * One HTTP/1.x request and its response, as Zeek's http.log has them. Handed to an {@link HttpSink}
 * when the response is complete, or when the connection ends for a request without one. Null fields
 * were not seen. Immutable.
 *
 * @param tsNanos time of the request's first line (of the response without a request)
 * @param transDepth 1 for the first request of the connection, 2 for the next, ...
 * @param host the Host header without its port
 * @param version the request's HTTP version ({@code 1.1}), else the response's
 * @param statusCode -1 without a response
 */
public record HttpTransaction(
    long tsNanos,
    int transDepth,
    String method,
    String host,
    String uri,
    String referrer,
    String version,
    String userAgent,
    long requestBodyLen,
    long responseBodyLen,
    int statusCode,
    String statusMsg) {}
