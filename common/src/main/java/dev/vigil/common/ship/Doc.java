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
   * A document with a caller-given natural id, e.g. a Zeek uid plus ts for conn records: {@code
   * "C1a2b3c4d5e6f7g8h9@1700000000.123456"}.
   */
  public static Doc withId(DataClass dataClass, long epochMillis, String id, String json) {
    return new Doc(dataClass, epochMillis, id, json);
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
