package dev.crmkit.testkit.salesforce;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Outbound messages, deterministic for tests: once a target is set, every create or update of a
 * record of the watched type (by API, bulk job or test hook; not deletes, as workflow rules fire on
 * create and edit) queues a notification, and {@link #flush()} POSTs them synchronously as SOAP
 * {@code notifications} messages of up to {@value #MAX_NOTIFICATIONS} notifications. Nothing is
 * sent in the background.
 *
 * <p>A message carries {@code OrganizationId}, {@code ActionId}, {@code SessionId} (nil: "Send
 * Session ID" is off), {@code EnterpriseUrl}, {@code PartnerUrl}, and per notification its {@code
 * Id} ({@code 04l...}) and the record as {@code sObject xsi:type="sf:Contact"} with every field
 * that has a value, read at delivery time (Salesforce sends the latest data, not the data at the
 * change). Headers: {@code Content-Type: text/xml; charset=utf-8} and {@code SOAPAction: ""}.
 *
 * <p>Delivered means HTTP 200 with {@code <Ack>true</Ack>} in the body. Anything else (another
 * status, no ack, a connection failure, a five-second timeout) keeps the message's notifications
 * queued, ahead of newer ones, for the next flush, until they were tried the maximum number of
 * times (default 10). Like Salesforce, which may deliver more than once and out of order, the
 * next flush can be made to send a message twice ({@link #duplicateNextFlush()}) or to shuffle
 * the queue ({@link #shuffleNextFlush(long)}). Thread-safe; flushes run one at a time and send
 * without holding the queue's lock.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm">Understanding outbound messaging</a>
 */
public final class SalesforceOutboundMessages {
  /** The most notifications Salesforce puts in one message. */
  public static final int MAX_NOTIFICATIONS = 100;

  private static final String SOBJECT_NS = "urn:sobject.enterprise.soap.sforce.com";
  private static final Pattern ACK = Pattern.compile("<(\\w+:)?Ack>\\s*true\\s*</(\\w+:)?Ack>");
  private static final DateTimeFormatter SOAP_DATETIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final class Pending {
    final String notificationId;
    final String recordId;
    int attempts;

    Pending(String notificationId, String recordId) {
      this.notificationId = notificationId;
      this.recordId = recordId;
    }
  }

  private final OrgState state;
  private final String orgId;
  private final String apiVersion;
  private final String actionId = SalesforceIds.of("04k", 1);
  private final HttpClient client =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Pending> queue = new ArrayList<>();
  private final Object flushLock = new Object();
  /** Set once the server has a port, before it is announced. */
  private volatile String instanceUrl;
  private URI target;
  private SObjectType watched;
  private int maxAttempts = 10;
  private long nextNotification;
  private boolean duplicateNextFlush;
  private Random shuffleNextFlush;

  SalesforceOutboundMessages(OrgState state, String orgId, String apiVersion) {
    this.state = state;
    this.orgId = orgId;
    this.apiVersion = apiVersion;
  }

  void instanceUrl(String url) {
    this.instanceUrl = url;
  }

  /**
   * Sets where messages go and which object type's changes they report; from now on creates and
   * updates of that type queue notifications.
   *
   * @param url an absolute {@code http} or {@code https} URL
   * @param sObjectType the watched type, such as {@code "Contact"} or {@code "Lead"}
   * @return this
   * @throws NullPointerException naming {@code url} or {@code sObjectType} when null
   * @throws IllegalArgumentException naming {@code url} or {@code sObjectType} when not valid
   */
  public synchronized SalesforceOutboundMessages target(String url, String sObjectType) {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sObjectType, "sObjectType");
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("url must be an absolute http or https URL: '" + url + "'", e);
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("url must be an absolute http or https URL: '" + url + "'");
    }
    SObjectType type = SObjectType.fromName(sObjectType);
    if (type == null || !type.writable) {
      throw new IllegalArgumentException("sObjectType must be a writable emulated type: '" + sObjectType + "'");
    }
    this.target = uri;
    this.watched = type;
    return this;
  }

  /**
   * @param attempts how many times a notification is tried before it is dropped; one or more;
   *     default 10 (Salesforce keeps retrying for 24 hours)
   * @return this
   * @throws IllegalArgumentException naming {@code maxAttempts} and the value when below one
   */
  public synchronized SalesforceOutboundMessages maxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be one or more: " + attempts);
    }
    this.maxAttempts = attempts;
    return this;
  }

  /** @return how many notifications wait for delivery */
  public synchronized int pending() {
    return queue.size();
  }

  /** @return the ids ({@code 04l...}) of the notifications waiting for delivery, in the order the next flush sends them */
  public synchronized List<String> pendingNotificationIds() {
    return queue.stream().map(p -> p.notificationId).toList();
  }

  /** Makes the next flush POST its first message twice, as Salesforce may deliver more than once. */
  public synchronized SalesforceOutboundMessages duplicateNextFlush() {
    duplicateNextFlush = true;
    return this;
  }

  /**
   * Makes the next flush send the queued notifications in a shuffled order, as Salesforce's
   * retries are independent of order.
   *
   * @param seed the shuffle's seed, so a failing test can be repeated
   * @return this
   */
  public synchronized SalesforceOutboundMessages shuffleNextFlush(long seed) {
    shuffleNextFlush = new Random(seed);
    return this;
  }

  /**
   * Delivers every queued notification now, in messages of up to {@value #MAX_NOTIFICATIONS}, and
   * waits for the answers (five seconds each).
   *
   * @return one entry per POST, in order; empty when nothing was queued
   */
  public List<OutboundDelivery> flush() {
    synchronized (flushLock) {
      List<Pending> sending;
      boolean duplicate;
      URI to;
      SObjectType type;
      synchronized (this) {
        if (queue.isEmpty()) {
          return List.of();
        }
        sending = new ArrayList<>(queue);
        queue.clear();
        if (shuffleNextFlush != null) {
          Collections.shuffle(sending, shuffleNextFlush);
          shuffleNextFlush = null;
        }
        duplicate = duplicateNextFlush;
        duplicateNextFlush = false;
        to = target;
        type = watched;
      }
      List<OutboundDelivery> deliveries = new ArrayList<>();
      List<Pending> retry = new ArrayList<>();
      for (int from = 0; from < sending.size(); from += MAX_NOTIFICATIONS) {
        List<Pending> batch = sending.subList(from, Math.min(sending.size(), from + MAX_NOTIFICATIONS));
        String body = envelope(type, batch);
        deliveries.add(post(to, body, batch));
        if (duplicate) {
          duplicate = false;
          deliveries.add(post(to, body, batch));
        }
        boolean failed = !deliveries.get(deliveries.size() - 1).acknowledged();
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
      return deliveries;
    }
  }

  /** Queues a notification for each saved record of the watched type; called after each request and hook. */
  void collect() {
    List<String> saved = state.drainSaved();
    synchronized (this) {
      if (target == null) {
        return;
      }
      for (String id : saved) {
        if (id.startsWith(watched.keyPrefix)) {
          queue.add(new Pending(SalesforceIds.of("04l", ++nextNotification), id));
        }
      }
    }
  }

  private OutboundDelivery post(URI to, String body, List<Pending> batch) {
    List<String> notificationIds = new ArrayList<>();
    List<String> recordIds = new ArrayList<>();
    boolean lastTry = true;
    for (Pending p : batch) {
      notificationIds.add(p.notificationId);
      recordIds.add(p.recordId);
      lastTry &= p.attempts + 1 >= maxAttempts;
    }
    HttpRequest request = HttpRequest.newBuilder(to)
        .timeout(Duration.ofSeconds(5))
        .header("Content-Type", "text/xml; charset=utf-8")
        .header("SOAPAction", "\"\"")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      boolean acked = response.statusCode() == 200 && ACK.matcher(response.body()).find();
      String failure = acked ? null : response.statusCode() == 200 ? "no <Ack>true</Ack> in the answer" : "HTTP " + response.statusCode();
      return new OutboundDelivery(notificationIds, recordIds, response.statusCode(), acked, failure, !acked && !lastTry);
    } catch (IOException e) {
      return new OutboundDelivery(notificationIds, recordIds, 0, false, e.toString(), !lastTry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new OutboundDelivery(notificationIds, recordIds, 0, false, "interrupted", !lastTry);
    }
  }

  private String envelope(SObjectType type, List<Pending> batch) {
    String org15 = orgId.substring(0, 15);
    String soapVersion = apiVersion.substring(1);
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\"")
        .append(" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n")
        .append(" <soapenv:Body>\n  <notifications xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n")
        .append("   <OrganizationId>").append(orgId).append("</OrganizationId>\n")
        .append("   <ActionId>").append(actionId).append("</ActionId>\n")
        .append("   <SessionId xsi:nil=\"true\"/>\n")
        .append("   <EnterpriseUrl>").append(escape(instanceUrl + "/services/Soap/c/" + soapVersion + "/" + org15))
        .append("</EnterpriseUrl>\n")
        .append("   <PartnerUrl>").append(escape(instanceUrl + "/services/Soap/u/" + soapVersion + "/" + org15))
        .append("</PartnerUrl>\n");
    for (Pending p : batch) {
      xml.append("   <Notification>\n    <Id>").append(p.notificationId).append("</Id>\n")
          .append("    <sObject xsi:type=\"sf:").append(type.apiName).append("\" xmlns:sf=\"").append(SOBJECT_NS).append("\">\n");
      Map<String, Object> values = recordValues(p.recordId);
      for (FieldDef field : state.fields(type)) {
        Object value = values.get(field.name());
        if (value != null) {
          xml.append("     <sf:").append(field.name()).append('>').append(escape(soapText(value)))
              .append("</sf:").append(field.name()).append(">\n");
        }
      }
      xml.append("    </sObject>\n   </Notification>\n");
    }
    return xml.append("  </notifications>\n </soapenv:Body>\n</soapenv:Envelope>\n").toString();
  }

  private Map<String, Object> recordValues(String id) {
    synchronized (state) {
      SObjectRecord record = state.find(id);
      return record == null ? Map.of("Id", id) : new HashMap<>(record.values);
    }
  }

  private static String soapText(Object value) {
    if (value instanceof Instant) {
      return SOAP_DATETIME.format((Instant) value);
    }
    if (value instanceof BigDecimal) {
      return ((BigDecimal) value).toPlainString();
    }
    return value.toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
