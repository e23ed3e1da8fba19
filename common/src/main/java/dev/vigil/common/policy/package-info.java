/**
 * The rendered DetectorPolicy as sensor and agent read it: {@link
 * dev.vigil.common.policy.PolicyDirectory} loads the operator's {@code <name>.json} files (schema
 * check, every malformed file named with its reason), {@link
 * dev.vigil.common.policy.PolicyDocument} holds one checked policy, {@link
 * dev.vigil.common.policy.Cidr}, {@link dev.vigil.common.policy.CidrSet} and {@link
 * dev.vigil.common.policy.PrefixMap} match IPv4/IPv6 addresses without allocating, {@link
 * dev.vigil.common.policy.Severity} is the event.severity scale, {@link
 * dev.vigil.common.policy.Quantities} reads quantities and durations, and {@link
 * dev.vigil.common.policy.PolicyWatcher} hot-reloads a directory, keeping the last good version
 * when a new one is malformed.
 */
package dev.vigil.common.policy;
