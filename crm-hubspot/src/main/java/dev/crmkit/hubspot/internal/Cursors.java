package dev.crmkit.hubspot.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Opaque cursors: a kind tag and a small JSON object, base64url-encoded. A cursor of another kind, or
 * one this provider did not make, is rejected naming {@code cursor}.
 */
public final class Cursors {
  // Map.of iterates in an order that changes from one JVM run to the next: sort keys so a state
  // always gives the same text.
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final String VERSION = "hs1";

  private Cursors() {}

  /** Encodes a state as a cursor of {@code kind}; the same state always gives the same text. */
  public static String encode(String kind, Map<String, Object> state) {
    try {
      byte[] json = JSON.writeValueAsBytes(Map.of("k", VERSION + ":" + kind, "s", state));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(json);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("a cursor state of strings, numbers and lists always serializes", e);
    }
  }

  /**
   * The state of a cursor of {@code kind}.
   *
   * @throws ValidationException naming {@code cursor} when it is not such a cursor
   */
  public static Map<String, Object> decode(String kind, String cursor) {
    try {
      byte[] json = Base64.getUrlDecoder().decode(cursor);
      Map<String, Object> root = JSON.readValue(new String(json, StandardCharsets.UTF_8), new TypeReference<>() {});
      if (!(VERSION + ":" + kind).equals(root.get("k")) || !(root.get("s") instanceof Map<?, ?>)) {
        throw malformed(cursor, kind);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> state = (Map<String, Object>) root.get("s");
      return state;
    } catch (IllegalArgumentException | java.io.IOException e) {
      throw malformed(cursor, kind);
    }
  }

  /** A malformed-cursor error naming {@code cursor} and its value. */
  public static ValidationException malformed(String cursor, String kind) {
    return new ValidationException("hubspot",
        List.of(new FieldError("cursor", cursor, "not a " + kind + " cursor issued by the hubspot provider")));
  }
}
