package dev.crmkit.http;

import java.util.Objects;

/**
 * A request body sent as given rather than as JSON, such as a CSV upload: pass it to
 * {@link ApiRequest#put(String, Object)} or {@link ApiRequest#withBody(Object)}.
 *
 * @param contentType the media type, such as {@code text/csv; charset=utf-8}; not blank
 * @param bytes the body; not null. The array is not copied: do not change it after handing it over
 */
public record RawBody(String contentType, byte[] bytes) {
  public RawBody {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(bytes, "bytes");
    if (contentType.isBlank()) {
      throw new IllegalArgumentException("contentType must not be blank");
    }
  }

  @Override
  public String toString() {
    return "RawBody[" + contentType + ", " + bytes.length + " bytes]";
  }
}
