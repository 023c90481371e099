package dev.crmkit.http;

import dev.crmkit.http.internal.Json;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A response as received: status, headers, body text. Immutable and thread-safe.
 * {@link #toString()} shows status and size only.
 */
public final class ApiResponse {
  private final int status;
  private final Map<String, List<String>> headers;
  private final String body;
  /** {@link #json()} once read: every call returns the same (unmodifiable) map. */
  private volatile Map<String, Object> json;

  /**
   * @param status HTTP status
   * @param headers header values by name; names are matched case-insensitively; copied
   * @param body body text; {@code null} becomes empty
   * @throws NullPointerException naming {@code headers} when it is null
   */
  public ApiResponse(int status, Map<String, List<String>> headers, String body) {
    java.util.Objects.requireNonNull(headers, "headers");
    this.status = status;
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> h.merge(k.toLowerCase(Locale.ROOT), List.copyOf(v),
        (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
    this.headers = java.util.Collections.unmodifiableMap(h);
    this.body = body == null ? "" : body;
  }

  /** HTTP status. */
  public int status() {
    return status;
  }

  /** True for a 2xx status. */
  public boolean isSuccessful() {
    return status >= 200 && status < 300;
  }

  /** All headers, names lower-cased and looked up case-insensitively; unmodifiable. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /**
   * First value of a header.
   *
   * @param name header name, any case
   * @return the first value, or {@code null} when absent
   */
  public String header(String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  /** The body text; empty when there was none. */
  public String body() {
    return body;
  }

  /**
   * The body read as a JSON object.
   *
   * @return an unmodifiable view of nested {@code Map}, {@code List}, {@code String}, {@code Number},
   *     {@code Boolean} and {@code null}; empty for an empty body
   * @throws dev.crmkit.error.CrmException when the body is not a JSON object
   */
  public Map<String, Object> json() {
    Map<String, Object> read = json;
    if (read == null) {
      read = Json.readMap(body);
      json = read;
    }
    return read;
  }

  @Override
  public String toString() {
    return "ApiResponse[" + status + ", " + body.length() + " chars]";
  }
}
