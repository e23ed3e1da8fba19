package dev.vigil.operator.model;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The AF_PACKET fanout group id of a tap, derived from node and interface so users never type it.
 *
 * <p>Fanout groups are scoped to a network namespace; sensor pods use the host network, so the id
 * must differ between interfaces of one node and be the same for every worker of one interface. A
 * CRC32C of {@code node/interface} folded to the kernel's 16 bits does both; ids 0 and 1 are
 * avoided so a hand-started capture with a small id never joins a sensor's group.
 */
public final class FanoutGroup {

  private FanoutGroup() {}

  public static int of(String nodeName, String interfaceId) {
    CRC32C crc = new CRC32C();
    crc.update((nodeName + "/" + interfaceId).getBytes(StandardCharsets.UTF_8));
    long v = crc.getValue();
    int id = (int) ((v ^ (v >>> 16)) & 0xFFFF);
    return id < 2 ? id + 2 : id;
  }
}
