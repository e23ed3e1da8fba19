package dev.vigil.common.policy;

import java.util.Collection;
import java.util.List;

/**
 * A set of IPv4/IPv6 prefixes, immutable; membership without allocation (see {@link PrefixMap}).
 */
public final class CidrSet {
  private static final CidrSet EMPTY = new CidrSet(List.of());

  private final List<Cidr> prefixes;
  private final PrefixMap<Cidr> map;

  private CidrSet(List<Cidr> prefixes) {
    this.prefixes = List.copyOf(prefixes);
    PrefixMap.Builder<Cidr> b = new PrefixMap.Builder<>();
    for (Cidr c : prefixes) {
      b.put(c, c);
    }
    this.map = b.build();
  }

  public static CidrSet of(Collection<Cidr> prefixes) {
    return prefixes.isEmpty() ? EMPTY : new CidrSet(List.copyOf(prefixes));
  }

  /** Parses every string with {@link Cidr#parse}. */
  public static CidrSet parse(Collection<String> prefixes) {
    return of(prefixes.stream().map(Cidr::parse).toList());
  }

  public static CidrSet empty() {
    return EMPTY;
  }

  public boolean contains(long hi, long lo) {
    return map.contains(hi, lo);
  }

  /** The most specific prefix containing the address, or null. */
  public Cidr match(long hi, long lo) {
    return map.longestMatch(hi, lo);
  }

  public boolean contains(byte[] address) {
    long[] a = Cidr.hiLo(address);
    return contains(a[0], a[1]);
  }

  public boolean isEmpty() {
    return prefixes.isEmpty();
  }

  public List<Cidr> prefixes() {
    return prefixes;
  }

  @Override
  public String toString() {
    return prefixes.toString();
  }
}
