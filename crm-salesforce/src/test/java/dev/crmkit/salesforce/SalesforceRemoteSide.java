package dev.crmkit.salesforce;

import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.http.Sleeper;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.OutboundDelivery;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import dev.crmkit.testkit.sync.InboxEndpoint;
import dev.crmkit.testkit.sync.RemoteSide;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Salesforce as the sync scenarios drive it: {@link SalesforceCustomerSystemProvider} on the {@link
 * SalesforceEmulator}, its UI hooks, and SOAP outbound messages on Contacts POSTed to an {@link
 * InboxEndpoint} that checks them with {@link SalesforceOutboundMessageHandler}. The field
 * names below are written out here, not taken from the provider's mapping, so a wrong mapping fails the
 * scenarios.
 *
 * <p>Capabilities, as Salesforce has them: an outbound message is a workflow action, and workflow rules
 * are evaluated when a record is created or edited (a merge edits the survivor), never on delete or
 * undelete, so deletions are seen only by the change feed ({@code getDeleted}), not in real time.
 * Salesforce does not number delivery attempts, and has no short throttle: its 403 {@code
 * REQUEST_LIMIT_EXCEEDED} is the rolling 24-hour allocation. The own-write marker is the record's {@code
 * LastModifiedById}, which the outbound message carries when it is among the message's fields: the
 * integration user's id (the session's user) on the engine's writes, a person's on UI edits.
 */
final class SalesforceRemoteSide implements RemoteSide {
  /** Records per request: five sObject Collections of 200 in one composite call, as the provider sends them. */
  private static final int BATCH_LIMIT = 1000;
  /** What the provider writes for a Contact's required LastName when a customer has none; read back as none. */
  private static final String NO_LAST_NAME = "[not provided]";
  /** The Contact text field the engine's creates without email keep their idempotency key in. */
  private static final String IDEMPOTENCY_KEY_FIELD = "Crmkit_Idempotency_Key__c";
  /** Requests the provider makes once per system: the daily allocation and the check of the custom fields. */
  private static final List<String> SETUP = List.of("GET /services/data/vXX.X/limits",
      "GET /services/data/vXX.X/sobjects/{sObject}/describe");

  private static final Map<Field, String> FIELDS = new EnumMap<>(Map.of(
      Field.FIRST_NAME, "FirstName", Field.LAST_NAME, "LastName", Field.EMAIL, "Email", Field.PHONE, "Phone",
      Field.SEGMENT, "Customer_Segment__c", Field.ORDERS_COUNT, "Total_Orders__c",
      Field.REVENUE, "Total_Revenue__c", Field.UNSYNCED, "MobilePhone"));

  private final MutableClock clock;
  private final SalesforceEmulator emulator;
  private final InboxEndpoint endpoint;
  private final CustomerSystem system;

  SalesforceRemoteSide(MutableClock clock) {
    this.clock = clock;
    // An org set up as the README asks (crmkit's custom fields: a merge lists the merged record's notes),
    // with the standard Contact duplicate rule active, as orgs come; the emulator's matches on email.
    this.emulator = SalesforceEmulator.builder().clock(clock).crmkitFields().contactEmailDuplicateRule(true)
        .customTextField("Contact", IDEMPOTENCY_KEY_FIELD, 64).build();
    // The handler carries LastModifiedById (an outbound message lists it among its fields), so the
    // engine's own writes can be told from a person's.
    this.endpoint = new InboxEndpoint(clock, "/salesforce/outbound", SalesforceOutboundMessageHandler.builder()
        .organizationId(emulator.orgId()).customerFields(Set.of("LastModifiedById")).build(), 403);
    emulator.outboundMessages().target(endpoint.url(), "Contact");
    TenantConfig config = TenantConfig.builder("shop-1", provider())
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
        .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceFieldMappings.ORDERS_FIELD,
            FIELDS.get(Field.ORDERS_COUNT))
        .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceFieldMappings.REVENUE_FIELD,
            FIELDS.get(Field.REVENUE))
        .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceCustomerSystem.IDEMPOTENCY_KEY_FIELD,
            IDEMPOTENCY_KEY_FIELD)
        .build();
    this.system = new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config, clock, Map.of(Sleeper.class, (Sleeper) clock::advance)));
  }

  @Override
  public String provider() {
    return SalesforceCustomerSystemProvider.NAME;
  }

  @Override
  public CustomerSystem system() {
    return system;
  }

  @Override
  public FieldMapping mapping() {
    return SalesforceFieldMappings.defaults();
  }

  @Override
  public int batchLimit() {
    return BATCH_LIMIT;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.of(Capability.REALTIME_CHANGES, Capability.OWN_WRITE_MARKER, Capability.MERGE_IN_UI,
        Capability.RESTORE_IN_UI);
  }

  @Override
  public String createInUi(Map<Field, String> fields) {
    Map<String, Object> values = values(fields);
    values.putIfAbsent("LastName", NO_LAST_NAME);
    return emulator.insert("Contact", values);
  }

  @Override
  public void editInUi(String id, Map<Field, String> fields) {
    emulator.update(id, values(fields));
  }

  @Override
  public void deleteInUi(String id) {
    emulator.delete(id);
  }

  @Override
  public void restoreInUi(String id) {
    emulator.undelete(id);
  }

  @Override
  public void mergeInUi(String survivorId, String mergedId) {
    emulator.merge(survivorId, mergedId);
  }

  @Override
  public Optional<Map<Field, String>> readInUi(String id) {
    return emulator.record(id).filter(r -> Boolean.FALSE.equals(r.get("IsDeleted"))).map(record -> {
      Map<Field, String> fields = new EnumMap<>(Field.class);
      FIELDS.forEach((field, name) -> {
        Object value = record.get(name);
        if (value != null && !(field == Field.LAST_NAME && NO_LAST_NAME.equals(value))) {
          fields.put(field, text(field, value));
        }
      });
      return fields;
    });
  }

  @Override
  public int liveCount() {
    return emulator.liveCount("Contact");
  }

  @Override
  public void deliverInto(SyncEngine engine) {
    endpoint.into(engine);
  }

  @Override
  public List<Delivery> deliver() {
    return deliveries(emulator.outboundMessages().flush());
  }

  @Override
  public List<Delivery> deliverTwice() {
    return deliveries(emulator.outboundMessages().duplicateNextFlush().flush());
  }

  @Override
  public List<Delivery> deliverShuffled(long seed) {
    return deliveries(emulator.outboundMessages().shuffleNextFlush(seed).flush());
  }

  @Override
  public List<String> pendingEventIds() {
    return emulator.outboundMessages().pendingNotificationIds();
  }

  @Override
  public void refuseNextDeliveries(int count) {
    endpoint.unavailableFor(count);
  }

  @Override
  public List<ChangeEvent> received() {
    return endpoint.received();
  }

  @Override
  public int accepted() {
    return endpoint.accepted();
  }

  @Override
  public int duplicates() {
    return endpoint.duplicates();
  }

  @Override
  public int refused() {
    return endpoint.refused();
  }

  /** As the handler makes it: an outbound message names no changed field, so {@code field} is not carried. */
  @Override
  public ChangeEvent event(String eventId, ChangeEventType type, String recordId, Field field) {
    return new ChangeEvent(provider(), eventId, type, SalesforceOutboundMessageHandler.RAW_TYPE, "Contact", recordId,
        clock.instant(), null, null, List.of(), 0, Map.of("OrganizationId", emulator.orgId()));
  }

  @Override
  public boolean isOwnWrite(ChangeEvent event) {
    return emulator.userId().equals(event.attributes().get("LastModifiedById"));
  }

  @Override
  public void failNext(int requests, Failure failure) {
    if (failure == Failure.THROTTLED) {
      throw new UnsupportedOperationException("Salesforce has no short throttle: 403 REQUEST_LIMIT_EXCEEDED is the "
          + "24-hour API allocation (see capabilities())");
    }
    emulator.faults().failNext(requests, 503);
  }

  @Override
  public void clearFaults() {
    emulator.faults().clear();
  }

  @Override
  public void resetCalls() {
    emulator.counters().reset();
  }

  @Override
  public long calls(Call kind) {
    SalesforceCounters counters = emulator.counters();
    return switch (kind) {
      // The provider sends collections inside composite calls: a call counts once, whatever it holds.
      case BATCH_CREATE -> counters.requests(SalesforceCounters.COLLECTION_CREATE)
          + counters.compositeCallsWith(SalesforceCounters.COLLECTION_CREATE);
      case BATCH_UPDATE -> counters.requests(SalesforceCounters.COLLECTION_UPDATE)
          + counters.compositeCallsWith(SalesforceCounters.COLLECTION_UPDATE);
      // Collections answer ids only, so the provider reads each batch's records back with SOQL queries in
      // one composite call; a push makes no other query.
      case READ_BACK -> counters.requests(SalesforceCounters.QUERY) + counters.requests(SalesforceCounters.QUERY_MORE)
          + counters.compositeCallsWith(SalesforceCounters.QUERY);
      case SETUP -> SETUP.stream().mapToLong(counters::requests).sum();
      case ANY -> counters.totalRequests();
    };
  }

  @Override
  public void close() {
    emulator.close();
    endpoint.close();
  }

  private static Map<String, Object> values(Map<Field, String> fields) {
    Map<String, Object> values = new HashMap<>();
    fields.forEach((field, value) -> {
      String name = FIELDS.get(field);
      if (name == null) {
        throw new IllegalArgumentException("a Salesforce Contact has no field for " + field);
      }
      values.put(name, value);
    });
    return values;
  }

  /** A stored value in crmkit's words: Salesforce keeps both numbers as decimals ({@code 1.0}, {@code 40.5}). */
  private static String text(Field field, Object value) {
    return switch (field) {
      case ORDERS_COUNT -> new BigDecimal(value.toString()).setScale(0, RoundingMode.UNNECESSARY).toPlainString();
      case REVENUE -> new BigDecimal(value.toString()).setScale(2, RoundingMode.UNNECESSARY).toPlainString();
      default -> value.toString();
    };
  }

  private static List<Delivery> deliveries(List<OutboundDelivery> attempts) {
    return attempts.stream()
        .map(a -> new Delivery(a.notificationIds(), List.of(), a.status(), a.willRetry())).toList();
  }
}
