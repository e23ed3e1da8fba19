package dev.vigil.common.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class CidrTest {
  static long[] a(String ip) {
    return Cidr.hiLo(ip);
  }

  static boolean in(Cidr c, String ip) {
    long[] x = a(ip);
    return c.contains(x[0], x[1]);
  }

  @Test
  void ipv4Prefixes() {
    Cidr c = Cidr.parse("10.20.0.0/16");
    assertThat(in(c, "10.20.255.1")).isTrue();
    assertThat(in(c, "10.21.0.1")).isFalse();
    assertThat(in(Cidr.parse("0.0.0.0/0"), "8.8.8.8")).isTrue();
    assertThat(in(Cidr.parse("0.0.0.0/0"), "2001:db8::1")).isFalse();
    assertThat(in(Cidr.parse("192.0.2.10"), "192.0.2.10")).isTrue();
    assertThat(in(Cidr.parse("192.0.2.10"), "192.0.2.11")).isFalse();
    assertThat(in(Cidr.parse("198.51.100.128/25"), "198.51.100.127")).isFalse();
    assertThat(in(Cidr.parse("198.51.100.128/25"), "198.51.100.200")).isTrue();
    // host bits beyond the prefix are ignored
    assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(Cidr.parse("10.0.0.0/8").isV4()).isTrue();
  }

  @Test
  void ipv6PrefixesAndMappedAddresses() throws Exception {
    Cidr c = Cidr.parse("2001:db8:100::/40");
    assertThat(in(c, "2001:db8:1ff:ffff::1")).isTrue();
    assertThat(in(c, "2001:db8:200::1")).isFalse();
    assertThat(in(c, "10.0.0.1")).isFalse();
    assertThat(in(Cidr.parse("2001:db8:dead::beef/128"), "2001:db8:dead::beef")).isTrue();
    assertThat(in(Cidr.parse("::/0"), "2001:db8::1")).isTrue();
    // ::ffff:10.0.0.1 is 10.0.0.1
    assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddress.getByName("::ffff:10.0.0.1")))
        .isTrue();
    assertThat(Cidr.parse("10.0.0.0/8").contains(new byte[] {10, 9, 8, 7})).isTrue();
    assertThat(in(Cidr.parse("2001:db8::/127"), "2001:db8::1")).isTrue();
    assertThat(in(Cidr.parse("2001:db8::/127"), "2001:db8::2")).isFalse();
    assertThat(in(Cidr.parse("2001:db8::/65"), "2001:db8::8000:0:0:0")).isFalse();
    assertThat(in(Cidr.parse("2001:db8::/65"), "2001:db8::7fff:0:0:0")).isTrue();
  }

  @Test
  void badPrefixesSayWhy() {
    assertThatThrownBy(() -> Cidr.parse("evil.example")).hasMessageContaining("no host names");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("out of range");
    assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessageContaining("not an IP prefix");
    assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
    assertThatThrownBy(() -> Cidr.parse("::1/129")).hasMessageContaining("out of range");
  }

  @Test
  void setsAndLongestPrefixMatch() {
    CidrSet s = CidrSet.parse(List.of("10.0.0.0/8", "172.16.0.0/12", "2001:db8:100::/40"));
    long[] x = a("172.31.255.255");
    assertThat(s.contains(x[0], x[1])).isTrue();
    x = a("172.32.0.0");
    assertThat(s.contains(x[0], x[1])).isFalse();
    x = a("2001:db8:100::7");
    assertThat(s.match(x[0], x[1]).text()).isEqualTo("2001:db8:100::/40");
    assertThat(CidrSet.empty().contains(0, 0)).isFalse();

    PrefixMap<String> m =
        new PrefixMap.Builder<String>()
            .put(Cidr.parse("203.0.113.0/24"), "net")
            .put(Cidr.parse("203.0.113.0/28"), "small")
            .put(Cidr.parse("203.0.113.7"), "host")
            .build();
    assertThat(m.longestMatch(a("203.0.113.7")[0], a("203.0.113.7")[1])).isEqualTo("host");
    assertThat(m.longestMatch(a("203.0.113.8")[0], a("203.0.113.8")[1])).isEqualTo("small");
    assertThat(m.longestMatch(a("203.0.113.99")[0], a("203.0.113.99")[1])).isEqualTo("net");
    assertThat(m.longestMatch(a("203.0.114.1")[0], a("203.0.114.1")[1])).isNull();
  }

  @Test
  void prefixMapHoldsManyHostsWithoutCollisionsLost() {
    PrefixMap.Builder<Integer> b = new PrefixMap.Builder<>();
    for (int i = 0; i < 20_000; i++) {
      b.put(Cidr.parse("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)), i);
    }
    PrefixMap<Integer> m = b.build();
    assertThat(m.size()).isEqualTo(20_000);
    for (int i = 0; i < 20_000; i += 7) {
      long[] x = a("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255));
      assertThat(m.longestMatch(x[0], x[1])).isEqualTo(i);
    }
    long[] miss = a("10.0.78.33"); // 20001st would be 10.0.78.33? 78*256+33=20001
    assertThat(m.longestMatch(miss[0], miss[1])).isNull();
  }

  @Test
  void severityScale() {
    assertThat(Severity.parse("info")).isEqualTo(1);
    assertThat(Severity.parse("low")).isEqualTo(21);
    assertThat(Severity.parse("medium")).isEqualTo(47);
    assertThat(Severity.parse("high")).isEqualTo(73);
    assertThat(Severity.parse("critical")).isEqualTo(99);
    assertThat(Severity.name(73)).isEqualTo("high");
    assertThatThrownBy(() -> Severity.parse("HIGH")).hasMessageContaining("got HIGH");
  }
}
