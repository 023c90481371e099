package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.IntegrationDraft;
import dev.crmkit.integrations.IntegrationSchema;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.integrations.SyncSchedule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.integrations.TestDatabases;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.SyncFlow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the other parts of the layer (OAuth, webhooks, keys, jobs) use of {@link Runtime}. */
class RuntimeTest {
  private final DataSource db = TestDatabases.h2();
  private final IntegrationFactory factory = IntegrationFactory.builder().build();
  private final KeyRing keys = new KeyRing() {
    @Override
    public String currentKeyId() {
      return "k1";
    }

    @Override
    public Optional<javax.crypto.SecretKey> key(String keyId) {
      return keyId.equals("k1") ? Optional.of(new SecretKeySpec(new byte[32], "AES")) : Optional.empty();
    }
  };
  private final Runtime runtime;
  private final Integrations integrations;

  RuntimeTest() {
    IntegrationSchema.migrate(db);
    runtime = new Runtime(db, factory, keys, Clock.systemUTC(), new SimpleMeterRegistry(), ConflictStrategy.manual());
    integrations = new Integrations(runtime);
  }

  @AfterEach
  void close() {
    factory.close();
  }

  private TenantIntegration hubspot(String tenant) {
    return integrations.create(tenant, new IntegrationDraft("hubspot", "HubSpot", SyncFlow.PULL, SyncSchedule.DAILY,
        Map.of(), Map.of("accessToken", "secret-1")));
  }

  @Test
  void anAccountIdRoutesToItsIntegrationAndBelongsToOneIntegrationOnly() {
    TenantIntegration a = hubspot("acme");
    TenantIntegration b = hubspot("globex");

    runtime.setAccountId(a.id(), "portal-62515");

    assertThat(runtime.byAccount("hubspot", "portal-62515")).map(StoredIntegration::id).contains(a.id());
    assertThat(runtime.byAccount("salesforce", "portal-62515")).isEmpty();
    assertThatThrownBy(() -> runtime.setAccountId(b.id(), "portal-62515"))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("accountId"));
    assertThatThrownBy(() -> runtime.setAccountId(b.id(), " ")).isInstanceOf(ValidationException.class)
        .hasMessageContaining("accountId");
    assertThat(runtime.byId(b.id()).orElseThrow().integration().accountId()).isNull();
  }

  @Test
  void credentialsOpenOnlyForTheirOwnRowAndAreReplacedUnderTheExpectedVersion() {
    TenantIntegration a = hubspot("acme");
    StoredIntegration stored = runtime.requireStored("acme", a.id());

    assertThat(runtime.credentials(stored)).containsExactly(Map.entry("accessToken", "secret-1"));
    assertThat(stored.toString()).doesNotContain("secret-1").doesNotContain(stored.sealedCredentials());

    TenantIntegration replaced = runtime.replaceCredentials(a.id(), Map.of("accessToken", "secret-2"), 0L);
    assertThat(replaced.version()).isEqualTo(1);
    assertThat(runtime.credentials(runtime.byId(a.id()).orElseThrow())).containsEntry("accessToken", "secret-2");
    assertThatThrownBy(() -> runtime.replaceCredentials(a.id(), Map.of("accessToken", "secret-3"), 0L))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void theRemoteConfigIsKeyedByIntegrationSoOneTenantsTwoIntegrationsKeepTheirOwnSystems() {
    TenantIntegration first = hubspot("acme");
    TenantIntegration second = hubspot("acme");

    TenantConfig config = runtime.config(runtime.byId(first.id()).orElseThrow());

    assertThat(config.tenantId()).isEqualTo(first.id());
    assertThat(config.provider()).isEqualTo("hubspot");
    assertThat(config.credentials()).containsEntry("accessToken", "secret-1");
    assertThat(runtime.remote(runtime.byId(first.id()).orElseThrow()))
        .isSameAs(runtime.remote(runtime.byId(first.id()).orElseThrow()))
        .isNotSameAs(runtime.remote(runtime.byId(second.id()).orElseThrow()));
    runtime.setStatus(first.id(), IntegrationStatus.ERROR, "health check failed");
    assertThat(runtime.remote(runtime.byId(first.id()).orElseThrow()))
        .as("a status change does not rebuild the system").isSameAs(runtime.remote(runtime.byId(first.id()).orElseThrow()));
    assertThat(runtime.all()).extracting(StoredIntegration::id).contains(first.id(), second.id());
  }
}
