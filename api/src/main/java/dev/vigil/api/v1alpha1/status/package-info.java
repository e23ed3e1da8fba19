/**
 * Observed state of the Vigil kinds, written only by the operator through the status subresource.
 * Every status extends {@link dev.vigil.api.v1alpha1.VigilStatus} (observedGeneration and the
 * Ready/Progressing/Degraded conditions).
 */
package dev.vigil.api.v1alpha1.status;
