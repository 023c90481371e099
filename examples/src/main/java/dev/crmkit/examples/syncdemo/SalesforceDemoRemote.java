package dev.crmkit.examples.syncdemo;

import dev.crmkit.CustomerField;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.examples.webhook.SalesforceOutboundMessageEndpoint;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.salesforce.SalesforceFieldMappings;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.testkit.salesforce.OutboundDelivery;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import dev.crmkit.webhook.ChangeEvent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Response;

/**
 * Salesforce for the demo: the {@link SalesforceEmulator} with outbound messages for Contacts to a
 * {@link SalesforceOutboundMessageEndpoint}, the Salesforce provider on it (orders and revenue to {@code
 * Total_Orders__c} and {@code Total_Revenue__c}) and {@link SalesforceFieldMappings#defaults()}.
 *
 * <p>An outbound message carries the record's latest values and nothing that tells the demo's own writes
 * from a user's (the emulator's API and UI edits are made by one user), so every notification goes into the
 * inbox and the engine recognises echoes by its snapshots. Outbound messages fire on create and update only:
 * deletions reach the engine through the delta run's {@code getDeleted}, merges through the losers'
 * {@code MasterRecordId}. The daily API usage is what Salesforce reports on every answer in {@code
 * Sforce-Limit-Info: api-usage=used/max}, read by an interceptor on the provider's HTTP client.
 */
final class SalesforceDemoRemote implements DemoRemote {
  /** Where the endpoint listens for outbound messages. */
  static final String OUTBOUND_PATH = "/salesforce/outbound";
  private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

  private final SalesforceOutboundMessageEndpoint endpoint;
  private final SalesforceEmulator emulator;
  private final CustomerSystem system;
  private final OkHttpClient client;
  private final AtomicReference<SyncDemoReport.DailyApiUsage> daily;

  private SalesforceDemoRemote(SalesforceOutboundMessageEndpoint endpoint, SalesforceEmulator emulator,
      CustomerSystem system, OkHttpClient client, AtomicReference<SyncDemoReport.DailyApiUsage> daily) {
    this.endpoint = endpoint;
    this.emulator = emulator;
    this.system = system;
    this.client = client;
    this.daily = daily;
  }

  static SalesforceDemoRemote start(String tenantId, Consumer<List<ChangeEvent>> events) {
    SalesforceEmulator emulator = SalesforceEmulator.start();
    try {
      TenantConfig config = TenantConfig.builder(tenantId, SalesforceCustomerSystemProvider.NAME)
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
          .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
          .setting(SalesforceCustomerSystemProvider.ORGANIZATION_ID, emulator.orgId())
          .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceFieldMappings.ORDERS_FIELD,
              "Total_Orders__c")
          .setting(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX + SalesforceFieldMappings.REVENUE_FIELD,
              "Total_Revenue__c")
          .build();
      SalesforceOutboundMessageEndpoint endpoint = SalesforceOutboundMessageEndpoint.start(
          new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), OUTBOUND_PATH,
          SalesforceCustomerSystemProvider.outboundMessageHandler(config).inbox(events).build());
      try {
        emulator.outboundMessages().target(endpoint.url().toString(), "Contact");
        AtomicReference<SyncDemoReport.DailyApiUsage> daily = new AtomicReference<>();
        OkHttpClient client = new OkHttpClient.Builder().addNetworkInterceptor(chain -> {
          Response response = chain.proceed(chain.request());
          String limitInfo = response.header("Sforce-Limit-Info");
          Matcher m = limitInfo == null ? null : API_USAGE.matcher(limitInfo);
          if (m != null && m.find()) {
            daily.set(new SyncDemoReport.DailyApiUsage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
          }
          return response;
        }).build();
        CustomerSystem system = new SalesforceCustomerSystemProvider().create(
            new ProviderContext(config, Clock.systemUTC(), Map.of(OkHttpClient.class, client)));
        return new SalesforceDemoRemote(endpoint, emulator, system, client, daily);
      } catch (RuntimeException e) {
        endpoint.close();
        throw e;
      }
    } catch (RuntimeException e) {
      emulator.close();
      throw e;
    }
  }

  @Override
  public SyncDemoReport.RemoteInfo info() {
    return new SyncDemoReport.RemoteInfo("Salesforce", "outbound messages", "outbound messages",
        "REQUEST_LIMIT_EXCEEDED", false, emulator.baseUrl(), endpoint.url().toString());
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
  public String fieldName(CustomerField field) {
    return switch (field) {
      case FIRST_NAME -> "FirstName";
      case LAST_NAME -> "LastName";
      default -> throw new IllegalArgumentException("the demo does not edit " + field.apiName() + " in Salesforce");
    };
  }

  @Override
  public void edit(String id, CustomerField field, String value) {
    emulator.update(id, Map.of(fieldName(field), value));
  }

  @Override
  public void delete(String id) {
    emulator.delete(id);
  }

  @Override
  public void merge(String survivorId, String mergedId) {
    emulator.merge(survivorId, mergedId);
  }

  @Override
  public Deliveries deliver() {
    List<OutboundDelivery> posts = emulator.outboundMessages().flush();
    return new Deliveries(posts.size(), (int) posts.stream().filter(p -> !p.acknowledged()).count());
  }

  @Override
  public boolean isOwnWrite(ChangeEvent event) {
    return false;
  }

  @Override
  public Usage usage() {
    return new Usage(emulator.counters().totalRequests(), emulator.counters().limitExceededResponses(), daily.get());
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
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
      }
    }
  }
}
