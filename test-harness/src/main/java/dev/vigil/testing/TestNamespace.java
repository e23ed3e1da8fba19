package dev.vigil.testing;

/** The namespace a test class owns on the shared API server. */
public record TestNamespace(String name) {}
