package dev.crmkit.examples.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the endpoints on the JDK's HTTP server share (the webhook endpoints here and the example
 * server in {@code dev.crmkit.examples.server}): binding, reading a call, answering it.
 */
public final class JdkHttp {
  private JdkHttp() {}

  /** A server bound to {@code bind}, not started; {@code what} names the endpoint in the error. */
  public static HttpServer bind(InetSocketAddress bind, String path, String what) {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: '" + path + "'");
    }
    try {
      return HttpServer.create(bind, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind the " + what + " to " + bind, e);
    }
  }

  /** {@code http://host:port} of the server's local address. */
  public static String localBase(HttpServer server) {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  /** The local URL of a path on the server. */
  static URI url(HttpServer server, String path) {
    return URI.create(localBase(server) + path);
  }

  /**
   * The call as a {@link WebhookRequest}: method, the URL under {@code base}, every header, the body read up
   * to {@code maxBodyBytes} plus one byte (so a handler can tell a longer one), the TCP peer, now.
   */
  static WebhookRequest request(HttpExchange exchange, String base, int maxBodyBytes) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(maxBodyBytes + 1);
    }
    return request(exchange, base, body);
  }

  /**
   * The call as a {@link WebhookRequest} with a body already read: method, the URL under {@code base}
   * (the public scheme, host and port, without a trailing slash), every header, {@code body}, the TCP
   * peer, now.
   */
  public static WebhookRequest request(HttpExchange exchange, String base, byte[] body) {
    WebhookRequest.Builder request = WebhookRequest.builder()
        .method(exchange.getRequestMethod())
        .url(base + exchange.getRequestURI().toString())
        .body(body)
        .remoteAddress(exchange.getRemoteAddress().getAddress())
        .receivedAt(Instant.now());
    for (Map.Entry<String, List<String>> header : exchange.getRequestHeaders().entrySet()) {
      for (String value : header.getValue()) {
        request.header(header.getKey(), value);
      }
    }
    return request.build();
  }

  /** Sends the handler's answer. */
  public static void answer(HttpExchange exchange, WebhookResponse response) throws IOException {
    byte[] answer = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
    if (response.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
    }
    exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      exchange.getResponseBody().write(answer);
    }
  }

  /** Sends a plain-text answer. */
  static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }
}
