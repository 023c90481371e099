package dev.crmkit.salesforce;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.internal.IpRanges;
import dev.crmkit.salesforce.internal.OutboundMessageParser;
import dev.crmkit.salesforce.internal.OutboundMessageParser.Message;
import dev.crmkit.salesforce.internal.OutboundMessageParser.Notification;
import dev.crmkit.salesforce.internal.SalesforceIds;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import dev.crmkit.webhook.UnparsedItem;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import dev.crmkit.webhook.WebhookResult;
import java.net.InetAddress;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Checks and parses Salesforce outbound messages (the SOAP {@code notifications} call a workflow rule or
 * flow sends), turns each notification into a {@link ChangeEvent}, optionally hands the events to the
 * host's inbox, and says what to answer. Built with {@link #builder()}; immutable and thread-safe, so one
 * instance per org serves every call.
 *
 * <h2>Authenticity</h2>
 * Salesforce signs nothing: it documents checking the {@code OrganizationId}, allowing only its IP
 * ranges, and HTTPS. So the handler
 * <ol>
 *   <li>when {@link Builder#ipRanges} were given, requires {@link WebhookRequest#remoteAddress()} to lie in
 *       one of them (IPv4 or IPv6 CIDR; a request without an address is refused);
 *   <li>refuses a body over {@link Builder#maxBodyBytes} with a complete 413 response, before parsing;
 *   <li>parses the envelope and requires its {@code OrganizationId} to name the configured org (15- and
 *       18-character forms compared as Salesforce does: the first 15 characters case-sensitively, the
 *       18-character suffix checked).
 * </ol>
 * A refusal is a {@link SignatureVerificationException}; answer it 401 or 403.
 *
 * <h2>Parsing</h2>
 * XML is read with the JDK's StAX parser, hardened: a DOCTYPE is refused as soon as it is seen, so no
 * entity is declared, expanded or fetched (no XXE, no billion laughs); external DTDs and schemas are
 * never loaded; nesting is capped; reading stops at notification {@value #MAX_NOTIFICATIONS}+1. Any of
 * these, malformed XML, or a body that is not a {@code notifications} envelope (namespace {@value
 * #OUTBOUND_NAMESPACE}) is a {@link ValidationException}; answer it 400.
 *
 * <h2>Events</h2>
 * One event per notification, in document order, with
 * <ul>
 *   <li>{@code eventId} the notification's {@code Id} (the same on every redelivery: the inbox dedupes on
 *       it, as Salesforce asks);
 *   <li>{@code objectType} the sObject's type from {@code xsi:type}, such as {@code Contact};
 *       {@code objectId} the record's {@code Id};
 *   <li>{@code type} {@link ChangeEventType#DELETED} when {@code IsDeleted} is {@code true},
 *       {@link ChangeEventType#MERGED} when {@code MasterRecordId} is set (then {@code objectId} is the
 *       surviving record and {@code mergedIds} the notified one), {@link ChangeEventType#CREATED} when
 *       {@code CreatedDate} equals {@code LastModifiedDate}, else {@link ChangeEventType#UPDATED}: an
 *       outbound message does not say what happened, and carries the record's latest values, not the change;
 *   <li>{@code occurredAt} the record's {@code SystemModstamp}, else {@code LastModifiedDate}, when sent;
 *   <li>{@code rawType} {@value #RAW_TYPE}; {@code attemptNumber} 0 (Salesforce does not count);
 *   <li>{@code attributes}: {@code OrganizationId}, {@code ActionId}, and each sent field that maps to a
 *       customer field ({@link #CUSTOMER_FIELDS} plus {@link Builder#customerFields}) under its API name,
 *       an {@code xsi:nil} one as the empty text. Other fields are not carried, and the {@code SessionId}
 *       (a credential) never is.
 * </ul>
 * A notification whose sObject has no {@code Id} is reported in {@link WebhookResult#unparsed()}.
 *
 * <h2>Answer</h2>
 * With an {@link Builder#inbox inbox}, the events are handed to it before answering: when it returns, the
 * answer is {@link #acknowledgement()} (200, {@code <Ack>true</Ack>}); when it throws, the answer is
 * {@link #negativeAcknowledgement()} (500, a SOAP fault), so Salesforce delivers the message again.
 * Without one, the answer is the acknowledgement, and the host must store the events before sending it
 * (answering {@link #negativeAcknowledgement()} when it could not).
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm">Salesforce: outbound messaging</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_notifications.htm">Salesforce: understanding notifications</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_security.htm">Salesforce: outbound messaging security</a>
 */
public final class SalesforceOutboundMessageHandler implements WebhookHandler {
  /** The most notifications Salesforce puts in one message. */
  public static final int MAX_NOTIFICATIONS = 100;
  /** The largest body handled by default: 8 MiB (100 notifications of records with long text fields). */
  public static final int DEFAULT_MAX_BODY_BYTES = 8 << 20;
  /** The largest {@link Builder#maxBodyBytes} accepted: 64 MiB. */
  public static final int MAX_BODY_BYTES_LIMIT = 64 << 20;
  /** The namespace of the {@code notifications} element. */
  public static final String OUTBOUND_NAMESPACE = OutboundMessageParser.OUTBOUND_NS;
  /** The {@link ChangeEvent#rawType()} of every event. */
  public static final String RAW_TYPE = "outboundMessage.notification";
  /** The content type of both answers. */
  public static final String CONTENT_TYPE = "text/xml; charset=utf-8";
  /**
   * The fields carried into {@link ChangeEvent#attributes()} by default: those a Contact's or a Lead's
   * customer is read from, the deletion and merge markers, and the timestamps.
   */
  public static final Set<String> CUSTOMER_FIELDS = Set.of("Id", "FirstName", "LastName", "Email", "Phone",
      "MailingStreet", "MailingCity", "MailingState", "MailingPostalCode", "MailingCountry",
      "Street", "City", "State", "PostalCode", "Country", "Company", "AccountId",
      "Customer_Segment__c", "Total_Orders__c", "Total_Revenue__c", "Preferred_Channel__c",
      "Email_Opt_In__c", "SMS_Opt_In__c", "WhatsApp_Opt_In__c", "Phone_Opt_In__c",
      "IsDeleted", "MasterRecordId", "CreatedDate", "LastModifiedDate", "SystemModstamp");

  private static final String ACK = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
      + " xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n"
      + " <soapenv:Body>\n"
      + "  <notificationsResponse xmlns=\"http://soap.sforce.com/2005/09/outbound\">\n"
      + "   <Ack>true</Ack>\n"
      + "  </notificationsResponse>\n"
      + " </soapenv:Body>\n"
      + "</soapenv:Envelope>\n";
  private static final String FAULT = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
      + " <soapenv:Body>\n"
      + "  <soapenv:Fault>\n"
      + "   <faultcode>soapenv:Server</faultcode>\n"
      + "   <faultstring>notifications not stored; deliver again</faultstring>\n"
      + "  </soapenv:Fault>\n"
      + " </soapenv:Body>\n"
      + "</soapenv:Envelope>\n";

  private final String organizationId;
  private final IpRanges ipRanges;
  private final int maxBodyBytes;
  private final Set<String> carried;
  private final Consumer<? super List<ChangeEvent>> inbox;
  private final OutboundMessageParser parser = new OutboundMessageParser(MAX_NOTIFICATIONS);

  private SalesforceOutboundMessageHandler(Builder b) {
    this.organizationId = b.organizationId;
    this.ipRanges = b.ipRanges;
    this.maxBodyBytes = b.maxBodyBytes;
    Set<String> fields = new LinkedHashSet<>(CUSTOMER_FIELDS);
    fields.addAll(b.customerFields);
    this.carried = Set.copyOf(fields);
    this.inbox = b.inbox;
  }

  /**
   * A builder: organization id required; no IP check, {@value #DEFAULT_MAX_BODY_BYTES} bytes, no inbox.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The positive answer Salesforce expects: HTTP 200, {@value #CONTENT_TYPE}, a {@code
   * notificationsResponse} with {@code <Ack>true</Ack>}.
   *
   * @return the answer
   */
  public static WebhookResponse acknowledgement() {
    return new WebhookResponse(200, CONTENT_TYPE, ACK);
  }

  /**
   * The negative answer: HTTP 500 with a SOAP 1.1 {@code soapenv:Server} fault, so Salesforce keeps the
   * notifications queued and delivers them again (with backoff, for up to 24 hours).
   *
   * @return the answer
   */
  public static WebhookResponse negativeAcknowledgement() {
    return new WebhookResponse(500, CONTENT_TYPE, FAULT);
  }

  /**
   * Checks the sender, the size and the org, parses the notifications, and hands them to the inbox when
   * there is one.
   *
   * @param request the call as received, with the raw body and (when IP ranges are configured) the
   *     sender's address; not {@code null}
   * @return the events in document order, the answer, and notifications that could not be read; a body
   *     over {@link #maxBodyBytes()} gives no events and a 413 answer with a plain-text body; an inbox that
   *     throws gives the events and {@link #negativeAcknowledgement()}
   * @throws SignatureVerificationException when IP ranges are configured and the request has no sender
   *     address or one outside them, or the message's {@code OrganizationId} is not the configured org
   * @throws ValidationException when the body is not a well-formed {@code notifications} envelope, holds a
   *     DOCTYPE or entity reference, nests too deep, or holds more than {@value #MAX_NOTIFICATIONS}
   *     notifications (field {@code notifications})
   * @throws NullPointerException naming {@code request} when it is {@code null}
   */
  @Override
  public WebhookResult handle(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    if (!ipRanges.isEmpty()) {
      InetAddress sender = request.remoteAddress().orElseThrow(() -> new SignatureVerificationException(
          "salesforce outbound message: the sender's address is unknown and IP ranges are configured; set "
              + "WebhookRequest.remoteAddress"));
      if (!ipRanges.contains(sender)) {
        throw new SignatureVerificationException("salesforce outbound message from " + sender.getHostAddress()
            + ", outside the configured IP ranges");
      }
    }
    if (request.bodyLength() > maxBodyBytes) {
      return new WebhookResult(List.of(), new WebhookResponse(413, "text/plain; charset=utf-8",
          "outbound message of " + request.bodyLength() + " bytes is over the limit of " + maxBodyBytes + " bytes"),
          List.of());
    }
    Message message = parser.parse(request.body());
    if (!SalesforceIds.same(organizationId, message.organizationId())) {
      throw new SignatureVerificationException("salesforce outbound message for organization '"
          + cut(message.organizationId()) + "', not the configured one");
    }
    List<ChangeEvent> events = new ArrayList<>();
    List<UnparsedItem> unparsed = new ArrayList<>();
    for (int i = 0; i < message.notifications().size(); i++) {
      Notification n = message.notifications().get(i);
      try {
        events.add(event(message, n));
      } catch (ValidationException e) {
        unparsed.add(new UnparsedItem(i, e.getMessage(), "Notification " + n.id()));
      }
    }
    WebhookResponse answer = acknowledgement();
    if (inbox != null) {
      try {
        inbox.accept(List.copyOf(events));
      } catch (RuntimeException e) {
        answer = negativeAcknowledgement();
      }
    }
    return new WebhookResult(events, answer, unparsed);
  }

  private ChangeEvent event(Message message, Notification n) {
    Map<String, String> f = n.fields();
    String id = f.get("Id");
    if (id == null || id.isBlank()) {
      throw ValidationException.of("sObject.Id", null, "the notification's sObject has no Id");
    }
    Map<String, String> attributes = new TreeMap<>();
    attributes.put("OrganizationId", message.organizationId());
    if (message.actionId() != null) {
      attributes.put("ActionId", message.actionId());
    }
    f.forEach((name, value) -> {
      if (carried.contains(name)) {
        attributes.put(name, value == null ? "" : value.strip());
      }
    });
    String master = strip(f.get("MasterRecordId"));
    ChangeEventType type;
    String objectId = id.strip();
    List<String> merged = List.of();
    Instant created = instant(f.get("CreatedDate"));
    if (master != null && !master.isEmpty()) {
      // A merged-away record is also deleted: the merge says more, and names the survivor.
      type = ChangeEventType.MERGED;
      objectId = master;
      merged = List.of(id.strip());
    } else if ("true".equalsIgnoreCase(strip(f.get("IsDeleted")))) {
      type = ChangeEventType.DELETED;
    } else if (created != null && created.equals(instant(f.get("LastModifiedDate")))) {
      type = ChangeEventType.CREATED;
    } else {
      type = ChangeEventType.UPDATED;
    }
    Instant occurred = instant(f.get("SystemModstamp"));
    if (occurred == null) {
      occurred = instant(f.get("LastModifiedDate"));
    }
    return new ChangeEvent(SalesforceCustomerSystemProvider.NAME, n.id(), type, RAW_TYPE, n.sObjectType(), objectId,
        occurred, null, null, merged, 0, attributes);
  }

  private static String strip(String s) {
    return s == null ? null : s.strip();
  }

  /** Salesforce's dateTime: {@code 2015-08-14T18:27:02.000Z}, or with an offset such as {@code +0000}. */
  private static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text.strip(), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(text.strip(), DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX")).toInstant();
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  private static String cut(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }

  /** The configured organization id, as given. */
  public String organizationId() {
    return organizationId;
  }

  /** The largest body, in bytes, that is parsed; a longer one is answered 413. */
  public int maxBodyBytes() {
    return maxBodyBytes;
  }

  @Override
  public String toString() {
    return "SalesforceOutboundMessageHandler{organizationId=" + organizationId + ", ipRanges=" + ipRanges
        + ", maxBodyBytes=" + maxBodyBytes + ", inbox=" + (inbox != null) + "}";
  }

  /** Collects a handler's settings; setters reject bad values at once. Not thread-safe. */
  public static final class Builder {
    private String organizationId;
    private IpRanges ipRanges = IpRanges.parse(List.of());
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Set<String> customerFields = Set.of();
    private Consumer<? super List<ChangeEvent>> inbox;

    private Builder() {}

    /**
     * @param organizationId the tenant's org id ({@code 00D...}), 15 or 18 characters (Setup, Company
     *     Information); required
     * @return this builder
     * @throws NullPointerException naming {@code organizationId} when {@code null}
     * @throws IllegalArgumentException naming {@code organizationId} and the value when not a well-formed
     *     org id
     */
    public Builder organizationId(String organizationId) {
      Objects.requireNonNull(organizationId, "organizationId");
      String id = organizationId.strip();
      if (SalesforceIds.to18(id) == null || !id.startsWith("00D")) {
        throw new IllegalArgumentException("organizationId must be a 15- or 18-character org id starting 00D: '"
            + organizationId + "'");
      }
      this.organizationId = id;
      return this;
    }

    /**
     * @param cidrs the ranges messages may come from, IPv4 or IPv6 CIDR such as {@code 13.108.0.0/14}
     *     (Salesforce publishes its ranges in the help article "Salesforce IP addresses and domains to
     *     allow"); empty turns the check off. Default: empty. Needs {@link WebhookRequest#remoteAddress()}.
     * @return this builder
     * @throws NullPointerException naming {@code ipRanges} when {@code null}
     * @throws IllegalArgumentException naming the first malformed range
     */
    public Builder ipRanges(List<String> cidrs) {
      Objects.requireNonNull(cidrs, "ipRanges");
      this.ipRanges = IpRanges.parse(cidrs);
      return this;
    }

    /**
     * @param maxBodyBytes the largest body, in bytes, that is parsed; 1 to {@value #MAX_BODY_BYTES_LIMIT}.
     *     Default: {@value #DEFAULT_MAX_BODY_BYTES}. The host's server should stop reading at this size plus
     *     one byte.
     * @return this builder
     * @throws IllegalArgumentException naming {@code maxBodyBytes} and the value when out of range
     */
    public Builder maxBodyBytes(int maxBodyBytes) {
      if (maxBodyBytes < 1 || maxBodyBytes > MAX_BODY_BYTES_LIMIT) {
        throw new IllegalArgumentException("maxBodyBytes must be 1 to " + MAX_BODY_BYTES_LIMIT + ": " + maxBodyBytes);
      }
      this.maxBodyBytes = maxBodyBytes;
      return this;
    }

    /**
     * @param fieldNames further field API names to carry into {@link ChangeEvent#attributes()}, such as the
     *     provider's {@code customField.*} fields; added to {@link #CUSTOMER_FIELDS}. Default: none.
     * @return this builder
     * @throws NullPointerException naming {@code customerFields} when {@code null} or holding {@code null}
     * @throws IllegalArgumentException naming {@code customerFields} and the value when one is not a field
     *     API name
     */
    public Builder customerFields(Set<String> fieldNames) {
      Objects.requireNonNull(fieldNames, "customerFields");
      for (String name : fieldNames) {
        Objects.requireNonNull(name, "customerFields");
        if (!name.matches("[A-Za-z][A-Za-z0-9_]{0,79}")) {
          throw new IllegalArgumentException("customerFields must hold field API names: '" + name + "'");
        }
      }
      this.customerFields = Set.copyOf(fieldNames);
      return this;
    }

    /**
     * @param inbox where each message's events go before the answer, such as {@code events ->
     *     events.forEach(syncEngine::accept)}; it should only store them (Salesforce waits at most 60
     *     seconds). When it throws, the answer is {@link #negativeAcknowledgement()}. Default: none.
     * @return this builder
     * @throws NullPointerException naming {@code inbox} when {@code null}
     */
    public Builder inbox(Consumer<? super List<ChangeEvent>> inbox) {
      this.inbox = Objects.requireNonNull(inbox, "inbox");
      return this;
    }

    /**
     * @return the handler
     * @throws IllegalStateException when the organization id was not set
     */
    public SalesforceOutboundMessageHandler build() {
      if (organizationId == null) {
        throw new IllegalStateException("SalesforceOutboundMessageHandler needs organizationId(...): the org's 00D id");
      }
      return new SalesforceOutboundMessageHandler(this);
    }
  }
}
