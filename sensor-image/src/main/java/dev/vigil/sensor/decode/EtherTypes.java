package dev.vigil.sensor.decode;

/** Ethertypes (also GRE protocol types and SLL protocol fields) the decoder follows. */
public final class EtherTypes {
  private EtherTypes() {}

  public static final int IPV4 = 0x0800;
  public static final int ARP = 0x0806;
  public static final int VLAN = 0x8100;
  public static final int QINQ = 0x88a8;

  /** Pre-standard QinQ outer tag still seen on older switches. */
  public static final int QINQ_OLD = 0x9100;

  public static final int IPV6 = 0x86dd;
  public static final int MPLS_UNICAST = 0x8847;
  public static final int MPLS_MULTICAST = 0x8848;

  /** GRE payload: transparent Ethernet bridging (NVGRE, Geneve). */
  public static final int TEB = 0x6558;

  /** GRE payload: ERSPAN type II (with sequence number) or type I (without). */
  public static final int ERSPAN_II = 0x88be;

  /** GRE payload: ERSPAN type III. */
  public static final int ERSPAN_III = 0x22eb;

  /** GRE version 1 (PPTP) payload: PPP. */
  public static final int PPP = 0x880b;
}
