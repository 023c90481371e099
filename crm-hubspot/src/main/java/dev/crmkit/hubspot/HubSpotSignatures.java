package dev.crmkit.hubspot;

import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.WebhookSignatures;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * HubSpot's request signatures, computed as HubSpot documents them. {@link HubSpotWebhookHandler}
 * verifies with these; tests and emulators use them to sign payloads, like stripe-java's {@code
 * Webhook.Util}. Stateless and thread-safe.
 *
 * <p>Every method hashes the body's raw bytes as given and the other parts as UTF-8.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks/validating-requests">HubSpot: validating requests</a>
 */
public final class HubSpotSignatures {
  /**
   * The percent-encoded characters HubSpot's v3 instructions say to decode in the URI before
   * hashing; every other escape is hashed as sent.
   */
  static final Map<String, String> V3_DECODED = Map.ofEntries(
      Map.entry("%3A", ":"), Map.entry("%2F", "/"), Map.entry("%3F", "?"), Map.entry("%40", "@"),
      Map.entry("%21", "!"), Map.entry("%24", "$"), Map.entry("%27", "'"), Map.entry("%28", "("),
      Map.entry("%29", ")"), Map.entry("%2A", "*"), Map.entry("%2C", ","), Map.entry("%3B", ";"));

  private HubSpotSignatures() {}

  /**
   * The v1 signature: lower-case hex SHA-256 of client secret + body.
   *
   * @param clientSecret the app's client secret; not blank
   * @param body the raw request body; {@code null} means empty
   * @return 64 lower-case hex characters
   * @throws ValidationException when the client secret is blank
   */
  public static String v1(String clientSecret, byte[] body) {
    return WebhookSignatures.hex(WebhookSignatures.sha256(secret(clientSecret), orEmpty(body)));
  }

  /**
   * The v2 signature: lower-case hex SHA-256 of client secret + method + URI + body. The URI must be
   * exactly what HubSpot called, scheme and query order included; it is not decoded.
   *
   * @param clientSecret the app's client secret; not blank
   * @param method the HTTP method, such as {@code "POST"}; not blank
   * @param uri the full URI, such as {@code "https://www.example.com/webhook_uri"}; not blank
   * @param body the raw request body; {@code null} means empty
   * @return 64 lower-case hex characters
   * @throws ValidationException naming the blank argument
   */
  public static String v2(String clientSecret, String method, String uri, byte[] body) {
    return WebhookSignatures.hex(WebhookSignatures.sha256(
        secret(clientSecret), utf8(method, "method"), utf8(uri, "uri"), orEmpty(body)));
  }

  /**
   * The v3 signature: Base64 of HMAC-SHA256, keyed by the client secret, over method + URI + body +
   * timestamp. The URI is first passed through {@link #decodeV3Uri(String)}, so the encoded URL as
   * received and the decoded one give the same signature.
   *
   * @param clientSecret the app's client secret; not blank
   * @param method the HTTP method, such as {@code "POST"}; not blank
   * @param uri the full URI; not blank
   * @param body the raw request body; {@code null} means empty
   * @param timestampMillis the {@code X-HubSpot-Request-Timestamp} value: milliseconds since the epoch
   * @return the Base64 signature (44 characters)
   * @throws ValidationException naming the blank argument
   */
  public static String v3(String clientSecret, String method, String uri, byte[] body, long timestampMillis) {
    byte[] mac = WebhookSignatures.hmacSha256(
        secret(clientSecret),
        utf8(method, "method"),
        utf8(decodeV3Uri(uri), "uri"),
        orEmpty(body),
        Long.toString(timestampMillis).getBytes(StandardCharsets.UTF_8));
    return Base64.getEncoder().encodeToString(mac);
  }

  /**
   * Decodes, in a URI, exactly the percent-escapes HubSpot's v3 instructions list ({@code %3A :},
   * {@code %2F /}, {@code %3F ?}, {@code %40 @}, {@code %21 !}, {@code %24 $}, {@code %27 '}, {@code
   * %28 (}, {@code %29 )}, {@code %2A *}, {@code %2C ,}, {@code %3B ;}), in either hex case. Other
   * escapes, such as {@code %20} or {@code %25}, stay as they are. One pass: {@code %253A} stays
   * {@code %253A}.
   *
   * @param uri a URI; not blank
   * @return the URI with the listed escapes decoded
   * @throws ValidationException when the URI is blank
   */
  public static String decodeV3Uri(String uri) {
    if (uri == null || uri.isBlank()) {
      throw ValidationException.of("uri", uri, "a signature needs the request URI");
    }
    StringBuilder out = new StringBuilder(uri.length());
    int i = 0;
    while (i < uri.length()) {
      char c = uri.charAt(i);
      if (c == '%' && i + 3 <= uri.length()) {
        String decoded = V3_DECODED.get(uri.substring(i, i + 3).toUpperCase(Locale.ROOT));
        if (decoded != null) {
          out.append(decoded);
          i += 3;
          continue;
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  private static byte[] secret(String clientSecret) {
    if (clientSecret == null || clientSecret.isBlank()) {
      throw ValidationException.of("clientSecret", null, "a HubSpot signature needs the app's client secret");
    }
    return clientSecret.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ValidationException.of(field, value, "a HubSpot signature needs the request " + field);
    }
    return value.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] orEmpty(byte[] body) {
    return body == null ? new byte[0] : body;
  }
}
