package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.internal.StoredIntegration;
import dev.crmkit.sync.SyncFlow;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Secrets in what a host prints or logs: every public value's toString and every error a bad input causes. */
class SecretsNeverShownTest {
  static final String SECRET = "pat-na1-0f9e8d7c-NEVER-SHOWN";

  private DataSource db;
  private IntegrationFactory factory;
  private IntegrationService service;

  @BeforeEach
  void open() {
    db = TestDatabases.h2();
    IntegrationSchema.migrate(db);
    factory = IntegrationFactory.builder().build();
    service = IntegrationService.builder().dataSource(db).factory(factory)
        .keyRing(KeyRings.of("k1", Map.of("k1", SealedCredentialsContract.key(1)))).build();
  }

  @AfterEach
  void close() {
    service.close();
    factory.close();
  }

  private static IntegrationDraft draft(Map<String, String> settings, Map<String, String> credentials) {
    return new IntegrationDraft("hubspot", "Portal", SyncFlow.BIDIRECTIONAL, SyncSchedule.HOURLY, settings, credentials);
  }

  @Test
  void noPublicValueShowsACredentialInToString() {
    IntegrationDraft draft = draft(Map.of("baseUrl", "https://api.example.test"),
        Map.of("accessToken", SECRET, "clientSecret", SECRET + "-2"));
    IntegrationUpdate update = new IntegrationUpdate("Renamed", null, null, null, Map.of("accessToken", SECRET), 3L);
    TenantIntegration created = service.create("acme", draft);
    StoredIntegration stored = new StoredIntegration(created, "v1.k1.AAAAAAAAAAAAAAAA.c2VhbGVk");

    assertThat(draft.toString()).contains("accessToken", "clientSecret").doesNotContain(SECRET);
    assertThat(update.toString()).contains("accessToken").doesNotContain(SECRET);
    assertThat(created.toString()).contains("accessToken").doesNotContain(SECRET);
    assertThat(stored.toString()).doesNotContain(SECRET, "c2VhbGVk");
    assertThat(service.list("acme").toString()).doesNotContain(SECRET);
  }

  @Test
  void validationErrorsAboutCredentialsNameTheFieldButNeverTheValue() {
    Map<String, String> nullValue = new HashMap<>();
    nullValue.put("accessToken", null);
    List<Map<String, String>> badCredentials = List.of(
        Map.of("accessToken", SECRET + "x".repeat(9000)),           // too long
        Map.of("accessToken", SECRET + "\0"),                       // NUL
        Map.of("acessToken", SECRET),                               // unknown key, close to a known one
        Map.of("baseUrl", "not a url " + SECRET),                   // a non-secret key given as a credential
        Map.of("dailyLimit", SECRET));                              // a number-typed key given as a credential

    for (Map<String, String> credentials : badCredentials) {
      String field = "credentials." + credentials.keySet().iterator().next();
      assertRefused(() -> service.create("acme", draft(Map.of(), credentials)), field);
      TenantIntegration created = service.create("acme", draft(Map.of(), Map.of()));
      assertRefused(() -> service.update("acme", created.id(),
          new IntegrationUpdate(null, null, null, null, credentials, null)), field);
    }
    assertRefused(() -> service.create("acme", draft(Map.of("accessToken", SECRET), Map.of())), "settings.accessToken");
    assertRefused(() -> draft(Map.of(), nullValue), "credentials.accessToken");
  }

  private static void assertRefused(ThrowingCallable call, String field) {
    assertThatThrownBy(call)
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining(field)
        .satisfies(e -> {
          assertThat(e.toString()).doesNotContain(SECRET);
          for (FieldError error : ((ValidationException) e).fieldErrors()) {
            assertThat(String.valueOf(error.value())).doesNotContain(SECRET);
          }
          for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            assertThat(cause.toString()).doesNotContain(SECRET);
          }
        });
  }

  @Test
  void anIntegrationWhoseStoredEnvelopeDoesNotOpenFailsWithoutContent() throws Exception {
    TenantIntegration created = service.create("acme", draft(Map.of("baseUrl", "https://api.example.test"),
        Map.of("accessToken", SECRET)));
    IntegrationService otherKey = IntegrationService.builder().dataSource(db).factory(factory)
        .keyRing(KeyRings.of("k1", Map.of("k1", SealedCredentialsContract.key(2)))).build();

    ConnectionTest test = otherKey.testConnection("acme", created.id());

    assertThat(test.ok()).isFalse();
    assertThat(test.failure()).isEqualTo(ConnectionTest.Failure.CONFIGURATION);
    assertThat(test.message()).contains(created.id()).doesNotContain(SECRET);
    assertThat(otherKey.get("acme", created.id()).lastError()).doesNotContain(SECRET);
    assertThatThrownBy(() -> otherKey.syncNow("acme", created.id(), dev.crmkit.sync.SyncMode.FULL))
        .isInstanceOf(CrmException.class)
        .satisfies(e -> assertThat(e.toString()).doesNotContain(SECRET));
    otherKey.close();
  }
}
