package dev.vigil.sensor.decode;

/**
 * Named "weird" counters (after Zeek's weird.log): one per kind of malformed or unexpected input.
 * Decoders increment one and return false instead of throwing. Counting is a plain array increment:
 * no allocation, no strings on the packet path.
 */
public final class Weirds {
  // Link layer
  /** Frame shorter than its link-layer header (Ethernet, SLL, SLL2, NULL, PPP). */
  public static final int TRUNCATED_LINK_HEADER = 0;

  /** Link type of the capture interface is not one we decode. */
  public static final int UNKNOWN_LINK_TYPE = 1;

  /** Ethertype / PPP protocol / NULL family that is not IP, VLAN, MPLS or a tunnel we know. */
  public static final int NON_IP_PACKET = 2;

  /** 802.1Q/802.1ad tag cut short. */
  public static final int TRUNCATED_VLAN = 3;

  /** MPLS label stack cut short, too deep, or followed by something that is not IP. */
  public static final int TRUNCATED_MPLS = 4;

  public static final int MPLS_UNKNOWN_PAYLOAD = 5;
  // IPv4
  public static final int TRUNCATED_IP = 6;
  public static final int BAD_IP_VERSION = 7;
  public static final int BAD_IP_HEADER_LEN = 8;

  /** IPv4 total length (or IPv6 payload length) smaller than the header it must contain. */
  public static final int IP_TOTAL_LEN_TOO_SMALL = 9;

  /** IPv6 fragment header cut short. */
  public static final int TRUNCATED_IPV6_FRAGMENT = 10;

  // IPv6
  public static final int TRUNCATED_IPV6 = 11;
  public static final int TRUNCATED_IPV6_EXT_HEADER = 12;
  public static final int TOO_MANY_IPV6_EXT_HEADERS = 13;
  // L4
  public static final int TRUNCATED_TCP_HEADER = 14;
  public static final int BAD_TCP_HEADER_LEN = 15;
  public static final int TRUNCATED_UDP_HEADER = 16;
  public static final int BAD_UDP_LENGTH = 17;
  public static final int TRUNCATED_ICMP_HEADER = 18;

  /** TCP packet with SYN and RST (history letter I) or SYN and FIN (Q). */
  public static final int TCP_BAD_FLAG_COMBO = 19;

  // Tunnels
  public static final int TRUNCATED_GRE = 20;
  public static final int GRE_UNKNOWN_VERSION = 21;
  public static final int GRE_UNKNOWN_PROTOCOL = 22;
  public static final int TRUNCATED_VXLAN = 23;
  public static final int VXLAN_BAD_FLAGS = 24;
  public static final int TRUNCATED_GENEVE = 25;
  public static final int GENEVE_BAD_VERSION = 26;
  public static final int TRUNCATED_ERSPAN = 27;
  public static final int ERSPAN_BAD_VERSION = 28;

  /** More nested encapsulations than {@link Decoder#MAX_DEPTH}. */
  public static final int EXCEEDED_TUNNEL_MAX_DEPTH = 29;

  // Capture
  /** Record whose captured length exceeds its original length, or a capture file cut mid-record. */
  public static final int BAD_CAPTURE_RECORD = 30;

  /** pcapng packet block naming an interface that no IDB declared. */
  public static final int PCAPNG_UNKNOWN_INTERFACE = 31;

  /** Captured length 0. */
  public static final int EMPTY_PACKET = 32;

  // Analyzers (TCP stream prefix, TLS)
  /** TCP segment starts beyond the analyzed stream prefix or behind too many holes: not kept. */
  public static final int TCP_PREFIX_SEGMENT_DROPPED = 33;

  /** No free stream buffer for a new connection's payload: it is not analyzed. */
  public static final int STREAM_BUFFERS_EXHAUSTED = 34;

  /** TLS record or handshake header inconsistent (record type, version, lengths). */
  public static final int TLS_BAD_RECORD = 35;

  /** ClientHello/ServerHello body cut short or with inconsistent inner lengths. */
  public static final int TLS_BAD_HELLO = 36;

  /** Hello larger than the analyzed stream prefix: not fingerprinted. */
  public static final int TLS_HELLO_TOO_LARGE = 37;

  /** More ciphers/extensions/groups than the parser keeps: the list was cut. */
  public static final int TLS_LIST_TRUNCATED = 38;

  // DNS (Zeek's names where Zeek has one)
  /** DNS message shorter than its 12-byte header. */
  public static final int DNS_TRUNCATED_LEN_LT_HDR_LEN = 39;

  /** A question or resource record runs past the end of the message. */
  public static final int DNS_TRUNCATED_MSG = 40;

  /** A name's compression pointer points forward (or at itself): a loop; the name is rejected. */
  public static final int DNS_LABEL_FORWARD_COMPRESS_OFFSET = 41;

  /** A name longer than 255 bytes or with more compression jumps than any real name needs. */
  public static final int DNS_NAME_TOO_LONG = 42;

  /** A label type other than 0b00 (length) or 0b11 (pointer). */
  public static final int DNS_BAD_LABEL_TYPE = 43;

  /** A reply whose transaction id matches no pending query of its connection (still logged). */
  public static final int DNS_UNMATCHED_REPLY = 44;

  /** More outstanding queries in one connection than are kept: the oldest is logged unanswered. */
  public static final int DNS_PENDING_FULL = 45;

  // HTTP
  /** A request line that is not {@code METHOD SP URI [SP HTTP/x.y]}: the direction stops. */
  public static final int BAD_HTTP_REQUEST = 46;

  /** A status line that is not {@code HTTP/x.y SP code ...}: the direction stops. */
  public static final int BAD_HTTP_REPLY = 47;

  /** A request/status/header line longer than the line buffer: kept cut. */
  public static final int HTTP_LINE_TOO_LONG = 48;

  /** A chunk size that is not hex: the direction stops. */
  public static final int HTTP_BAD_CHUNK_SIZE = 49;

  /** Bytes missing from an HTTP stream outside a body of known length: the direction stops. */
  public static final int HTTP_CONTENT_GAP = 50;

  /** A response with no request to pair with (still logged). */
  public static final int UNMATCHED_HTTP_REPLY = 51;

  /** No free HTTP state for a new HTTP connection: it is not analyzed. */
  public static final int HTTP_STATES_EXHAUSTED = 52;

  public static final int COUNT = 53;

  private static final String[] NAMES = {
    "truncated_link_header",
    "unknown_link_type",
    "non_ip_packet",
    "truncated_vlan",
    "truncated_mpls",
    "mpls_unknown_payload",
    "truncated_IP",
    "bad_IP_version",
    "bad_IP_header_len",
    "IP_total_len_too_small",
    "truncated_IPv6_fragment",
    "truncated_IPv6",
    "truncated_IPv6_ext_header",
    "too_many_IPv6_ext_headers",
    "truncated_TCP_header",
    "bad_TCP_header_len",
    "truncated_UDP_header",
    "bad_UDP_length",
    "truncated_ICMP_header",
    "TCP_bad_flag_combo",
    "truncated_GRE",
    "GRE_unknown_version",
    "GRE_unknown_protocol",
    "truncated_VXLAN",
    "VXLAN_bad_flags",
    "truncated_Geneve",
    "Geneve_bad_version",
    "truncated_ERSPAN",
    "ERSPAN_bad_version",
    "exceeded_tunnel_max_depth",
    "bad_capture_record",
    "pcapng_unknown_interface",
    "empty_packet",
    "TCP_prefix_segment_dropped",
    "stream_buffers_exhausted",
    "TLS_bad_record",
    "TLS_bad_hello",
    "TLS_hello_too_large",
    "TLS_list_truncated",
    "DNS_truncated_len_lt_hdr_len",
    "DNS_truncated_msg",
    "DNS_label_forward_compress_offset",
    "DNS_name_too_long",
    "DNS_bad_label_type",
    "dns_unmatched_reply",
    "dns_pending_queries_full",
    "bad_HTTP_request",
    "bad_HTTP_reply",
    "HTTP_line_too_long",
    "HTTP_bad_chunk_size",
    "HTTP_content_gap",
    "unmatched_HTTP_reply",
    "http_states_exhausted",
  };

  private final long[] counts = new long[COUNT];

  public void inc(int id) {
    counts[id]++;
  }

  public long get(int id) {
    return counts[id];
  }

  public long total() {
    long t = 0;
    for (long c : counts) {
      t += c;
    }
    return t;
  }

  public static String name(int id) {
    return NAMES[id];
  }

  /** Id for a name, or -1. Not for the packet path. */
  public static int id(String name) {
    for (int i = 0; i < COUNT; i++) {
      if (NAMES[i].equals(name)) {
        return i;
      }
    }
    return -1;
  }

  public long get(String name) {
    int id = id(name);
    if (id < 0) {
      throw new IllegalArgumentException("no weird named " + name);
    }
    return counts[id];
  }
}
