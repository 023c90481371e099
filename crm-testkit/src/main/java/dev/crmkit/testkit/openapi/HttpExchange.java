package dev.crmkit.testkit.openapi;

import dev.crmkit.error.ValidationException;
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
   * @throws ValidationException when the method, URL or response body is null, the URL is not an
   *     absolute http(s) URL, or the status is outside 100 to 599
   */
  public HttpExchange {
    if (method == null || method.isBlank()) {
      throw ValidationException.of("method", method, "must be an HTTP method such as GET");
    }
    method = method.toUpperCase(Locale.ROOT);
    if (url == null || HttpUrl.parse(url) == null) {
      throw ValidationException.of("url", url, "must be an absolute http or https URL");
    }
    if (status < 100 || status > 599) {
      throw ValidationException.of("status", String.valueOf(status), "must be an HTTP status, 100 to 599");
    }
    if (responseBody == null) {
      throw ValidationException.of("responseBody", null, "must not be null; use \"\" for no body");
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
   * @throws ValidationException as the canonical constructor does
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
