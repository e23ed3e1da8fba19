package dev.vigil.sensor.flow;

/** Receives connections as the flow table retires them. */
public interface FlowSink {
  void onConnection(ConnRecord record);
}
