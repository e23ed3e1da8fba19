package dev.vigil.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactTest {

  @Test
  void urlKeepsSchemeHostAndPortOnly() {
    assertThat(Redact.url(URI.create("https://hooks.slack.com/services/T0/B0/secret")))
        .isEqualTo("https://hooks.slack.com/***");
    assertThat(Redact.url(URI.create("http://user:pw@127.0.0.1:8080/x?token=t")))
        .isEqualTo("http://127.0.0.1:8080/***");
    assertThat(Redact.url(URI.create("https://events.pagerduty.com")))
        .isEqualTo("https://events.pagerduty.com");
  }

  @Test
  void scrubReplacesEverySecret() {
    assertThat(
            Redact.scrub(
                "key abcd1234 and url /services/T0/B0/x", List.of("abcd1234", "/services/T0/B0/x")))
        .isEqualTo("key *** and url ***");
  }
}
