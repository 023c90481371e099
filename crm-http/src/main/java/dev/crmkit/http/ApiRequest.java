package dev.crmkit.http;

import dev.crmkit.http.internal.Redaction;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One call to a vendor API, relative to the connector's base URL. Immutable and thread-safe: the
 * {@code with...} methods return changed copies, so a paging loop repeats the same request with
 * only the cursor changed.
 *
 * <p>Defaults: no query parameters, no extra headers, no body, not retry-safe, cost class
 * {@value #DEFAULT_COST_CLASS}. {@link #toString()} hides values of secret-looking headers and
 * query parameters, and never shows the body.
 */
public final class ApiRequest {
  /** Cost class of a request that names none. */
  public static final String DEFAULT_COST_CLASS = "default";

  private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
  private static final Set<String> IDEMPOTENT = Set.of("GET", "PUT", "DELETE");

  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final Map<String, String> headers;
  private final Object body;
  private final boolean retrySafe;
  private final String costClass;

  private ApiRequest(
      String method, String path, Map<String, String> query, Map<String, String> headers, Object body,
      boolean retrySafe, String costClass) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
    this.retrySafe = retrySafe;
    this.costClass = costClass;
  }

  /**
   * A request without body.
   *
   * @param method {@code GET}, {@code POST}, {@code PUT}, {@code PATCH} or {@code DELETE} (any case)
   * @param path path below the base URL, starting with {@code /}, such as {@code /crm/v3/objects/contacts};
   *     without query string
   * @return the request
   * @throws NullPointerException naming {@code method} or {@code path} when null
   * @throws IllegalArgumentException naming {@code method} when it is unknown, or {@code path} when it
   *     does not start with {@code /} or holds a {@code ?}
   */
  public static ApiRequest of(String method, String path) {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    String m = method.toUpperCase(Locale.ROOT);
    if (!METHODS.contains(m)) {
      throw new IllegalArgumentException("method must be one of " + METHODS + ": '" + method + "'");
    }
    if (!path.startsWith("/") || path.contains("?")) {
      throw new IllegalArgumentException(
          "path must start with '/' and hold no query string (use withQuery): '" + path + "'");
    }
    return new ApiRequest(m, path, Map.of(), Map.of(), null, false, DEFAULT_COST_CLASS);
  }

  /** {@code GET path}; see {@link #of(String, String)}. */
  public static ApiRequest get(String path) {
    return of("GET", path);
  }

  /** {@code DELETE path}; see {@link #of(String, String)}. */
  public static ApiRequest delete(String path) {
    return of("DELETE", path);
  }

  /** {@code POST path} with a JSON body; see {@link #of(String, String)} and {@link #withBody(Object)}. */
  public static ApiRequest post(String path, Object body) {
    return of("POST", path).withBody(body);
  }

  /** {@code PATCH path} with a JSON body; see {@link #of(String, String)} and {@link #withBody(Object)}. */
  public static ApiRequest patch(String path, Object body) {
    return of("PATCH", path).withBody(body);
  }

  /** {@code PUT path} with a JSON body; see {@link #of(String, String)} and {@link #withBody(Object)}. */
  public static ApiRequest put(String path, Object body) {
    return of("PUT", path).withBody(body);
  }

  /**
   * A copy with one query parameter set (replacing a previous value of the same name); order of
   * first setting is kept.
   *
   * @param name parameter name, not blank
   * @param value value; {@code null} removes the parameter
   * @throws NullPointerException naming {@code name} when it is null
   * @throws IllegalArgumentException naming {@code name} when it is blank
   */
  public ApiRequest withQuery(String name, String value) {
    requireNotBlank(name, "name");
    Map<String, String> q = new LinkedHashMap<>(query);
    if (value == null) {
      q.remove(name);
    } else {
      q.put(name, value);
    }
    return new ApiRequest(method, path, unmodifiable(q), headers, body, retrySafe, costClass);
  }

  /**
   * A copy with one extra header set, such as a vendor's {@code Idempotency-Key} or API version header.
   * Authorization is added by the connector; do not set it here.
   *
   * @param name header name, not blank
   * @param value header value; {@code null} removes the header
   * @throws NullPointerException naming {@code name} when it is null
   * @throws IllegalArgumentException naming {@code name} when it is blank
   */
  public ApiRequest withHeader(String name, String value) {
    requireNotBlank(name, "name");
    Map<String, String> h = new LinkedHashMap<>(headers);
    if (value == null) {
      h.remove(name);
    } else {
      h.put(name, value);
    }
    return new ApiRequest(method, path, query, unmodifiable(h), body, retrySafe, costClass);
  }

  /**
   * A copy with a JSON body.
   *
   * @param body a {@link Map} or {@link java.util.List} (of strings, numbers, booleans, nulls, maps
   *     and lists), serialized to JSON by the connector; or a {@link String} sent as is (already JSON);
   *     or a {@link RawBody} sent as is with its own content type (a CSV upload); {@code null} for no body
   * @throws IllegalArgumentException naming {@code body} when it is of another type, or given on a {@code GET}
   */
  public ApiRequest withBody(Object body) {
    if (body != null && !(body instanceof Map || body instanceof java.util.List || body instanceof String
        || body instanceof RawBody)) {
      throw new IllegalArgumentException("body must be a Map, a List, a JSON String or a RawBody: " + body.getClass().getName());
    }
    if (body != null && method.equals("GET")) {
      throw new IllegalArgumentException("body must be null on a GET request: (present)");
    }
    return new ApiRequest(method, path, query, headers, body, retrySafe, costClass);
  }

  /**
   * A copy marked safe to retry after a connection error or 5xx even though the method is not
   * idempotent: for a {@code POST}/{@code PATCH} the vendor dedupes (an idempotency key) or that
   * is harmless to repeat (a search).
   */
  public ApiRequest retrySafe() {
    return new ApiRequest(method, path, query, headers, body, true, costClass);
  }

  /**
   * A copy in a rate-limit cost class, such as {@code "search"}; see {@link RateLimitWindow}.
   *
   * @param costClass not blank
   * @throws NullPointerException naming {@code costClass} when it is null
   * @throws IllegalArgumentException naming {@code costClass} when it is blank
   */
  public ApiRequest withCostClass(String costClass) {
    requireNotBlank(costClass, "costClass");
    return new ApiRequest(method, path, query, headers, body, retrySafe, costClass);
  }

  /** Upper-case method, such as {@code "GET"}. */
  public String method() {
    return method;
  }

  /** Path below the base URL, starting with {@code /}. */
  public String path() {
    return path;
  }

  /** Query parameters in insertion order; unmodifiable. */
  public Map<String, String> query() {
    return query;
  }

  /** Extra headers in insertion order; unmodifiable. */
  public Map<String, String> headers() {
    return headers;
  }

  /** The body: a {@link Map}, a {@link java.util.List}, a JSON {@link String}, or {@code null}. */
  public Object body() {
    return body;
  }

  /** True when a retry after a connection error or 5xx cannot double a write: GET, PUT, DELETE, or marked retry-safe. */
  public boolean isRetryable() {
    return retrySafe || IDEMPOTENT.contains(method);
  }

  /** The rate-limit cost class; {@value #DEFAULT_COST_CLASS} unless set. */
  public String costClass() {
    return costClass;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiRequest r && method.equals(r.method) && path.equals(r.path) && query.equals(r.query)
        && headers.equals(r.headers) && Objects.equals(body, r.body) && retrySafe == r.retrySafe
        && costClass.equals(r.costClass);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, query, headers, body, retrySafe, costClass);
  }

  @Override
  public String toString() {
    return "ApiRequest[" + method + ' ' + path + Redaction.query(query) + ", headers=" + Redaction.headers(headers)
        + ", body=" + (body == null ? "none" : "present") + ", retrySafe=" + retrySafe + ", costClass=" + costClass + ']';
  }

  private static <K, V> Map<K, V> unmodifiable(Map<K, V> m) {
    return java.util.Collections.unmodifiableMap(m);
  }

  private static void requireNotBlank(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank: '" + value + "'");
    }
  }
}
