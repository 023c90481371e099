package dev.crmkit.salesforce;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A host's outbound-message endpoint for the sync scenarios: {@link SalesforceOutboundMessageHandler} checks
 * each message (organization id, body) and hands its events to a {@link SyncEngine}'s inbox, answering the
 * ack only once they are stored. The handler carries {@code LastModifiedById}, as an outbound message that
 * lists it among its fields sends it, so the engine's own writes can be told from a person's.
 */
final class OutboundMessageEndpoint implements AutoCloseable {
  static final String PATH = "/salesforce/outbound";

  private final Clock clock;
  private final MockWebServer server = new MockWebServer();
  private final SalesforceOutboundMessageHandler handler;
  private final List<ChangeEvent> received = new ArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger unavailable = new AtomicInteger();
  private volatile SyncEngine inbox;

  OutboundMessageEndpoint(Clock clock, String organizationId) {
    this.clock = clock;
    this.handler = SalesforceOutboundMessageHandler.builder().organizationId(organizationId)
        .customerFields(Set.of("LastModifiedById")).inbox(this::store).build();
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

  /** The URL the outbound message posts to. */
  String url() {
    return server.url(PATH).toString();
  }

  /** Puts the events of the following messages in {@code engine}'s inbox. */
  OutboundMessageEndpoint into(SyncEngine engine) {
    inbox = engine;
    return this;
  }

  /** Answers the next {@code count} messages with 503, as a host that is down for a moment. */
  void unavailableFor(int count) {
    unavailable.set(count);
  }

  /** The checked events of every message so far, in arrival order, redeliveries included. */
  synchronized List<ChangeEvent> received() {
    return List.copyOf(received);
  }

  /** How many checked events were new to the inbox. */
  int accepted() {
    return accepted.get();
  }

  /** How many checked events the inbox had already (a redelivery). */
  int duplicates() {
    return duplicates.get();
  }

  /** How many messages were refused for their organization or body. */
  int refused() {
    return refused.get();
  }

  private void store(List<ChangeEvent> events) {
    synchronized (this) {
      received.addAll(events);
    }
    for (ChangeEvent event : events) {
      (inbox.accept(event) ? accepted : duplicates).incrementAndGet();
    }
  }

  private MockResponse receive(RecordedRequest recorded) {
    if (unavailable.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      return new MockResponse.Builder().code(503).build();
    }
    WebhookRequest request = WebhookRequest.builder().method(recorded.getMethod()).url(recorded.getUrl().toString())
        .headers(recorded.getHeaders().toMultimap()).body(recorded.getBody().toByteArray())
        .receivedAt(clock.instant()).build();
    WebhookResponse answer;
    try {
      answer = handler.handle(request).response();
    } catch (SignatureVerificationException | ValidationException e) {
      refused.incrementAndGet();
      return new MockResponse.Builder().code(e instanceof SignatureVerificationException ? 403 : 400).build();
    }
    return new MockResponse.Builder().code(answer.status()).setHeader("Content-Type", answer.contentType())
        .body(answer.body()).build();
  }

  @Override
  public void close() {
    server.close();
  }
}
