/**
 * Vigil API {@code vigil.dev/v1alpha1}: the custom resources a platform engineer writes to run the
 * monitoring fabric. The CRDs under {@code crds/} are generated from these classes (see {@code
 * CrdDriftTest}); never edit the YAML by hand.
 */
package dev.vigil.api.v1alpha1;
