package dev.crmkit.examples.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.HubSpotWebhookHandler;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A host's HubSpot webhook endpoint, on the JDK's built-in HTTP server: the shape any host endpoint
 * (a servlet, a Spring controller) follows. Per call it
 * <ol>
 *   <li>reads the raw body, refusing more than {@link #MAX_BODY_BYTES} with 413;
 *   <li>rebuilds the full URL HubSpot called from the public base URL (what the HubSpot app's
 *       settings hold, which differs from the local address behind a proxy) plus the raw path and
 *       query as received, since HubSpot signs that URL;
 *   <li>hands method, URL, headers and body to {@link HubSpotWebhookHandler#handle};
 *   <li>answers 401 on {@link SignatureVerificationException}, 400 on {@link ValidationException},
 *       and otherwise passes the events to the consumer and answers the handler's response (200).
 * </ol>
 *
 * <p>The consumer runs on the server's thread before the answer goes out; HubSpot times a call out
 * after 5 seconds and retries it, so a consumer should only queue the events (the sync engine's
 * webhook inbox) and let the work happen elsewhere. An exception from the consumer answers 500, so
 * HubSpot delivers the batch again.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks API</a>
 */
public final class HubSpotWebhookEndpoint implements AutoCloseable {
  /** The largest body taken: 1 MiB. HubSpot sends at most 100 events per call, far below it. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private final HttpServer server;
  private final String path;

  private HubSpotWebhookEndpoint(HttpServer server, String path) {
    this.server = server;
    this.path = path;
  }

  /**
   * Starts an endpoint.
   *
   * @param bind the local address to listen on, such as {@code new InetSocketAddress("127.0.0.1", 0)}
   *     for a free loopback port; not null
   * @param path the path HubSpot posts to, such as {@code /webhooks/hubspot}; starts with {@code /}
   * @param publicBaseUrl the scheme, host and port HubSpot calls, such as {@code
   *     https://app.example.com}, without a trailing slash; {@code null} to use the local address
   *     ({@code http://host:port}), right only when nothing stands in between
   * @param handler verifies and parses the calls; not null
   * @param events receives each call's events in payload order; not null
   * @return the running endpoint; close it to stop
   * @throws NullPointerException naming {@code bind}, {@code path}, {@code handler} or {@code events} when null
   * @throws IllegalArgumentException naming {@code path} and the value when it does not start with {@code /}
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static HubSpotWebhookEndpoint start(InetSocketAddress bind, String path, String publicBaseUrl,
      HubSpotWebhookHandler handler, Consumer<List<ChangeEvent>> events) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(events, "events");
    HttpServer server = JdkHttp.bind(bind, path, "webhook endpoint");
    String base = publicBaseUrl != null ? publicBaseUrl : JdkHttp.localBase(server);
    server.createContext(path, exchange -> {
      try (exchange) {
        serve(exchange, base, handler, events);
      }
    });
    server.start();
    return new HubSpotWebhookEndpoint(server, path);
  }

  private static void serve(HttpExchange exchange, String base, HubSpotWebhookHandler handler,
      Consumer<List<ChangeEvent>> events) throws IOException {
    WebhookRequest request = JdkHttp.request(exchange, base, MAX_BODY_BYTES);
    if (request.body().length > MAX_BODY_BYTES) {
      JdkHttp.reply(exchange, 413, "body larger than " + MAX_BODY_BYTES + " bytes");
      return;
    }
    WebhookResult result;
    try {
      result = handler.handle(request);
    } catch (SignatureVerificationException e) {
      JdkHttp.reply(exchange, 401, "signature rejected");
      return;
    } catch (ValidationException e) {
      JdkHttp.reply(exchange, 400, e.getMessage());
      return;
    }
    try {
      events.accept(result.events());
    } catch (RuntimeException e) {
      JdkHttp.reply(exchange, 500, "events not taken; deliver again");
      return;
    }
    JdkHttp.answer(exchange, result.response());
  }

  /** @return the local URL HubSpot (or the emulator) should post to, such as {@code http://127.0.0.1:40123/webhooks/hubspot} */
  public URI url() {
    return JdkHttp.url(server, path);
  }

  /** Stops accepting calls and waits up to one second for calls in progress. */
  @Override
  public void close() {
    server.stop(1);
  }
}
