package dev.crmkit.testkit.openapi;

import java.util.Locale;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * One recorded HTTP request and its response, as {@link OpenApiSpec#check(HttpExchange)} reads
 * them. Immutable and thread-safe.
 *
 * @param method the request method, e.g. {@code "POST"}; upper-cased on construction
 * @param url the absolute request URL including the query, e.g. {@code
 *     "http://127.0.0.1:5100/crm/v3/objects/contacts?limit=10"}
 * @param requestContentType the request's {@code Content-Type} header, or {@code null} when none
 * @param requestBody the request body as UTF-8 text, or {@code null} when the request had none
 * @param status the response status, 100 to 599
 * @param responseContentType the response's {@code Content-Type} header, or {@code null} when none
 * @param responseBody the response body as UTF-8 text; empty, never {@code null}, when there was none
 */
public record HttpExchange(
    String method,
    String url,
    String requestContentType,
    String requestBody,
    int status,
    String responseContentType,
    String responseBody) {

  /**
   * Validates the exchange.
   *
   * @throws NullPointerException naming {@code method}, {@code url} or {@code responseBody} (use
   *     {@code ""} for no body) when null
   * @throws IllegalArgumentException naming the field and value when the method is blank, the URL is
   *     not an absolute http(s) URL, or the status is outside 100 to 599
   */
  public HttpExchange {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(responseBody, "responseBody");
    if (method.isBlank()) {
      throw new IllegalArgumentException("method must be an HTTP method such as GET: '" + method + "'");
    }
    method = method.toUpperCase(Locale.ROOT);
    if (HttpUrl.parse(url) == null) {
      throw new IllegalArgumentException("url must be an absolute http or https URL: '" + url + "'");
    }
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status, 100 to 599: " + status);
    }
  }

  /**
   * An exchange whose bodies, where present, are JSON.
   *
   * @param method the request method
   * @param url the absolute request URL including the query
   * @param requestJson the request body, or {@code null} for none (no request Content-Type then)
   * @param status the response status
   * @param responseJson the response body, or {@code null} or empty for none
   * @return the exchange with {@code application/json} content types where a body is present
   * @throws NullPointerException or IllegalArgumentException as the canonical constructor does
   */
  public static HttpExchange json(
      String method, String url, String requestJson, int status, String responseJson) {
    String response = Objects.requireNonNullElse(responseJson, "");
    return new HttpExchange(
        method,
        url,
        requestJson == null ? null : "application/json",
        requestJson,
        status,
        response.isEmpty() ? null : "application/json",
        response);
  }

  /** The parsed URL; never null since the constructor checked it. */
  HttpUrl httpUrl() {
    return HttpUrl.get(url);
  }
}
