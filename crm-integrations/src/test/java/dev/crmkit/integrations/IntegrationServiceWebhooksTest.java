package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.WebhookDelivery.Outcome;
import dev.crmkit.integrations.internal.Runtime;
import dev.crmkit.integrations.internal.StoredIntegration;
import dev.crmkit.salesforce.SalesforceOutboundMessages;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import dev.crmkit.testkit.hubspot.WebhookAttempt;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The webhook route end to end: two tenants' HubSpot emulators (different portals, different client
 * secrets) post signed deliveries over HTTP to one endpoint that hands each call to {@link
 * IntegrationService#receiveWebhook}; inboxes are drained before the answer (a direct drain executor), so
 * what a delivery did is visible in the tenant's native store once the emulator's flush returns.
 */
class IntegrationServiceWebhooksTest {
  private static final Clock CLOCK = Clock.systemUTC();
  private static final String ORG_A = "00D5g000004SbcDEAS";
  private static final KeyRing KEYS = new KeyRing() {
    private final SecretKey key = new SecretKeySpec(new byte[32], "AES");

    @Override
    public String currentKeyId() {
      return "k1";
    }

    @Override
    public Optional<SecretKey> key(String keyId) {
      return "k1".equals(keyId) ? Optional.of(key) : Optional.empty();
    }
  };

  private final DataSource db = TestDatabases.h2();
  private final IntegrationFactory factory = IntegrationFactory.builder().clock(CLOCK).build();
  private Runtime runtime;
  private IntegrationService service;
  private HubSpotEmulator portalA;
  private HubSpotEmulator portalB;
  private final MockWebServer endpoint = new MockWebServer();

  @BeforeEach
  void setUp() throws Exception {
    IntegrationSchema.migrate(db);
    runtime = new Runtime(db, factory, KEYS, CLOCK, new SimpleMeterRegistry(), ConflictStrategy.manual());
    service = IntegrationService.builder().dataSource(db).factory(factory).keyRing(KEYS).clock(CLOCK)
        .webhookDrainExecutor(Runnable::run).build();
    endpoint.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest call) {
        WebhookRequest request = WebhookRequest.builder().method(call.getMethod()).url(call.getUrl().toString())
            .headers(call.getHeaders().toMultimap()).body(call.getBody().toByteArray()).receivedAt(CLOCK.instant())
            .build();
        String platform = call.getUrl().pathSegments().get(call.getUrl().pathSize() - 1);
        WebhookResponse answer = service.receiveWebhook(platform, request);
        MockResponse.Builder b = new MockResponse.Builder().code(answer.status()).body(answer.body());
        if (answer.contentType() != null) {
          b.setHeader("Content-Type", answer.contentType());
        }
        return b.build();
      }
    });
    endpoint.start();
    portalA = HubSpotEmulator.builder().portalId(111).build();
    portalB = HubSpotEmulator.builder().portalId(222).build();
  }

  @AfterEach
  void tearDown() {
    service.close();
    portalA.close();
    portalB.close();
    endpoint.close();
  }

  private String hookUrl(String platform) {
    return endpoint.url("/webhooks/integrations/" + platform).toString();
  }

  /** Created through the service as a tenant would, then connected to the emulator's portal. */
  private TenantIntegration hubspot(String tenant, HubSpotEmulator emulator, String secret, IntegrationStatus status) {
    TenantIntegration t = service.create(tenant, new IntegrationDraft("hubspot", "HubSpot " + tenant, SyncFlow.PULL,
        SyncSchedule.MANUAL, Map.of("baseUrl", emulator.baseUrl(), "proactiveRateLimiting", "false"),
        Map.of("accessToken", emulator.accessToken(), "clientSecret", secret)));
    runtime.setAccountId(t.id(), Long.toString(emulator.webhooks().portalId()));
    if (status == IntegrationStatus.PAUSED) {
      service.disable(tenant, t.id());
    } else {
      runtime.setStatus(t.id(), status, null);
    }
    return service.get(tenant, t.id());
  }

  private Optional<String> localEmail(String tenant, String email) {
    return runtime.local(tenant).findByEmail(email).map(c -> c.email());
  }

  @Test
  void aSignedDeliveryIsRoutedToTheTenantOfItsPortalAndAppliedToThatTenantsStoreOnly() {
    TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.ACTIVE);
    TenantIntegration intB = hubspot("tenant-b", portalB, "secret-b", IntegrationStatus.ACTIVE);
    portalA.webhooks().target(hookUrl("hubspot"), "secret-a");
    portalA.seedContact(Map.of("email", "ana@tenant-a.example", "firstname", "Ana", "lastname", "Alves"));

    List<WebhookAttempt> attempts = portalA.webhooks().flush();

    assertThat(attempts).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
    int sent = attempts.get(0).eventIds().size();
    assertThat(localEmail("tenant-a", "ana@tenant-a.example")).isPresent();
    assertThat(localEmail("tenant-b", "ana@tenant-a.example")).isEmpty();
    assertThat(runtime.syncStore().pendingEvents(new IntegrationKey("tenant-b", intB.id()), 10)).isEmpty();
    assertThat(service.webhookDeliveries("tenant-a", intA.id(), 10)).singleElement().satisfies(d -> {
      assertThat(d.outcome()).isEqualTo(Outcome.ACCEPTED);
      assertThat(d.events()).isEqualTo(sent);
      assertThat(d.duplicates()).isZero();
    });
    assertThat(service.webhookDeliveries("tenant-b", intB.id(), 10)).isEmpty();
  }

  @Test
  void byDefaultTheAnswerGoesOutFirstAndTheServicesOwnDrainThreadAppliesTheEventsSoonAfter() throws Exception {
    try (IntegrationService async = IntegrationService.builder().dataSource(db).factory(factory).keyRing(KEYS)
        .clock(CLOCK).build()) {
      service.close();
      service = async;
      TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.ACTIVE);
      portalA.webhooks().target(hookUrl("hubspot"), "secret-a");
      portalA.seedContact(Map.of("email", "later@tenant-a.example", "firstname", "Lia"));

      assertThat(portalA.webhooks().flush()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));

      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (localEmail("tenant-a", "later@tenant-a.example").isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(localEmail("tenant-a", "later@tenant-a.example")).isPresent();
      assertThat(runtime.syncStore().pendingEvents(new IntegrationKey("tenant-a", intA.id()), 10)).isEmpty();
    }
  }

  @Test
  void aRetriedDeliveryIsAcknowledgedAndAppliedOnce() {
    TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.ACTIVE);
    portalA.webhooks().target(hookUrl("hubspot"), "secret-a");
    portalA.seedContact(Map.of("email", "bo@tenant-a.example", "firstname", "Bo"));
    portalA.webhooks().duplicateNextBatch();

    List<WebhookAttempt> attempts = portalA.webhooks().flush();

    assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(attempts.get(1).eventIds()).isEqualTo(attempts.get(0).eventIds());
    int sent = attempts.get(0).eventIds().size();
    assertThat(service.webhookDeliveries("tenant-a", intA.id(), 10))
        .extracting(WebhookDelivery::events, WebhookDelivery::duplicates)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(sent, sent), org.assertj.core.groups.Tuple.tuple(sent, 0));
    assertThat(localEmail("tenant-a", "bo@tenant-a.example")).isPresent();
    assertThat(runtime.syncStore().pendingEvents(new IntegrationKey("tenant-a", intA.id()), 10)).isEmpty();
  }

  @Test
  void aDeliverySignedWithAnotherSecretIsRefused401AndNothingReachesTheInbox() {
    TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.ACTIVE);
    portalA.webhooks().target(hookUrl("hubspot"), "secret-b");
    portalA.seedContact(Map.of("email", "eve@tenant-a.example"));

    assertThat(portalA.webhooks().flush()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(401));

    assertThat(runtime.syncStore().pendingEvents(new IntegrationKey("tenant-a", intA.id()), 10)).isEmpty();
    assertThat(localEmail("tenant-a", "eve@tenant-a.example")).isEmpty();
    assertThat(service.webhookDeliveries("tenant-a", intA.id(), 10)).extracting(WebhookDelivery::outcome)
        .containsExactly(Outcome.BAD_SIGNATURE);
  }

  @Test
  void aDeliveryForAPortalNoIntegrationIsConnectedToIsAnswered404() {
    TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.ACTIVE);
    portalB.webhooks().target(hookUrl("hubspot"), "secret-a");
    portalB.seedContact(Map.of("email", "zed@nowhere.example"));

    assertThat(portalB.webhooks().flush()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(404));
    assertThat(service.webhookDeliveries("tenant-a", intA.id(), 10)).isEmpty();
  }

  @Test
  void aPausedIntegrationAcknowledgesWithoutApplying() {
    TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.PAUSED);
    portalA.webhooks().target(hookUrl("hubspot"), "secret-a");
    portalA.seedContact(Map.of("email", "paula@tenant-a.example"));

    assertThat(portalA.webhooks().flush()).singleElement().satisfies(a -> assertThat(a.status()).isEqualTo(200));
    assertThat(localEmail("tenant-a", "paula@tenant-a.example")).isEmpty();
    assertThat(service.webhookDeliveries("tenant-a", intA.id(), 1)).extracting(WebhookDelivery::outcome)
        .containsExactly(Outcome.PAUSED);
  }

  /** As after an OAuth connect: the org is the account id, no organizationId setting. */
  @Test
  void aSalesforceOutboundMessageIsRoutedByOrganizationAndCheckedAgainstTheConnectedOrg() {
    Instant now = CLOCK.instant();
    TenantIntegration sf = new TenantIntegration("sf-a", "tenant-a", "salesforce", "Salesforce",
        IntegrationStatus.DISCONNECTED, SyncFlow.PULL, SyncSchedule.MANUAL,
        Map.of("instanceUrl", "https://acme.my.salesforce.com"), Set.of(), List.of(), ORG_A,
        null, null, now, now, 0);
    runtime.store().insert(new StoredIntegration(sf, null));
    WebhookRequest message = SalesforceOutboundMessages.builder(ORG_A)
        .notification("04l5g0000000001AAA", "Contact", Map.of("Id", "0035g00000A1b2cAAB", "LastName", "Ng"))
        .toRequest(hookUrl("salesforce"), null, now);

    WebhookResponse answer = service.receiveWebhook("salesforce", message);

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).contains("<Ack>true</Ack>");
    assertThat(runtime.syncStore().pendingEvents(new IntegrationKey("tenant-a", "sf-a"), 10)).hasSize(1);
  }

  @Test
  void deliveriesAreReadOnlyByTheOwningTenantWithinTheLimit() {
    TenantIntegration intA = hubspot("tenant-a", portalA, "secret-a", IntegrationStatus.ACTIVE);

    assertThatThrownBy(() -> service.webhookDeliveries("tenant-b", intA.id(), 10)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> service.webhookDeliveries("tenant-a", "nope", 10)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> service.webhookDeliveries("tenant-a", intA.id(), 0))
        .isInstanceOf(ValidationException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> service.webhookDeliveries("tenant-a", intA.id(), IntegrationService.MAX_WEBHOOK_DELIVERIES + 1))
        .isInstanceOf(ValidationException.class);
    assertThat(service.webhookDeliveries("tenant-a", intA.id(), IntegrationService.MAX_WEBHOOK_DELIVERIES)).isEmpty();
  }
}
