package dev.vigil.sensor.decode;

import static dev.vigil.sensor.testutil.Frames.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.sensor.testutil.SensorRun;
import dev.vigil.sensor.testutil.TcpConv;
import dev.vigil.sensor.testutil.Trace;
import dev.vigil.sensor.testutil.Wrap;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The same IPv4 and IPv6 exchanges over every supported link type give the same conn.log. */
class LinkTypeTest {
  static Trace exchange(int linkType, UnaryOperator<byte[]> v4, UnaryOperator<byte[]> v6) {
    Trace t = new Trace().linkType(linkType);
    Wrap w4 = (s, d, p, l4) -> v4.apply(ipv4(s, d, p, l4));
    Wrap w6 = (s, d, p, l4) -> v6.apply(ipv6(s, d, p, l4));
    new TcpConv(t, w4, "10.1.0.1", 40000, "10.1.0.2", 80).fullExchange(10, 20);
    new TcpConv(t, w6, "2001:db8::1", 40001, "2001:db8::2", 80).fullExchange(30, 40);
    t.add(10, w4.frame("10.1.0.1", "10.1.0.2", 17, udp(53000, 53, payload(20, 0))));
    return t;
  }

  static UnaryOperator<byte[]>[] wrappers(String name) {
    @SuppressWarnings("unchecked")
    UnaryOperator<byte[]>[] w = new UnaryOperator[2];
    switch (name) {
      case "ethernet" -> {
        w[0] = ip -> ethernet(0x0800, ip);
        w[1] = ip -> ethernet(0x86dd, ip);
      }
      case "raw" -> {
        w[0] = ip -> ip;
        w[1] = ip -> ip;
      }
      case "sll" -> {
        w[0] = ip -> sll(0x0800, ip);
        w[1] = ip -> sll(0x86dd, ip);
      }
      case "sll2" -> {
        w[0] = ip -> sll2(0x0800, ip);
        w[1] = ip -> sll2(0x86dd, ip);
      }
      case "null" -> {
        w[0] = ip -> nullLoopback(2, ip);
        w[1] = ip -> nullLoopback(30, ip);
      }
      case "loop" -> {
        w[0] = ip -> concat(u32(2), ip);
        w[1] = ip -> concat(u32(24), ip);
      }
      case "ppp" -> {
        w[0] = ip -> ppp(0x21, ip);
        w[1] = ip -> concat(u16(0x57), ip); // no address/control bytes
      }
      default -> throw new IllegalArgumentException(name);
    }
    return w;
  }

  @ParameterizedTest(name = "{0} ({1})")
  @CsvSource({
    "raw, 101",
    "raw, 12",
    "raw, 14",
    "sll, 113",
    "sll2, 276",
    "null, 0",
    "loop, 108",
    "ppp, 9"
  })
  void sameConnLogAsEthernet(String name, int linkType, @TempDir Path dir) throws Exception {
    UnaryOperator<byte[]>[] eth = wrappers("ethernet");
    UnaryOperator<byte[]>[] other = wrappers(name);
    SensorRun reference = SensorRun.run(exchange(1, eth[0], eth[1]), dir.resolve("eth"));
    SensorRun run = SensorRun.run(exchange(linkType, other[0], other[1]), dir.resolve(name));
    assertThat(run.exitCode()).as(run.stderr()).isZero();
    assertThat(run.conns()).hasSize(3);
    assertThat(run.connLog()).isEqualTo(reference.connLog());
    assertThat(run.stats().get("weirds").size()).isZero();
  }
}
