package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Opaque page cursors: a kind prefix and a position, base64url-encoded. */
public final class Cursors {
  private Cursors() {}

  /** Encodes a position of a kind such as {@code "c"} (customers) or {@code "n"} (notes). */
  public static String encode(String kind, String position) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((kind + ":" + position).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Decodes a cursor of a kind.
   *
   * @throws ValidationException naming {@code cursor} when it was not issued for this kind
   */
  public static String decode(String kind, String cursor) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (s.startsWith(kind + ":") && s.length() > kind.length() + 1) {
        return s.substring(kind.length() + 1);
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error below
    }
    throw invalid(cursor);
  }

  /** The error for a cursor this store did not issue. */
  public static ValidationException invalid(String cursor) {
    return new ValidationException(Jdbc.PROVIDER, java.util.List.of(new dev.crmkit.error.FieldError(
        "cursor", cursor, "not a cursor issued by the native store")));
  }

  /** Parses the {@code millis:id} position of a time-ordered list. */
  public static Object[] timeAndId(String kind, String cursor) {
    String position = decode(kind, cursor);
    int colon = position.indexOf(':');
    try {
      if (colon > 0 && colon < position.length() - 1) {
        return new Object[] {Long.parseLong(position.substring(0, colon)), position.substring(colon + 1)};
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw invalid(cursor);
  }
}
