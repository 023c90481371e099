package dev.crmkit.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.http.Sleeper;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.hubspot.WebhookAttempt;
import dev.crmkit.testkit.sync.InboxEndpoint;
import dev.crmkit.testkit.sync.RemoteSide;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HubSpot as the sync scenarios drive it: {@link HubSpotCustomerSystemProvider} on the {@link
 * HubSpotEmulator}, its UI hooks, and signed webhook batches POSTed to a {@link InboxEndpoint} that
 * verifies them with {@link HubSpotWebhookHandler}. The property names and lifecycle stages below are
 * written out here, not taken from {@link HubSpotContactMapping}, so a wrong mapping fails the scenarios.
 */
final class HubSpotRemoteSide implements RemoteSide {
  /** HubSpot's batch create, update and upsert limit, inputs per request. */
  private static final int BATCH_LIMIT = 100;

  private static final Map<Field, String> PROPERTIES = new EnumMap<>(Map.of(
      Field.FIRST_NAME, "firstname", Field.LAST_NAME, "lastname", Field.EMAIL, "email", Field.PHONE, "phone",
      Field.SEGMENT, "lifecyclestage", Field.TAGS, "crmkit_tags", Field.ORDERS_COUNT, "crmkit_orders_count",
      Field.REVENUE, "total_revenue", Field.UNSYNCED, "company"));
  private static final Map<String, String> SEGMENT_TO_STAGE = Map.of(
      "PROSPECT", "lead", "STANDARD", "customer", "VIP", "evangelist");

  private final MutableClock clock;
  /** The app's client secret the emulator signs with and the endpoint's handler verifies. */
  static final String CLIENT_SECRET = "a1b2c3d4-e5f6-4a1b-8c2d-0123456789ab";

  private final InboxEndpoint endpoint;
  private final HubSpotEmulator emulator;
  private final CustomerSystem system;

  HubSpotRemoteSide(MutableClock clock) {
    this.clock = clock;
    this.endpoint = new InboxEndpoint(clock, "/hubspot/webhooks",
        HubSpotWebhookHandler.builder().clientSecret(CLIENT_SECRET).clock(clock).build(), 401);
    this.emulator = HubSpotEmulator.builder().clock(clock).rateLimits(false)
        .webhooks(endpoint.url(), CLIENT_SECRET).build();
    TenantConfig config = TenantConfig.builder("shop-1", provider())
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false")
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.ORDERS_FIELD,
            PROPERTIES.get(Field.ORDERS_COUNT))
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.REVENUE_FIELD,
            PROPERTIES.get(Field.REVENUE))
        .build();
    this.system = new HubSpotCustomerSystemProvider().create(
        new ProviderContext(config, clock, Map.of(Sleeper.class, (Sleeper) clock::advance)));
  }

  @Override
  public String provider() {
    return "hubspot";
  }

  @Override
  public CustomerSystem system() {
    return system;
  }

  @Override
  public FieldMapping mapping() {
    return HubSpotFieldMappings.defaults();
  }

  @Override
  public int batchLimit() {
    return BATCH_LIMIT;
  }

  @Override
  public Set<Capability> capabilities() {
    return EnumSet.allOf(Capability.class);
  }

  @Override
  public String createInUi(Map<Field, String> fields) {
    return emulator.seedContact(properties(fields));
  }

  @Override
  public void editInUi(String id, Map<Field, String> fields) {
    emulator.updateContact(id, properties(fields));
  }

  @Override
  public void deleteInUi(String id) {
    emulator.archiveContact(id);
  }

  @Override
  public void restoreInUi(String id) {
    emulator.restoreContact(id);
  }

  @Override
  public void mergeInUi(String survivorId, String mergedId) {
    emulator.mergeContacts(survivorId, mergedId);
  }

  @Override
  public Optional<Map<Field, String>> readInUi(String id) {
    return emulator.contactProperties(id).map(properties -> {
      Map<Field, String> fields = new EnumMap<>(Field.class);
      PROPERTIES.forEach((field, property) -> {
        String value = properties.get(property);
        if (value != null) {
          fields.put(field, field == Field.SEGMENT ? segmentOf(value) : value);
        }
      });
      return fields;
    });
  }

  @Override
  public int liveCount() {
    return emulator.liveContactCount();
  }

  @Override
  public void deliverInto(SyncEngine engine) {
    endpoint.into(engine);
  }

  @Override
  public List<Delivery> deliver() {
    return deliveries(emulator.webhooks().flush());
  }

  @Override
  public List<Delivery> deliverTwice() {
    return deliveries(emulator.webhooks().duplicateNextBatch().flush());
  }

  @Override
  public List<Delivery> deliverShuffled(long seed) {
    return deliveries(emulator.webhooks().shuffleNextFlush(seed).flush());
  }

  @Override
  public List<String> pendingEventIds() {
    ObjectMapper json = new ObjectMapper();
    return emulator.webhooks().pendingEvents().stream().map(event -> {
      try {
        return json.readTree(event).get("eventId").asText();
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
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

  @Override
  public ChangeEvent event(String eventId, ChangeEventType type, String recordId, Field field) {
    return new ChangeEvent(provider(), eventId, type, "contact." + type.name().toLowerCase(Locale.ROOT), "contact",
        recordId, clock.instant(), field == null ? null : PROPERTIES.get(field), null, null, 0,
        Map.of("portalId", "1"));
  }

  @Override
  public boolean isOwnWrite(ChangeEvent event) {
    return "INTEGRATION".equals(event.attributes().get("changeSource"));
  }

  @Override
  public void failNext(int requests, Failure failure) {
    emulator.faults().failNext(requests, failure == Failure.THROTTLED ? 429 : 503);
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
    HubSpotCounters counters = emulator.counters();
    return switch (kind) {
      case BATCH_CREATE -> counters.requests(HubSpotCounters.BATCH_CREATE) + counters.requests(HubSpotCounters.BATCH_UPSERT);
      case BATCH_UPDATE -> counters.requests(HubSpotCounters.BATCH_UPDATE);
      // HubSpot's batch answers carry the stored records, and the provider probes nothing on first use.
      case READ_BACK, SETUP -> 0;
      case ANY -> counters.totalRequests();
    };
  }

  @Override
  public void close() {
    emulator.close();
    endpoint.close();
  }

  private static Map<String, String> properties(Map<Field, String> fields) {
    Map<String, String> properties = new HashMap<>();
    fields.forEach((field, value) -> {
      String v = value;
      if (field == Field.SEGMENT) {
        v = SEGMENT_TO_STAGE.get(value);
        if (v == null) {
          throw new IllegalArgumentException("no lifecycle stage for segment " + value);
        }
      }
      properties.put(PROPERTIES.get(field), v);
    });
    return properties;
  }

  private static List<Delivery> deliveries(List<WebhookAttempt> attempts) {
    return attempts.stream().map(a -> new Delivery(a.eventIds().stream().map(String::valueOf).toList(),
        a.attemptNumbers(), a.status(), a.willRetry())).toList();
  }

  private static String segmentOf(String stage) {
    return SEGMENT_TO_STAGE.entrySet().stream().filter(e -> e.getValue().equals(stage)).map(Map.Entry::getKey)
        .findFirst().orElse(stage);
  }
}
