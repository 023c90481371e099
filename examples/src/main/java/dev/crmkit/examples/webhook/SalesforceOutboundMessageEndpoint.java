package dev.crmkit.examples.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.SalesforceOutboundMessageHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
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
   * @throws java.io.UncheckedIOException when the address cannot be bound
   */
  public static SalesforceOutboundMessageEndpoint start(InetSocketAddress bind, String path,
      SalesforceOutboundMessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    HttpServer server = JdkHttp.bind(bind, path, "outbound-message endpoint");
    String base = JdkHttp.localBase(server);
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
    WebhookRequest request = JdkHttp.request(exchange, base, handler.maxBodyBytes());
    WebhookResponse response;
    try {
      response = handler.handle(request).response();
    } catch (SignatureVerificationException e) {
      JdkHttp.reply(exchange, 403, "sender refused");
      return;
    } catch (ValidationException e) {
      JdkHttp.reply(exchange, 400, e.getMessage());
      return;
    }
    JdkHttp.answer(exchange, response);
  }

  /**
   * @return the local URL to configure as the outbound message's endpoint, such as {@code
   *     http://127.0.0.1:40123/salesforce/outbound}
   */
  public URI url() {
    return JdkHttp.url(server, path);
  }

  /** Stops accepting calls and waits up to one second for calls in progress. */
  @Override
  public void close() {
    server.stop(1);
  }
}
