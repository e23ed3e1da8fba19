package dev.vigil.router;

/**
 * The fields of one persisted alert the router uses.
 *
 * @param key {@code vigil.dedup_key} (the document id when an alert has none)
 * @param ruleName {@code rule.name}
 * @param severity {@code event.severity}
 * @param timestamp {@code @timestamp} as written by the producer
 */
record AlertRecord(
    String key,
    String ruleName,
    int severity,
    String timestamp,
    String message,
    String sourceIp,
    String destinationIp,
    String hostName,
    String userName) {}
