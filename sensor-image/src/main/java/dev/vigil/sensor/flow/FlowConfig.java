package dev.vigil.sensor.flow;

/**
 * Flow-table settings. Timeouts follow Zeek's defaults ({@code tcp_inactivity_timeout} 5 min,
 * {@code udp_inactivity_timeout} and {@code icmp_inactivity_timeout} 1 min, {@code tcp_close_delay}
 * 5 s). The active timeout (a flow reported and restarted after living this long, NetFlow style) is
 * off by default because Zeek has none.
 */
public record FlowConfig(
    int maxFlows,
    long tcpIdleNanos,
    long udpIdleNanos,
    long otherIdleNanos,
    long closeDelayNanos,
    long activeTimeoutNanos,
    long bypassBytes,
    long bypassPackets,
    long uidSeed) {

  public static final long SECOND = 1_000_000_000L;

  public static FlowConfig defaults() {
    return new FlowConfig(
        1 << 18, 300 * SECOND, 60 * SECOND, 60 * SECOND, 5 * SECOND, 0, 0, 0, 0x5eed_7161L);
  }

  public FlowConfig withMaxFlows(int n) {
    return new FlowConfig(
        n,
        tcpIdleNanos,
        udpIdleNanos,
        otherIdleNanos,
        closeDelayNanos,
        activeTimeoutNanos,
        bypassBytes,
        bypassPackets,
        uidSeed);
  }

  public FlowConfig withBypass(long bytes, long packets) {
    return new FlowConfig(
        maxFlows,
        tcpIdleNanos,
        udpIdleNanos,
        otherIdleNanos,
        closeDelayNanos,
        activeTimeoutNanos,
        bytes,
        packets,
        uidSeed);
  }

  public FlowConfig withTimeouts(long tcpIdle, long udpIdle, long otherIdle, long active) {
    return new FlowConfig(
        maxFlows,
        tcpIdle,
        udpIdle,
        otherIdle,
        closeDelayNanos,
        active,
        bypassBytes,
        bypassPackets,
        uidSeed);
  }
}
