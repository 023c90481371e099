package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A status, a body and extra headers. {@code body} is JSON, or null for none; {@code text} is a
 * non-JSON body (CSV) with its content type, else null.
 */
record Reply(int status, JsonNode body, String text, String contentType, Map<String, String> headers) {
  Reply(int status, JsonNode body) {
    this(status, body, null, null, Map.of());
  }

  static Reply noContent() {
    return new Reply(204, null);
  }

  static Reply csv(String text) {
    return new Reply(200, null, text, "text/csv", Map.of());
  }
}
