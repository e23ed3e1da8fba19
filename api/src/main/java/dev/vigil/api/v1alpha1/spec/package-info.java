/**
 * Desired state of the Vigil kinds, as written by people: one {@code *Spec} class per kind and the
 * nested types they use. Fields are boxed and unset by default so that the API server's defaults
 * (declared with {@code @Default}) apply; read them from objects returned by the server.
 */
package dev.vigil.api.v1alpha1.spec;
