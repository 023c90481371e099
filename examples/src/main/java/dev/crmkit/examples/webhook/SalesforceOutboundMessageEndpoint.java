package dev.crmkit.examples.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.SalesforceOutboundMessageHandler;
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
 * A host's Salesforce outbound-message endpoint, on the JDK's built-in HTTP server: the shape any host
 * endpoint (a servlet, a Spring controller) follows. Per call it
 * <ol>
 *   <li>reads the raw body, stopping at the handler's {@link SalesforceOutboundMessageHandler#maxBodyBytes()}
 *       plus one byte (the handler answers a longer one 413);
 *   <li>hands method, URL, headers, body and the TCP peer address (for the handler's optional IP ranges)
 *       to {@link SalesforceOutboundMessageHandler#handle};
 *   <li>answers 403 on {@link SignatureVerificationException} (another org, or a sender outside the
 *       ranges), 400 on {@link ValidationException}, and otherwise the handler's answer: the SOAP ack
 *       once the handler's inbox took the events, a SOAP fault (500) when it threw, so Salesforce
 *       delivers the message again.
 * </ol>
 *
 * <p>Give the handler an {@link SalesforceOutboundMessageHandler.Builder#inbox inbox} (the sync engine's
 * {@code accept}); it runs on the server's thread before the answer, so it should only store the events.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm">Salesforce: outbound messaging</a>
 */
public final class SalesforceOutboundMessageEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final String path;

  private SalesforceOutboundMessageEndpoint(HttpServer server, String path) {
    this.server = server;
    this.path = path;
  }

  /**
   * Starts an endpoint.
   *
   * @param bind the local address to listen on, such as {@code new InetSocketAddress("127.0.0.1", 0)}
   *     for a free loopback port; not null
   * @param path the path the outbound message's endpoint URL names, such as {@code /salesforce/outbound};
   *     starts with {@code /}
   * @param handler checks and parses the calls and hands the events to its inbox; not null
   * @return the running endpoint; close it to stop
   * @throws NullPointerException naming {@code bind}, {@code path} or {@code handler} when null
   * @throws IllegalArgumentException naming {@code path} and the value when it does not start with {@code /}
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static SalesforceOutboundMessageEndpoint start(InetSocketAddress bind, String path,
      SalesforceOutboundMessageHandler handler) {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(handler, "handler");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with /: '" + path + "'");
    }
    HttpServer server;
    try {
      server = HttpServer.create(bind, 0);
    } catch (IOException e) {
      throw new UncheckedIOException("could not bind the outbound-message endpoint to " + bind, e);
    }
    String base = "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    server.createContext(path, exchange -> {
      try (exchange) {
        serve(exchange, base, handler);
      }
    });
    server.start();
    return new SalesforceOutboundMessageEndpoint(server, path);
  }

  private static void serve(HttpExchange exchange, String base, SalesforceOutboundMessageHandler handler)
      throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(handler.maxBodyBytes() + 1);
    }
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
    WebhookResponse response;
    try {
      response = handler.handle(request.build()).response();
    } catch (SignatureVerificationException e) {
      reply(exchange, 403, "sender refused");
      return;
    } catch (ValidationException e) {
      reply(exchange, 400, e.getMessage());
      return;
    }
    byte[] answer = response.body() == null ? new byte[0] : response.body().getBytes(StandardCharsets.UTF_8);
    if (response.contentType() != null) {
      exchange.getResponseHeaders().set("Content-Type", response.contentType());
    }
    exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
    if (answer.length > 0) {
      exchange.getResponseBody().write(answer);
    }
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  /**
   * @return the local URL to configure as the outbound message's endpoint, such as {@code
   *     http://127.0.0.1:40123/salesforce/outbound}
   */
  public URI url() {
    InetSocketAddress a = server.getAddress();
    return URI.create("http://" + a.getHostString() + ":" + a.getPort() + path);
  }

  /** Stops accepting calls and waits up to one second for calls in progress. */
  @Override
  public void close() {
    server.stop(1);
  }
}
