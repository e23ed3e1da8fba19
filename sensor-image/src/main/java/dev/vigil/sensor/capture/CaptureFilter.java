package dev.vigil.sensor.capture;

import java.util.Arrays;

/**
 * What to capture, from the operator's sensor.json or the command line: the snap length (bytes kept
 * of each frame), a BPF filter expression (tcpdump syntax, compiled by libpcap, see {@link Bpf})
 * and the VLAN ids to keep (an empty list or null: all traffic, tagged or not; otherwise only
 * frames whose outer VLAN id is listed).
 */
public record CaptureFilter(int snaplen, String bpf, int[] vlans) {
  public static final int DEFAULT_SNAPLEN = 262144;
  public static final int MIN_SNAPLEN = 64;
  public static final CaptureFilter NONE = new CaptureFilter(DEFAULT_SNAPLEN, null, null);

  public CaptureFilter {
    if (snaplen < MIN_SNAPLEN || snaplen > DEFAULT_SNAPLEN) {
      throw new IllegalArgumentException(
          "snaplen must be " + MIN_SNAPLEN + ".." + DEFAULT_SNAPLEN + ", got " + snaplen);
    }
    if (bpf != null && bpf.isBlank()) {
      bpf = null;
    }
    if (vlans != null) {
      for (int v : vlans) {
        if (v < 0 || v > 4095) {
          throw new IllegalArgumentException("VLAN ids must be 0..4095, got " + v);
        }
      }
      vlans = vlans.length == 0 ? null : vlans.clone();
    }
  }

  /** Whether the kernel or the reader has anything to do (a filter, or a snap length cut). */
  public boolean needsProgram() {
    return bpf != null || snaplen < DEFAULT_SNAPLEN;
  }

  /** {@code allowed[id]} for the listed VLANs, or null when every frame passes. */
  public boolean[] vlanMask() {
    if (vlans == null) {
      return null;
    }
    boolean[] m = new boolean[4096];
    for (int v : vlans) {
      m[v] = true;
    }
    return m;
  }

  @Override
  public String toString() {
    return "snaplen "
        + snaplen
        + (bpf != null ? ", filter \"" + bpf + "\"" : "")
        + (vlans != null ? ", vlans " + Arrays.toString(vlans) : "");
  }
}
