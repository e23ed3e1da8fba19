package dev.vigil.sensor.flow;

/**
 * Content analysis hooked into the {@link FlowTable}: sees each connection start, the TCP payload
 * of connections that are not bypassed, and names their service when they are reported. Flow ids
 * are the table's slot numbers: reused after a connection retires (then {@code onReport} is called
 * with {@code retiring}).
 */
public interface FlowObserver {
  /**
   * A new connection's first packet, before it is accounted: its identity is readable through
   * {@link FlowTable#identify}. Not called again for the later parts of an active-timeout split.
   * The default ignores it.
   */
  default void onStart(int flow, long tsNanos) {}

  /**
   * One TCP segment's captured payload. {@code rel} is the stream offset of its first byte in its
   * direction (0 = the first data byte after the SYN, or the first byte seen without a SYN).
   */
  void onTcpPayload(int flow, boolean isOrig, long rel, byte[] buf, int off, int len, long tsNanos);

  /**
   * One UDP datagram's captured payload (the first fragment's part for a fragmented datagram). The
   * default ignores it.
   */
  default void onUdpPayload(int flow, boolean isOrig, byte[] buf, int off, int len, long tsNanos) {}

  /** The flow became an elephant: no more payload will be shown. */
  void onBypass(int flow);

  /**
   * The flow is being reported; the observer may set {@link ConnRecord#service}. {@code retiring}:
   * the flow id is freed afterwards (false for an active-timeout part).
   */
  void onReport(int flow, ConnRecord record, boolean retiring);

  FlowObserver NONE =
      new FlowObserver() {
        @Override
        public void onTcpPayload(
            int flow, boolean isOrig, long rel, byte[] buf, int off, int len, long tsNanos) {}

        @Override
        public void onBypass(int flow) {}

        @Override
        public void onReport(int flow, ConnRecord record, boolean retiring) {}
      };
}
