package dev.vigil.sensor.analyzer;

import java.util.List;

/**
 * One DNS query and its reply as Zeek's dns.log has them: handed to a {@link DnsSink} when the
 * reply arrives (matched by transaction id within the connection), or when the connection ends for
 * a query that got none. A reply without a query is handed over alone ({@link #query} from the
 * reply's question). Immutable.
 *
 * @param tsNanos time of the query (of the reply when there was no query)
 * @param tcp over TCP (length-prefixed messages), else UDP
 * @param rttNanos reply time minus query time, or -1 without both
 * @param query the question's name, lower-cased, or null
 * @param qclass -1 when there is no question
 * @param qtype -1 when there is no question
 * @param rcode -1 without a reply
 * @param answers the answer section, Zeek's text per record (addresses, names, {@code TXT n s})
 * @param ttls one per answer, seconds
 * @param rejected a reply with a non-zero rcode and no question (Zeek's {@code rejected})
 */
public record DnsTransaction(
    long tsNanos,
    boolean tcp,
    int transId,
    long rttNanos,
    String query,
    int qclass,
    int qtype,
    int rcode,
    boolean aa,
    boolean tc,
    boolean rd,
    boolean ra,
    int z,
    boolean hasReply,
    List<String> answers,
    List<Long> ttls,
    boolean rejected) {

  public static String qtypeName(int t) {
    return switch (t) {
      case 1 -> "A";
      case 2 -> "NS";
      case 5 -> "CNAME";
      case 6 -> "SOA";
      case 12 -> "PTR";
      case 13 -> "HINFO";
      case 15 -> "MX";
      case 16 -> "TXT";
      case 28 -> "AAAA";
      case 33 -> "SRV";
      case 35 -> "NAPTR";
      case 41 -> "OPT";
      case 43 -> "DS";
      case 46 -> "RRSIG";
      case 47 -> "NSEC";
      case 48 -> "DNSKEY";
      case 64 -> "SVCB";
      case 65 -> "HTTPS";
      case 252 -> "AXFR";
      case 255 -> "*";
      case 257 -> "CAA";
      default -> "query-" + t;
    };
  }

  public static String qclassName(int c) {
    return switch (c) {
      case 1 -> "C_INTERNET";
      case 3 -> "C_CHAOS";
      case 4 -> "C_HESIOD";
      case 254 -> "C_NONE";
      case 255 -> "C_ANY";
      default -> "qclass-" + c;
    };
  }

  public static String rcodeName(int r) {
    return switch (r) {
      case 0 -> "NOERROR";
      case 1 -> "FORMERR";
      case 2 -> "SERVFAIL";
      case 3 -> "NXDOMAIN";
      case 4 -> "NOTIMP";
      case 5 -> "REFUSED";
      case 6 -> "YXDOMAIN";
      case 7 -> "YXRRSET";
      case 8 -> "NXRRSET";
      case 9 -> "NOTAUTH";
      case 10 -> "NOTZONE";
      default -> "rcode-" + r;
    };
  }
}
