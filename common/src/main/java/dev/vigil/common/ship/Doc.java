package dev.vigil.common.ship;

import dev.vigil.common.schema.DataClass;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Objects;

/**
 * One document to ship: its class, its own timestamp (which picks the daily index), its
 * deterministic id, and its JSON source as one line.
 *
 * @param id the document id; {@link #of(DataClass, long, String)} derives it from the content
 */
public record Doc(DataClass dataClass, long epochMillis, String id, String json) {

  public Doc {
    Objects.requireNonNull(dataClass, "dataClass");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(json, "json");
    if (id.isEmpty() || id.length() > 512) {
      throw new IllegalArgumentException("id must be 1..512 characters");
    }
    if (json.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("json must be one line (NDJSON)");
    }
  }

  /**
   * A document whose id is the content hash: base64url(SHA-256(class ‖ 0x00 ‖ json))[0..32]. Two
   * sends of the same line get the same id, so a retry or replay never duplicates; two different
   * lines never share one in practice (192 bits).
   */
  public static Doc of(DataClass dataClass, long epochMillis, String json) {
    return new Doc(dataClass, epochMillis, contentId(dataClass, json), json);
  }

  /**
   * A document with a caller-given id, e.g. {@link #compactId(long, String)} of a Zeek uid plus ts
   * for conn records.
   */
  public static Doc withId(DataClass dataClass, long epochMillis, String id, String json) {
    return new Doc(dataClass, epochMillis, id, json);
  }

  /**
   * A short deterministic id for a record with a natural key (a conn record's {@code uid@ts}):
   * base64url of 12 bytes, the record's epoch second (4 bytes, big-endian, unsigned) then the first
   * 8 bytes of SHA-256(key), 16 characters in all.
   *
   * <p>OpenSearch stores an id of this shape as its 12 decoded bytes, where {@code uid@ts} costs 36
   * bytes as text, once in the stored fields and once in the terms of {@code _id}; the leading
   * second makes ids of one index sorted by time share prefixes there (docs/adr/0010). The same key
   * and second always give the same id, so a retry or replay never duplicates; two records of the
   * same second share an id only when 64 bits of their keys' hashes collide.
   */
  public static String compactId(long epochSecond, String naturalKey) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(naturalKey.getBytes(StandardCharsets.UTF_8));
      byte[] id = new byte[12];
      int s = (int) epochSecond;
      id[0] = (byte) (s >>> 24);
      id[1] = (byte) (s >>> 16);
      id[2] = (byte) (s >>> 8);
      id[3] = (byte) s;
      System.arraycopy(h, 0, id, 4, 8);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(id);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
    }
  }

  static String contentId(DataClass dataClass, String json) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(dataClass.wireName().getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) 0);
      byte[] h = sha.digest(json.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(h).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a mandatory JDK algorithm", e);
    }
  }
}
