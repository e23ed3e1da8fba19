package dev.vigil.api.v1alpha1.spec;

import io.fabric8.generator.annotation.ValidationRule;

/**
 * A JA4 fingerprint {@code a_b_c}: protocol, TLS version, SNI, cipher and extension counts and ALPN
 * (10 characters), then two truncated SHA-256 digests of 12 lowercase hex each.
 */
@ValidationRule(
    value =
        "self.value.matches('^[tqd][0-9a-z]{2}[di][0-9]{4}[0-9a-zA-Z]{2}_[0-9a-f]{12}_[0-9a-f]{12}$')",
    message = "JA4 values must look like t13d1516h2_8daaf6152771_b186095e22b6",
    fieldPath = ".value")
public class Ja4Fingerprint extends TlsFingerprint {}
