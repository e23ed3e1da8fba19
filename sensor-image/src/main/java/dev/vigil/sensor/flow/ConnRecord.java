package dev.vigil.sensor.flow;

/**
 * One finished connection, in Zeek conn.log terms. The flow table fills one instance and hands it
 * to the {@link FlowSink}; the sink must copy what it keeps.
 */
public final class ConnRecord {
  public long startNanos;
  public long durationNanos;
  public long uidSeq;
  public int ipVersion;
  public long origHi;
  public long origLo;
  public long respHi;
  public long respLo;
  public int origPort;
  public int respPort;

  /** IP protocol number (1/58 are both Zeek "icmp"). */
  public int proto;

  public long origBytes;
  public long respBytes;
  public String connState;

  /** Zeek {@code service}: what the analyzers recognised ("ssl", "stratum"), or null. */
  public String service;

  public long missedBytes;
  public final StringBuilder history = new StringBuilder(16);
  public long origPkts;
  public long origIpBytes;
  public long respPkts;
  public long respIpBytes;

  /** -1 when absent. */
  public int vlan;

  public int innerVlan;

  /** Whether the flow was bypassed (elephant) before it ended. */
  public boolean bypassed;

  /** Why the flow ended: see {@link FlowTable} REASON_ constants. */
  public int reason;
}
