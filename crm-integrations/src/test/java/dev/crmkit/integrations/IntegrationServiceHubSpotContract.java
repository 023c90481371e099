package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.http.RetryPolicy;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.sync.ConflictStatus;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations that reach a back end, against crm-testkit's HubSpot emulator: connection test,
 * full sync both ways, one-customer sync, run history, conflicts, and delete erasing the sync state.
 * The tenant's local side is the native store on the same database. One subclass per database.
 */
abstract class IntegrationServiceHubSpotContract {
  private final String tenant = "acme-" + UUID.randomUUID().toString().substring(0, 8);
  private DataSource db;
  private HubSpotEmulator hubspot;
  private IntegrationFactory factory;
  private IntegrationService service;
  private CustomerSystem local;

  abstract DataSource database();

  @BeforeEach
  void start() {
    db = database();
    IntegrationSchema.migrate(db);
    hubspot = HubSpotEmulator.builder().rateLimits(false).build();
    factory = IntegrationFactory.builder().resource(RetryPolicy.class, RetryPolicy.none()).build();
    service = IntegrationService.builder().dataSource(db).factory(factory).keyRing(TestKeys.random()).build();
    local = NativeCustomerSystem.open(db, tenant, Clock.systemUTC(), PhoneNumbers.forRegion("US"));
  }

  @AfterEach
  void stop() {
    service.close();
    factory.close();
    hubspot.close();
  }

  private TenantIntegration connect(String baseUrl, String token) {
    return service.create(tenant, new IntegrationDraft("hubspot", "HubSpot", SyncFlow.BIDIRECTIONAL,
        SyncSchedule.HOURLY, Map.of("baseUrl", baseUrl, "proactiveRateLimiting", "false"),
        Map.of("accessToken", token)));
  }

  @Test
  void aGoodTokenPassesTheTestWithOneRequest() {
    TenantIntegration t = connect(hubspot.baseUrl(), hubspot.accessToken());
    long before = hubspot.counters().totalRequests();

    ConnectionTest test = service.testConnection(tenant, t.id());

    assertThat(test.ok()).isTrue();
    assertThat(test.failure()).isNull();
    assertThat(test.latency()).isPositive();
    assertThat(hubspot.counters().totalRequests() - before).isEqualTo(1);
    assertThat(service.get(tenant, t.id()).status()).isEqualTo(IntegrationStatus.ACTIVE);
  }

  @Test
  void aWrongTokenFailsAsCredentialsAndIsRecordedUntilAGoodOneComes() {
    TenantIntegration t = connect(hubspot.baseUrl(), "pat-wrong-token");

    ConnectionTest test = service.testConnection(tenant, t.id());

    assertThat(test.ok()).isFalse();
    assertThat(test.failure()).isEqualTo(ConnectionTest.Failure.CREDENTIALS);
    assertThat(test.message()).doesNotContain("pat-wrong-token");
    TenantIntegration after = service.get(tenant, t.id());
    assertThat(after.lastError()).startsWith("connection test failed (CREDENTIALS)").doesNotContain("pat-wrong-token");

    service.update(tenant, t.id(), new IntegrationUpdate(null, null, null, null,
        Map.of("accessToken", hubspot.accessToken()), null));
    assertThat(service.testConnection(tenant, t.id()).ok()).isTrue();
  }

  @Test
  void anUnreachableBackEndFailsAsNetwork() {
    String baseUrl;
    try (HubSpotEmulator gone = HubSpotEmulator.start()) {
      baseUrl = gone.baseUrl();
    }
    TenantIntegration t = connect(baseUrl, hubspot.accessToken());

    ConnectionTest test = service.testConnection(tenant, t.id());

    assertThat(test.failure()).isEqualTo(ConnectionTest.Failure.NETWORK);
    assertThat(service.get(tenant, t.id()).lastError()).startsWith("connection test failed (NETWORK)");
  }

  @Test
  void aFullSyncMovesNativeCustomersToHubSpotAndHubSpotContactsBack() {
    local.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace").email("ada@example.com").build());
    local.create(CustomerDraft.builder().firstName("Alan").lastName("Turing").email("alan@example.com").build());
    String remoteId = hubspot.seedContact(Map.of("email", "grace@example.com", "firstname", "Grace",
        "lastname", "Hopper"));
    TenantIntegration t = connect(hubspot.baseUrl(), hubspot.accessToken());

    SyncResult first = service.syncNow(tenant, t.id(), SyncMode.FULL);

    assertThat(first.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(first.created()).isEqualTo(3);
    assertThat(hubspot.liveContactCount()).isEqualTo(3);
    assertThat(local.findByEmail("grace@example.com")).map(Customer::firstName).contains("Grace");

    hubspot.updateContact(remoteId, Map.of("lastname", "Hopper-Murray"));
    SyncResult second = service.syncNow(tenant, t.id(), SyncMode.DELTA);

    assertThat(second.updated()).isEqualTo(1);
    assertThat(local.findByEmail("grace@example.com")).map(Customer::lastName).contains("Hopper-Murray");
    List<SyncRun> history = service.history(tenant, t.id(), 10);
    assertThat(history).extracting(SyncRun::id).containsExactly(second.runId(), first.runId());
    assertThat(history).extracting(SyncRun::kind).containsExactly("bidirectional/delta", "bidirectional/full");
    assertThat(history.get(1).counts().created()).isEqualTo(3);
    TenantIntegration after = service.get(tenant, t.id());
    assertThat(after.lastSyncAt()).isNotNull();
    assertThat(after.lastError()).isNull();
  }

  @Test
  void aFailedRunTurnsTheIntegrationToErrorAndASuccessfulOneBack() {
    local.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    TenantIntegration t = connect(hubspot.baseUrl(), hubspot.accessToken());
    hubspot.faults().failNext(50, 503);

    SyncResult failed = service.syncNow(tenant, t.id(), SyncMode.FULL);

    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    TenantIntegration errored = service.get(tenant, t.id());
    assertThat(errored.status()).isEqualTo(IntegrationStatus.ERROR);
    assertThat(errored.lastError()).contains(failed.runId());

    hubspot.faults().clear();
    assertThat(service.syncNow(tenant, t.id(), SyncMode.FULL).status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(service.get(tenant, t.id()).status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(service.history(tenant, t.id(), 10)).extracting(SyncRun::status)
        .containsExactly(RunStatus.SUCCEEDED, RunStatus.FAILED);
  }

  @Test
  void syncCustomerSendsThatCustomerOnly() {
    Customer ada = local.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    local.create(CustomerDraft.builder().firstName("Alan").email("alan@example.com").build());
    TenantIntegration t = connect(hubspot.baseUrl(), hubspot.accessToken());

    SyncResult result = service.syncCustomer(tenant, t.id(), ada.id());

    assertThat(result.kind()).isEqualTo("customer");
    assertThat(result.created()).isEqualTo(1);
    assertThat(hubspot.liveContactCount()).isEqualTo(1);

    local.update(ada.id(), CustomerUpdate.builder().firstName("Augusta").build());
    SyncResult again = service.syncCustomer(tenant, t.id(), ada.id());
    assertThat(again.updated()).isEqualTo(1);
    assertThat(service.syncNow(tenant, t.id(), SyncMode.FULL).created()).isEqualTo(1);
    assertThat(hubspot.liveContactCount()).isEqualTo(2);
  }

  @Test
  void aFieldChangedOnBothSidesWaitsInTheConflictsUntilResolved() {
    String remoteId = hubspot.seedContact(Map.of("email", "rita@example.com", "firstname", "Rita"));
    TenantIntegration t = connect(hubspot.baseUrl(), hubspot.accessToken());
    service.syncNow(tenant, t.id(), SyncMode.FULL);
    Customer rita = local.findByEmail("rita@example.com").orElseThrow();
    local.update(rita.id(), CustomerUpdate.builder().firstName("Local Rita").build());
    hubspot.updateContact(remoteId, Map.of("firstname", "Remote Rita"));

    SyncResult run = service.syncNow(tenant, t.id(), SyncMode.DELTA);

    assertThat(run.conflicts()).isEqualTo(1);
    List<SyncConflict> open = service.conflicts(tenant, t.id(), 10);
    assertThat(open).hasSize(1);
    assertThat(open.get(0).localId()).isEqualTo(rita.id());

    SyncConflict resolved = service.resolveConflict(tenant, t.id(), open.get(0).id(), SyncSide.LOCAL, "user-7");

    assertThat(resolved.status()).isEqualTo(ConflictStatus.RESOLVED);
    assertThat(hubspot.contactProperties(remoteId).orElseThrow()).containsEntry("firstname", "Local Rita");
    assertThat(service.conflicts(tenant, t.id(), 10)).isEmpty();
  }

  @Test
  void deleteWithEraseLeavesNoSyncState() {
    local.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    TenantIntegration t = connect(hubspot.baseUrl(), hubspot.accessToken());
    service.syncNow(tenant, t.id(), SyncMode.FULL);
    TenantIntegration kept = connect(hubspot.baseUrl(), hubspot.accessToken());
    service.syncNow(tenant, kept.id(), SyncMode.FULL);

    service.delete(tenant, t.id(), true);

    dev.crmkit.sync.spi.SyncStore store = dev.crmkit.jdbc.JdbcSyncStore.open(db, Clock.systemUTC());
    dev.crmkit.sync.IntegrationKey key = new dev.crmkit.sync.IntegrationKey(tenant, t.id());
    assertThat(store.recentRuns(key, 10)).isEmpty();
    assertThat(store.cursor(key, SyncFlow.PULL)).isEmpty();
    assertThat(store.mappingByLocalId(key, local.findByEmail("ada@example.com").orElseThrow().id())).isEmpty();
    assertThat(service.history(tenant, kept.id(), 10)).hasSize(1);
  }
}
