package dev.crmkit.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One call being served: the exchange, the route's path parameters, the query, the caller's tenant
 * (for {@link Route.Access#TENANT} routes), the body as read (within the route's cap), and the ways
 * to answer. Used by one thread.
 */
final class Call {
  private final HttpExchange exchange;
  private final Map<String, String> params;
  private final Map<String, String> query;
  private final String tenantId;
  private final byte[] body;
  private final String publicBase;

  Call(HttpExchange exchange, Map<String, String> params, String tenantId, byte[] body, String publicBase) {
    this.exchange = exchange;
    this.params = params;
    this.query = parseQuery(exchange.getRequestURI().getRawQuery());
    this.tenantId = tenantId;
    this.body = body;
    this.publicBase = publicBase;
  }

  HttpExchange exchange() {
    return exchange;
  }

  /** The caller's tenant; only on {@link Route.Access#TENANT} routes. */
  String tenant() {
    return Objects.requireNonNull(tenantId, "tenant of a public route");
  }

  /** A path parameter of the route's pattern. */
  String param(String name) {
    return Objects.requireNonNull(params.get(name), name);
  }

  /** A query parameter's first value, percent-decoded, or null. */
  String query(String name) {
    return query.get(name);
  }

  /** The raw body bytes (empty when none). */
  byte[] body() {
    return body;
  }

  /** The body as a JSON object; see {@link JsonBody#parse}. */
  JsonBody json() {
    return JsonBody.parse(body);
  }

  /** The scheme, host and port callers reach this server at, without a trailing slash. */
  String publicBase() {
    return publicBase;
  }

  /** Answers JSON with {@code Cache-Control: no-store}: API answers hold tenant data. */
  void json(int status, JsonNode node) throws IOException {
    byte[] bytes;
    try {
      bytes = JsonBody.MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always writes", e);
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    send(status, bytes);
  }

  /** Answers 204 without a body. */
  void noContent() throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(204, -1);
  }

  /** Answers 302 to a location on this server ({@code /...}). */
  void redirect(String location) throws IOException {
    if (!location.startsWith("/") || location.startsWith("//")) {
      throw new IllegalArgumentException("redirects stay on this server, was '" + location + "'");
    }
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(302, -1);
  }

  /** Answers bytes with a content type, as is. */
  void send(int status, String contentType, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    send(status, bytes);
  }

  private void send(int status, byte[] bytes) throws IOException {
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> map = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return map;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      map.putIfAbsent(name, value);
    }
    return map;
  }

  static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiError.badField("url", "bad percent-encoding in '" + (s.length() > 64 ? s.substring(0, 64) : s) + "'");
    }
  }
}
