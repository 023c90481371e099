package dev.crmkit.memory;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** Opaque cursors: a kind and a payload, Base64url-encoded so callers cannot rely on their shape. */
final class Cursors {
  private Cursors() {}

  static String encode(String kind, String payload) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((kind + ":" + payload).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The payload of a cursor of the given kind.
   *
   * @throws ValidationException naming {@code cursor} when it was not made by {@link #encode} for {@code kind}
   */
  static String decode(String kind, String cursor) {
    String text;
    try {
      text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed(cursor);
    }
    if (!text.startsWith(kind + ":")) {
      throw malformed(cursor);
    }
    return text.substring(kind.length() + 1);
  }

  static ValidationException malformed(String cursor) {
    return new ValidationException(InMemoryCustomerSystem.PROVIDER_NAME,
        List.of(new FieldError("cursor", cursor, "not a cursor issued by this list")));
  }
}
