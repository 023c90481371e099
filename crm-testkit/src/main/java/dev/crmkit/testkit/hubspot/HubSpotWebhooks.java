package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed webhook delivery of contact events, deterministic for tests: every contact change, by
 * API or by a test hook, queues HubSpot-shaped events, and {@link #flush()} POSTs them to the
 * target synchronously, in batches of up to 100, and reports each attempt. Nothing is sent in
 * the background.
 *
 * <p>An event is a JSON object {@code {eventId, subscriptionId, portalId, appId, occurredAt,
 * subscriptionType, attemptNumber, objectId, changeSource, sourceId}} plus, by type: {@code
 * propertyName, propertyValue} for {@code contact.propertyChange}; {@code primaryObjectId,
 * mergedObjectIds, newObjectId} for {@code contact.merge}; {@code associationType, fromObjectId,
 * toObjectId, associationRemoved, isPrimaryAssociation} for {@code contact.associationChange}.
 * The other types are {@code contact.creation}, {@code contact.deletion}, {@code
 * contact.privacyDeletion} and {@code contact.restore}. {@code occurredAt} is epoch
 * milliseconds from the emulator's clock; {@code changeSource} is {@code INTEGRATION} for API
 * calls (with the app id as {@code sourceId}), {@code CRM_UI} for the user-edit hooks and {@code
 * IMPORT} for seeding.
 *
 * <p>Each POST carries {@code Content-Type: application/json}, {@code X-HubSpot-Signature-v3}
 * (Base64 HMAC-SHA256 keyed by the client secret over method + target URL + body + timestamp),
 * {@code X-HubSpot-Request-Timestamp} (epoch milliseconds from the clock), and the v1 signature
 * {@code X-HubSpot-Signature} (hex SHA-256 of client secret + body) with {@code
 * X-HubSpot-Signature-Version: v1}. A batch answered with a non-2xx status or a connection
 * failure stays queued and goes again on the next flush with every {@code attemptNumber} one
 * higher, until the maximum attempts (default 10; HubSpot's own is 10 over 24 hours).
 *
 * <p>Events are queued only while a target is set. Thread-safe: flushes run one at a time, and a
 * flush sends without holding the queue's lock, so changes made meanwhile (even by the receiver
 * while it answers) queue their events for the next flush; events to retry go back ahead of them.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks API</a>
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks/validating-requests">HubSpot:
 *     validating requests</a>
 */
public final class HubSpotWebhooks {
  /** The most events HubSpot puts in one POST. */
  public static final int MAX_BATCH = 100;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Integer> SUBSCRIPTION_IDS = Map.of(
      "contact.creation", 1001, "contact.propertyChange", 1002, "contact.deletion", 1003,
      "contact.privacyDeletion", 1004, "contact.merge", 1005, "contact.restore", 1006,
      "contact.associationChange", 1007);

  private static final class Pending {
    final ObjectNode event;
    int attempts;

    Pending(ObjectNode event) {
      this.event = event;
    }
  }

  private final Clock clock;
  private final long appId;
  private final long portalId;
  private final int maxAttempts;
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Pending> queue = new ArrayList<>();
  /** Held for a whole flush, so flushes run one at a time; the object's own lock guards the queue. */
  private final Object flushLock = new Object();
  private URI target;
  private String clientSecret;
  private long nextEventId = 1;
  private boolean duplicateNextBatch;
  private Random shuffleNextFlush;

  HubSpotWebhooks(Clock clock, long appId, long portalId, int maxAttempts) {
    this.clock = clock;
    this.appId = appId;
    this.portalId = portalId;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Sets where events go and the secret that signs them; from now on contact changes queue events.
   *
   * @param url an absolute {@code http} or {@code https} URL, such as {@code
   *     http://127.0.0.1:8080/hubspot/webhooks}; signed exactly as given
   * @param clientSecret the app's client secret; not blank
   * @return this
   * @throws NullPointerException naming {@code url} or {@code clientSecret} when null
   * @throws IllegalArgumentException naming {@code url} or {@code clientSecret} when not valid
   */
  public synchronized HubSpotWebhooks target(String url, String clientSecret) {
    this.target = checkUrl(url);
    this.clientSecret = checkSecret(clientSecret);
    return this;
  }

  /** @return the target URL, or null while none is set */
  public synchronized String targetUrl() {
    return target == null ? null : target.toString();
  }

  /** @return the app id events carry as {@code appId} */
  public long appId() {
    return appId;
  }

  /** @return the account id events carry as {@code portalId} */
  public long portalId() {
    return portalId;
  }

  /** @return how many events wait for delivery */
  public synchronized int pending() {
    return queue.size();
  }

  /** @return copies of the events waiting for delivery, in queue order, as JSON object texts */
  public synchronized List<String> pendingEvents() {
    List<String> events = new ArrayList<>(queue.size());
    queue.forEach(p -> events.add(p.event.toString()));
    return events;
  }

  /** Makes the next flush POST its first batch twice, as HubSpot's at-least-once delivery may. */
  public synchronized HubSpotWebhooks duplicateNextBatch() {
    duplicateNextBatch = true;
    return this;
  }

  /**
   * Makes the next flush send the queued events in a shuffled order, as HubSpot does not promise
   * order.
   *
   * @param seed the shuffle's seed, so a failing test can be repeated
   * @return this
   */
  public synchronized HubSpotWebhooks shuffleNextFlush(long seed) {
    shuffleNextFlush = new Random(seed);
    return this;
  }

  /**
   * Delivers every queued event now, in batches of up to {@value #MAX_BATCH}, and waits for the
   * answers (each POST times out after 5 seconds, counted as a connection failure).
   *
   * @return one entry per POST, in order; empty when nothing was queued
   * @throws IllegalStateException when events are queued but no target is set
   */
  public List<WebhookAttempt> flush() {
    synchronized (flushLock) {
      List<Pending> sending;
      boolean duplicate;
      URI to;
      String secret;
      synchronized (this) {
        if (queue.isEmpty()) {
          return List.of();
        }
        if (target == null) {
          throw new IllegalStateException("no webhook target is set; call target(url, clientSecret) first");
        }
        sending = new ArrayList<>(queue);
        queue.clear();
        if (shuffleNextFlush != null) {
          Collections.shuffle(sending, shuffleNextFlush);
          shuffleNextFlush = null;
        }
        duplicate = duplicateNextBatch;
        duplicateNextBatch = false;
        to = target;
        secret = clientSecret;
      }
      // The POSTs go out without the lock, so a receiver that changes contacts (through the API or
      // a hook) while it answers queues its events instead of waiting for this flush to time out.
      List<WebhookAttempt> attempts = new ArrayList<>();
      List<Pending> retry = new ArrayList<>();
      for (int from = 0; from < sending.size(); from += MAX_BATCH) {
        List<Pending> batch = sending.subList(from, Math.min(sending.size(), from + MAX_BATCH));
        attempts.add(post(to, secret, batch));
        if (duplicate) {
          duplicate = false;
          attempts.add(post(to, secret, batch));
        }
        boolean failed = !attempts.get(attempts.size() - 1).delivered();
        for (Pending p : batch) {
          p.attempts++;
          if (failed && p.attempts < maxAttempts) {
            retry.add(p);
          }
        }
      }
      synchronized (this) {
        queue.addAll(0, retry);
      }
      return attempts;
    }
  }

  synchronized void contactEvent(String type, long objectId, ChangeSource source, Map<String, Object> fields) {
    if (target == null) {
      return;
    }
    ObjectNode event = JSON.createObjectNode();
    event.put("eventId", nextEventId++);
    event.put("subscriptionId", SUBSCRIPTION_IDS.get(type));
    event.put("portalId", portalId);
    event.put("appId", appId);
    event.put("occurredAt", clock.millis());
    event.put("subscriptionType", type);
    event.put("attemptNumber", 0);
    event.put("objectId", objectId);
    event.put("changeSource", source.name());
    if (source == ChangeSource.INTEGRATION) {
      event.put("sourceId", Long.toString(appId));
    } else if (source == ChangeSource.CRM_UI) {
      event.put("sourceId", "userId:1");
    }
    fields.forEach((name, value) -> event.set(name, JSON.valueToTree(value)));
    queue.add(new Pending(event));
  }

  private WebhookAttempt post(URI target, String clientSecret, List<Pending> batch) {
    ArrayNode body = JSON.createArrayNode();
    List<Long> ids = new ArrayList<>();
    List<Integer> attemptNumbers = new ArrayList<>();
    for (Pending p : batch) {
      ObjectNode event = p.event.deepCopy();
      event.put("attemptNumber", p.attempts);
      body.add(event);
      ids.add(event.get("eventId").asLong());
      attemptNumbers.add(p.attempts);
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    long timestamp = clock.millis();
    HttpRequest request = HttpRequest.newBuilder(target)
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "application/json")
        .header("User-Agent", "HubSpot Connect 2.0 (http://dev.hubspot.com/) (crmkit emulator)")
        .header("X-HubSpot-Signature-v3", v3(clientSecret, target.toString(), bytes, timestamp))
        .header("X-HubSpot-Request-Timestamp", Long.toString(timestamp))
        .header("X-HubSpot-Signature", v1(clientSecret, bytes))
        .header("X-HubSpot-Signature-Version", "v1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
        .build();
    boolean lastTry = batch.stream().allMatch(p -> p.attempts + 1 >= maxAttempts);
    try {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      boolean delivered = status >= 200 && status < 300;
      return new WebhookAttempt(ids, attemptNumbers, status, delivered ? null : "HTTP " + status, !delivered && !lastTry);
    } catch (IOException e) {
      return new WebhookAttempt(ids, attemptNumbers, 0, e.toString(), !lastTry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new WebhookAttempt(ids, attemptNumbers, 0, "interrupted", !lastTry);
    }
  }

  /** The v3 signature: Base64 HMAC-SHA256 of method + URI + body + timestamp. */
  static String v3(String secret, String uri, byte[] body, long timestamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update(("POST" + uri).getBytes(StandardCharsets.UTF_8));
      mac.update(body);
      mac.update(Long.toString(timestamp).getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has HmacSHA256", e);
    }
  }

  /** The v1 signature: hex SHA-256 of client secret + body. */
  static String v1(String secret, byte[] body) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(secret.getBytes(StandardCharsets.UTF_8));
      digest.update(body);
      return HexFormat.of().formatHex(digest.digest());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  static URI checkUrl(String url) {
    Objects.requireNonNull(url, "url");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url must be an absolute http or https URL: '" + url + "'", e);
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("url must be an absolute http or https URL: '" + url + "'");
    }
    return uri;
  }

  static String checkSecret(String clientSecret) {
    Objects.requireNonNull(clientSecret, "clientSecret");
    if (clientSecret.isBlank()) {
      throw new IllegalArgumentException("clientSecret must not be blank");
    }
    return clientSecret;
  }
}
