package dev.crmkit.examples.syncdemo;

import dev.crmkit.CustomerField;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.examples.webhook.HubSpotWebhookEndpoint;
import dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
import dev.crmkit.hubspot.HubSpotFieldMappings;
import dev.crmkit.hubspot.HubSpotWebhookHandler;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.hubspot.WebhookAttempt;
import dev.crmkit.webhook.ChangeEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * HubSpot for the demo: the {@link HubSpotEmulator} with signed webhooks to a {@link
 * HubSpotWebhookEndpoint}, the HubSpot provider on it and {@link HubSpotFieldMappings#defaults()}.
 * HubSpot stamps each webhook event with its {@code changeSource} and the app id, so the endpoint can
 * drop echoes of the demo's own API writes before they reach the inbox.
 */
final class HubSpotDemoRemote implements DemoRemote {
  /** The HubSpot app id the emulator stamps on events and the endpoint expects. */
  static final long APP_ID = 4_242L;
  /** Where the endpoint listens for webhooks. */
  static final String WEBHOOK_PATH = "/webhooks/hubspot";
  private static final String ECHO_SOURCE = "INTEGRATION";

  private final HubSpotWebhookEndpoint endpoint;
  private final HubSpotEmulator emulator;
  private final CustomerSystem system;

  private HubSpotDemoRemote(HubSpotWebhookEndpoint endpoint, HubSpotEmulator emulator, CustomerSystem system) {
    this.endpoint = endpoint;
    this.emulator = emulator;
    this.system = system;
  }

  static HubSpotDemoRemote start(String tenantId, boolean rateLimits, Consumer<List<ChangeEvent>> events) {
    String clientSecret = "demo-" + UUID.randomUUID();
    HubSpotWebhookHandler handler = HubSpotWebhookHandler.builder().clientSecret(clientSecret).appId(APP_ID).build();
    HubSpotWebhookEndpoint endpoint = HubSpotWebhookEndpoint.start(
        new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), WEBHOOK_PATH, null, handler, events);
    try {
      HubSpotEmulator emulator = HubSpotEmulator.builder().appId(APP_ID).rateLimits(rateLimits)
          .webhooks(endpoint.url().toString(), clientSecret).build();
      return new HubSpotDemoRemote(endpoint, emulator, hubspot(tenantId, emulator, rateLimits));
    } catch (RuntimeException e) {
      endpoint.close();
      throw e;
    }
  }

  /** The HubSpot provider on the emulator; it paces itself by HubSpot's limits only when the emulator enforces them. */
  private static CustomerSystem hubspot(String tenantId, HubSpotEmulator emulator, boolean rateLimits) {
    TenantConfig config = TenantConfig.builder(tenantId, HubSpotCustomerSystemProvider.NAME)
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, Boolean.toString(rateLimits))
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.ORDERS_FIELD,
            "crmkit_orders_count")
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.REVENUE_FIELD,
            "total_revenue")
        .build();
    return new HubSpotCustomerSystemProvider().create(new ProviderContext(config, Clock.systemUTC(), Map.of()));
  }

  @Override
  public SyncDemoReport.RemoteInfo info() {
    return new SyncDemoReport.RemoteInfo("HubSpot", "signed webhooks", "webhooks", "429", true,
        emulator.baseUrl(), endpoint.url().toString());
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
  public String fieldName(CustomerField field) {
    return switch (field) {
      case FIRST_NAME -> "firstname";
      case LAST_NAME -> "lastname";
      default -> throw new IllegalArgumentException("the demo does not edit " + field.apiName() + " in HubSpot");
    };
  }

  @Override
  public void edit(String id, CustomerField field, String value) {
    emulator.updateContact(id, Map.of(fieldName(field), value));
  }

  @Override
  public void delete(String id) {
    emulator.archiveContact(id);
  }

  @Override
  public void merge(String survivorId, String mergedId) {
    emulator.mergeContacts(survivorId, mergedId);
  }

  @Override
  public Deliveries deliver() {
    List<WebhookAttempt> attempts = emulator.webhooks().flush();
    return new Deliveries(attempts.size(), (int) attempts.stream().filter(a -> !a.delivered()).count());
  }

  @Override
  public boolean isOwnWrite(ChangeEvent event) {
    return ECHO_SOURCE.equals(event.attributes().get("changeSource"))
        && Long.toString(APP_ID).equals(event.attributes().get("sourceId"));
  }

  @Override
  public Usage usage() {
    return new Usage(emulator.counters().totalRequests(), emulator.counters().rateLimitedResponses(), null);
  }

  @Override
  public void close() {
    try {
      system.close();
    } finally {
      try {
        emulator.close();
      } finally {
        endpoint.close();
      }
    }
  }
}
