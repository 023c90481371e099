package dev.crmkit.http;

import dev.crmkit.error.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a vendor's error body and headers into a {@link VendorError}. The connector maps the status
 * and this result to a {@link dev.crmkit.error.CrmException} subtype in one place:
 * 401/403 authentication, 404 not found, 409 conflict, 400/422 validation (with these field
 * errors), 429 rate limited, 5xx server error.
 *
 * <p>Implementations must be thread-safe and must not throw: an unreadable body yields a
 * {@code VendorError} with what could be read.
 */
@FunctionalInterface
public interface ErrorParser {
  /**
   * @param response the failed response (status 400 or above)
   * @return what the vendor said; never {@code null}
   */
  VendorError parse(ApiResponse response);

  /**
   * A parser for common JSON error shapes, the default. Reads the message from {@code message},
   * {@code error_description} or {@code error} (when a string); the code from {@code code},
   * {@code errorCode}, {@code category} or {@code error}; field errors from an {@code errors} array
   * of objects with {@code field} or {@code name} and {@code message}; the request id from the
   * headers {@code X-Request-Id} or {@code Request-Id}.
   *
   * @return the parser; stateless
   */
  static ErrorParser generic() {
    return withRequestIdHeader(null);
  }

  /**
   * {@link #generic()} that first reads the request id from a vendor header, such as HubSpot's
   * {@code X-HubSpot-Correlation-Id}.
   *
   * @param requestIdHeader header name; {@code null} for only the generic headers
   * @return the parser; stateless
   */
  static ErrorParser withRequestIdHeader(String requestIdHeader) {
    return response -> {
      String requestId = requestIdHeader == null ? null : response.header(requestIdHeader);
      if (requestId == null) {
        requestId = response.header("X-Request-Id");
      }
      if (requestId == null) {
        requestId = response.header("Request-Id");
      }
      Map<String, Object> body;
      try {
        body = response.json();
      } catch (RuntimeException notJson) {
        String text = response.body().strip();
        return new VendorError(null, text.isEmpty() ? null : text.substring(0, Math.min(200, text.length())), requestId, List.of());
      }
      String message = firstString(body, "message", "error_description", "error");
      String code = firstString(body, "code", "errorCode", "category", "error");
      List<FieldError> fields = new ArrayList<>();
      if (body.get("errors") instanceof List<?> errors) {
        for (Object e : errors) {
          if (e instanceof Map<?, ?> m) {
            Object field = m.get("field") != null ? m.get("field") : m.get("name");
            Object msg = m.get("message");
            Object value = m.get("value");
            if (field != null) {
              fields.add(new FieldError(field.toString(), value == null ? null : value.toString(),
                  msg == null ? "rejected" : msg.toString()));
            }
          }
        }
      }
      return new VendorError(code, message, requestId, fields);
    };
  }

  private static String firstString(Map<String, Object> body, String... keys) {
    for (String k : keys) {
      Object v = body.get(k);
      if (v instanceof String s && !s.isBlank()) {
        return s;
      }
      if (v instanceof Number n) {
        return n.toString();
      }
    }
    return null;
  }
}
