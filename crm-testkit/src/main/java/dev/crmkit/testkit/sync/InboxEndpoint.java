package dev.crmkit.testkit.sync;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A host's webhook endpoint on loopback, as crmkit's javadoc tells hosts to write one, for a {@link
 * RemoteSide}'s real-time channel: each POST becomes a {@link WebhookRequest} for the vendor's {@link
 * WebhookHandler} (HubSpot's signed webhooks, Salesforce's outbound messages), its events go into a {@link
 * SyncEngine}'s inbox, and the answer is the handler's response. A request the handler refuses is
 * answered with the vendor's refusal status for a bad signature or origin, 400 for a bad body. Thread-safe:
 * an emulator's flush waits for each answer, so what the endpoint did is visible once the flush returns.
 */
public final class InboxEndpoint implements AutoCloseable {
  private final Clock clock;
  private final WebhookHandler handler;
  private final int refusedStatus;
  private final String path;
  private final MockWebServer server = new MockWebServer();
  private final List<ChangeEvent> received = new ArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private volatile SyncEngine inbox;

  /**
   * Starts the endpoint.
   *
   * @param clock the clock of {@link WebhookRequest#receivedAt()}; not {@code null}
   * @param path the path the vendor posts to, such as {@code /hubspot/webhooks}; not {@code null}
   * @param handler the vendor's handler, built without an inbox of its own; not {@code null}
   * @param refusedStatus the status for a request whose signature or origin the handler refuses (HubSpot
   *     401, Salesforce 403)
   * @throws UncheckedIOException when the server cannot start
   */
  public InboxEndpoint(Clock clock, String path, WebhookHandler handler, int refusedStatus) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.path = Objects.requireNonNull(path, "path");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.refusedStatus = refusedStatus;
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

  /** The URL the vendor posts to (and, for HubSpot, signs). */
  public String url() {
    return server.url(path).toString();
  }

  /**
   * Puts the events of the following requests in {@code engine}'s inbox.
   *
   * @return this endpoint
   */
  public InboxEndpoint into(SyncEngine engine) {
    inbox = Objects.requireNonNull(engine, "engine");
    return this;
  }

  /** Answers the next {@code count} requests with 503, as a host that is down for a moment. */
  public void unavailableFor(int count) {
    unavailable.set(count);
  }

  /** The checked events of every request so far, in arrival order, redeliveries included. */
  public synchronized List<ChangeEvent> received() {
    return List.copyOf(received);
  }

  /** How many checked events were new to the inbox. */
  public int accepted() {
    return accepted.get();
  }

  /** How many checked events the inbox had already (a redelivery). */
  public int duplicates() {
    return duplicates.get();
  }

  /** How many requests were refused for their signature, origin or body. */
  public int refused() {
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
      return new MockResponse.Builder().code(e instanceof SignatureVerificationException ? refusedStatus : 400).build();
    }
    synchronized (this) {
      received.addAll(result.events());
    }
    for (ChangeEvent event : result.events()) {
      (inbox.accept(event) ? accepted : duplicates).incrementAndGet();
    }
    MockResponse.Builder answer = new MockResponse.Builder().code(result.response().status())
        .body(result.response().body());
    if (result.response().contentType() != null) {
      answer.setHeader("Content-Type", result.response().contentType());
    }
    return answer.build();
  }

  @Override
  public void close() {
    server.close();
  }
}
