package dev.vigil.api.v1alpha1.spec;

import io.fabric8.generator.annotation.ValidationRule;

/** A JA3 or JA3S fingerprint: the MD5 digest of the handshake fields, 32 lowercase hex. */
@ValidationRule(
    value = "self.value.matches('^[0-9a-f]{32}$')",
    message = "JA3 and JA3S values must be 32 lowercase hex characters (an MD5 digest)",
    fieldPath = ".value")
public class Md5Fingerprint extends TlsFingerprint {}
