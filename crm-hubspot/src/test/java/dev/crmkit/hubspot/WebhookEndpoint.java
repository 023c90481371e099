package dev.crmkit.hubspot;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A host's HubSpot webhook endpoint on loopback, as the SDK's javadoc tells hosts to write one: each
 * POST becomes a {@link WebhookRequest}, is verified by {@link HubSpotWebhookHandler} with the app's
 * client secret, and its events go into a {@link SyncEngine}'s inbox; the answer is the handler's
 * response (401 for a bad signature, 400 for a bad body). Thread-safe: the emulator's flush waits for
 * each answer, so what the endpoint did is visible once {@code flush()} returns.
 */
final class WebhookEndpoint implements AutoCloseable {
  static final String CLIENT_SECRET = "a1b2c3d4-e5f6-4a1b-8c2d-0123456789ab";
  static final String PATH = "/hubspot/webhooks";

  private final Clock clock;
  private final MockWebServer server = new MockWebServer();
  private final HubSpotWebhookHandler handler;
  private final List<ChangeEvent> received = new ArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private volatile SyncEngine inbox;

  WebhookEndpoint(Clock clock) {
    this.clock = clock;
    this.handler = HubSpotWebhookHandler.builder().clientSecret(CLIENT_SECRET).clock(clock).build();
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return receive(request);
      }
    });
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The URL HubSpot posts to and signs. */
  String url() {
    return server.url(PATH).toString();
  }

  /** Puts the events of the following deliveries in {@code engine}'s inbox. */
  WebhookEndpoint into(SyncEngine engine) {
    inbox = engine;
    return this;
  }

  /** Answers the next {@code count} deliveries with 503, as a host that is down for a moment. */
  void unavailableFor(int count) {
    unavailable.set(count);
  }

  /** The verified events of every delivery so far, in arrival order, duplicates included. */
  synchronized List<ChangeEvent> received() {
    return List.copyOf(received);
  }

  /** How many verified events were new to the inbox. */
  int accepted() {
    return accepted.get();
  }

  /** How many verified events the inbox had already (a redelivery). */
  int duplicates() {
    return duplicates.get();
  }

  /** How many deliveries were refused for their signature or body. */
  int refused() {
    return refused.get();
  }

  private MockResponse receive(RecordedRequest recorded) {
    if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new MockResponse.Builder().code(503).build();
    }
    WebhookRequest request = WebhookRequest.builder().method(recorded.getMethod()).url(recorded.getUrl().toString())
        .headers(recorded.getHeaders().toMultimap()).body(recorded.getBody().toByteArray())
        .receivedAt(clock.instant()).build();
    WebhookResult result;
    try {
      result = handler.handle(request);
    } catch (SignatureVerificationException | ValidationException e) {
      refused.incrementAndGet();
      return new MockResponse.Builder().code(e instanceof SignatureVerificationException ? 401 : 400).build();
    }
    synchronized (this) {
      received.addAll(result.events());
    }
    for (ChangeEvent event : result.events()) {
      (inbox.accept(event) ? accepted : duplicates).incrementAndGet();
    }
    return new MockResponse.Builder().code(result.response().status()).body(result.response().body()).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
