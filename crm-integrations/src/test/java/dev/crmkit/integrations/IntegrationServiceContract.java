package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.ProviderContext;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.provider.AuthKind;
import dev.crmkit.provider.ProviderCategory;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.provider.SettingDescriptor;
import dev.crmkit.provider.SettingType;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncSide;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link IntegrationService} does with its table on one database: create, read, update, delete,
 * enable, disable, mapping, validation, optimistic versions and tenant isolation. One subclass per
 * database; the HubSpot-backed operations are in {@code IntegrationServiceHubSpotTest}.
 */
abstract class IntegrationServiceContract {
  static final String TOKEN = "pat-na1-secret-token-value";
  static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

  /** One database per class (migrated once); each test has tenants of its own. */
  private static final Map<Class<?>, DataSource> DATABASES = new java.util.concurrent.ConcurrentHashMap<>();

  DataSource db;
  IntegrationFactory factory;
  IntegrationService service;
  String acme;
  String globex;

  abstract DataSource database();

  @BeforeEach
  void openService() {
    db = DATABASES.computeIfAbsent(getClass(), k -> {
      DataSource d = database();
      IntegrationSchema.migrate(d);
      return d;
    });
    String run = java.util.UUID.randomUUID().toString().substring(0, 8);
    acme = "acme-" + run;
    globex = "globex-" + run;
    factory = IntegrationFactory.builder().build();
    service = IntegrationService.builder().dataSource(db).factory(factory).keyRing(TestKeys.random())
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
  }

  @AfterEach
  void closeService() {
    service.close();
    factory.close();
  }

  static IntegrationDraft hubspot(String name, Map<String, String> credentials) {
    return new IntegrationDraft("hubspot", name, SyncFlow.BIDIRECTIONAL, SyncSchedule.HOURLY,
        Map.of("baseUrl", "https://api.example.test", "dailyLimit", "250000"), credentials);
  }

  @Test
  void createdIntegrationReadsBackWithoutItsSecrets() {
    TenantIntegration created = service.create(acme, hubspot("Main portal", Map.of("accessToken", TOKEN)));

    assertThat(created.id()).isNotBlank();
    assertThat(created.tenantId()).isEqualTo(acme);
    assertThat(created.provider()).isEqualTo("hubspot");
    assertThat(created.status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(created.settings()).containsExactlyInAnyOrderEntriesOf(
        Map.of("baseUrl", "https://api.example.test", "dailyLimit", "250000"));
    assertThat(created.credentialKeys()).containsExactly("accessToken");
    assertThat(created.mapping()).isEmpty();
    assertThat(created.createdAt()).isEqualTo(NOW);
    assertThat(created.version()).isZero();
    assertThat(service.get(acme, created.id())).isEqualTo(created);
    assertThat(service.list(acme)).containsExactly(created);
    assertThat(created.toString()).doesNotContain(TOKEN);
  }

  @Test
  void theTableHoldsOnlyTheSealedEnvelope() throws Exception {
    TenantIntegration created = service.create(acme, hubspot("Main portal", Map.of("accessToken", TOKEN)));

    StringBuilder row = new StringBuilder();
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT * FROM crmkit_integration WHERE id = '" + created.id() + "'")) {
      while (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          row.append(rs.getString(i)).append('|');
        }
      }
    }
    assertThat(row).contains(created.id()).contains("v1.k1.").doesNotContain(TOKEN);
  }

  @Test
  void withoutItsTokenAnIntegrationStartsDisconnectedAndConnectsWhenTheTokenComes() {
    TenantIntegration created = service.create(acme, hubspot("Later", Map.of()));
    assertThat(created.status()).isEqualTo(IntegrationStatus.DISCONNECTED);
    assertThat(created.credentialKeys()).isEmpty();

    TenantIntegration connected = service.update(acme, created.id(),
        new IntegrationUpdate(null, null, null, null, Map.of("accessToken", TOKEN), null));
    assertThat(connected.status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(connected.credentialKeys()).containsExactly("accessToken");
    assertThat(connected.version()).isEqualTo(1);

    Map<String, String> remove = new HashMap<>();
    remove.put("accessToken", null);
    TenantIntegration disconnected = service.update(acme, created.id(),
        new IntegrationUpdate(null, null, null, null, remove, null));
    assertThat(disconnected.status()).isEqualTo(IntegrationStatus.DISCONNECTED);
    assertThat(disconnected.credentialKeys()).isEmpty();
  }

  @Test
  void updateMergesSettingsKeyByKeyAndChangesOnlyWhatItNames() {
    TenantIntegration created = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));
    Map<String, String> settings = new HashMap<>();
    settings.put("dailyLimit", null);
    settings.put("tenSecondlyLimit", "50");

    TenantIntegration updated = service.update(acme, created.id(),
        new IntegrationUpdate("Renamed", SyncFlow.PUSH, SyncSchedule.DAILY, settings, null, 0L));

    assertThat(updated.name()).isEqualTo("Renamed");
    assertThat(updated.flow()).isEqualTo(SyncFlow.PUSH);
    assertThat(updated.schedule()).isEqualTo(SyncSchedule.DAILY);
    assertThat(updated.settings()).containsExactlyInAnyOrderEntriesOf(
        Map.of("baseUrl", "https://api.example.test", "tenSecondlyLimit", "50"));
    assertThat(updated.credentialKeys()).containsExactly("accessToken");
    assertThat(updated.status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(updated.version()).isEqualTo(1);
    assertThat(service.get(acme, created.id())).isEqualTo(updated);
  }

  @Test
  void anUpdateFromAStaleVersionIsAConflictAndChangesNothing() {
    TenantIntegration created = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));
    service.update(acme, created.id(), new IntegrationUpdate("First", null, null, null, null, 0L));

    assertThatThrownBy(() -> service.update(acme, created.id(),
        new IntegrationUpdate("Second", null, null, null, null, 0L)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("version 1").hasMessageContaining("expected 0");
    assertThat(service.get(acme, created.id()).name()).isEqualTo("First");
  }

  @Test
  void anUnknownKeyIsNamedWithTheNearestKnownOne() {
    ValidationException e = validation(() -> service.create(acme, new IntegrationDraft("hubspot", "x",
        SyncFlow.PUSH, SyncSchedule.MANUAL, Map.of("dailyLimt", "5", "colour", "red"), Map.of())));

    assertThat(e.fieldErrors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("settings.dailyLimt", "settings.colour");
    assertThat(message(e, "settings.dailyLimt")).contains("did you mean 'dailyLimit'").contains("known: ");
  }

  @Test
  void aSecretGivenAsASettingIsRefusedWithoutShowingIt() {
    ValidationException e = validation(() -> service.create(acme, new IntegrationDraft("hubspot", "x",
        SyncFlow.PUSH, SyncSchedule.MANUAL, Map.of("accessToken", TOKEN), Map.of())));

    assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("settings.accessToken");
    assertThat(message(e, "settings.accessToken")).contains("credentials");
    assertThat(e.getMessage()).doesNotContain(TOKEN);
    assertThat(service.list(acme)).isEmpty();
  }

  @Test
  void aValueOfTheWrongTypeIsNamedWithItsType() {
    ValidationException e = validation(() -> service.create(acme, new IntegrationDraft("hubspot", "x",
        SyncFlow.PUSH, SyncSchedule.MANUAL, Map.of("baseUrl", "not a url", "dailyLimit", "-3"), Map.of())));

    assertThat(e.fieldErrors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("settings.baseUrl", "settings.dailyLimit");
    assertThat(message(e, "settings.dailyLimit")).contains("a whole number above 0");
    assertThat(e.fieldErrors()).extracting(FieldError::value).contains("not a url", "-3");
  }

  @Test
  void aMissingRequiredSettingIsNamed() {
    ProviderDescriptor needsPath = ProviderDescriptor
        .builder("needs-path", "Needs a path", ProviderCategory.CRM)
        .auth(AuthKind.NONE)
        .setting(SettingDescriptor.builder("path", SettingType.PATH).required().description("A file.").build())
        .build();
    CustomerSystemProvider provider = new CustomerSystemProvider() {
      @Override public String name() { return "needs-path"; }
      @Override public ProviderDescriptor descriptor() { return needsPath; }
      @Override public CustomerSystem create(ProviderContext context) {
        throw new UnsupportedOperationException("never built in this test");
      }
    };
    try (IntegrationFactory withPath = IntegrationFactory.builder().provider(provider).build();
         IntegrationService paths = IntegrationService.builder().dataSource(db).factory(withPath)
             .keyRing(TestKeys.random()).build()) {
      ValidationException e = validation(() -> paths.create(acme, new IntegrationDraft("needs-path", "x",
          SyncFlow.PUSH, SyncSchedule.MANUAL, Map.of(), Map.of())));

      assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("settings.path");
    }
  }

  @Test
  void aSalesforceIntegrationWithoutInstanceUrlOrCredentialsWaitsForItsOAuthConnect() {
    TenantIntegration created = service.create(acme, new IntegrationDraft("salesforce", "to connect",
        SyncFlow.PUSH, SyncSchedule.MANUAL, Map.of(), Map.of()));

    assertThat(created.status()).isEqualTo(IntegrationStatus.DISCONNECTED);
    assertThat(created.settings()).doesNotContainKey("instanceUrl");
  }

  @Test
  void anOrgAnotherTenantsIntegrationIsConnectedToIsAConflictNamingTheSettingOnCreateAndUpdate() {
    String org15 = "00D5g00" + acme.substring(acme.length() - 8);
    TenantIntegration a = service.create(acme, salesforce(org15));
    assertThat(a.accountId()).hasSize(18).startsWith(org15);
    TenantIntegration b = service.create(globex, salesforce("00D5g01" + globex.substring(globex.length() - 8)));

    assertThatThrownBy(() -> service.create(globex, salesforce(a.accountId())))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("settings.organizationId"));
    assertThatThrownBy(() -> service.update(globex, b.id(), new IntegrationUpdate("renamed", null, null,
        Map.of("organizationId", org15), null, null)))
        .isInstanceOfSatisfying(ConflictException.class, e -> assertThat(e.field()).isEqualTo("settings.organizationId"));

    assertThat(service.list(globex)).singleElement().satisfies(now -> {
      assertThat(now.version()).isEqualTo(b.version());
      assertThat(now.name()).isEqualTo(b.name());
      assertThat(now.accountId()).isEqualTo(b.accountId());
    });
    assertThat(service.get(acme, a.id()).accountId()).isEqualTo(a.accountId());
  }

  static IntegrationDraft salesforce(String organizationId) {
    return new IntegrationDraft("salesforce", "Salesforce", SyncFlow.PULL, SyncSchedule.MANUAL,
        Map.of("instanceUrl", "https://acme.my.salesforce.com", "organizationId", organizationId),
        Map.of("accessToken", TOKEN));
  }

  @Test
  void draftsRefuseMissingPartsNamingEach() {
    ValidationException e = validation(() -> new IntegrationDraft(" ", "", null, null, null, null));

    assertThat(e.fieldErrors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("provider", "name", "flow", "schedule");
    assertThat(validation(() -> new IntegrationDraft("hubspot", "x".repeat(101), SyncFlow.PUSH,
        SyncSchedule.HOURLY, null, null)).getMessage()).contains("name").contains("longer than 100");
  }

  @Test
  void anUninstalledProviderIsRefusedListingTheInstalledOnes() {
    ValidationException e = validation(() -> service.create(acme, new IntegrationDraft("zoho", "x",
        SyncFlow.PUSH, SyncSchedule.MANUAL, Map.of(), Map.of())));

    assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("provider");
    assertThat(e.getMessage()).contains("hubspot").contains("salesforce");
  }

  @Test
  void draftAndUpdateNeverPrintACredential() {
    IntegrationDraft draft = hubspot("x", Map.of("accessToken", TOKEN));
    IntegrationUpdate update = new IntegrationUpdate(null, null, null, null, Map.of("accessToken", TOKEN), null);

    assertThat(draft.toString()).contains("accessToken").doesNotContain(TOKEN);
    assertThat(update.toString()).contains("accessToken").doesNotContain(TOKEN);
  }

  @Test
  void disableAndEnableMoveBetweenPausedAndConnected() {
    TenantIntegration created = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));

    assertThat(service.disable(acme, created.id()).status()).isEqualTo(IntegrationStatus.PAUSED);
    assertThat(service.disable(acme, created.id()).version()).isEqualTo(1);
    assertThatThrownBy(() -> service.syncNow(acme, created.id(), SyncMode.DELTA))
        .isInstanceOf(ConflictException.class).hasMessageContaining("paused");
    assertThat(service.enable(acme, created.id()).status()).isEqualTo(IntegrationStatus.ACTIVE);
  }

  @Test
  void mappingDefaultsToTheProvidersAndStoresValidRules() {
    TenantIntegration created = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));
    assertThat(service.mapping(acme, created.id())).extracting(MappingRule::field)
        .containsExactly("firstName", "lastName", "email", "phone", "segment", "tags");

    List<MappingRule> rules = List.of(new MappingRule("email", "email", SyncFlow.BIDIRECTIONAL, "lowercase"),
        new MappingRule("company", "custom.employer", SyncFlow.PUSH, "trim"));
    assertThat(service.updateMapping(acme, created.id(), rules)).isEqualTo(rules);
    assertThat(service.get(acme, created.id()).mapping()).isEqualTo(rules);

    assertThat(service.updateMapping(acme, created.id(), List.of())).hasSize(6);
  }

  @Test
  void badMappingRulesAreNamed() {
    TenantIntegration created = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));

    assertThat(validation(() -> new MappingRule("emial", "email", SyncFlow.PUSH, null)).fieldErrors())
        .extracting(FieldError::field).containsExactly("field");
    assertThat(validation(() -> new MappingRule("segment", "segment", SyncFlow.PUSH, "lowercase")).fieldErrors())
        .extracting(FieldError::field).containsExactly("transform");
    assertThat(validation(() -> new MappingRule("email", "email", SyncFlow.PUSH, "rot13")).getMessage())
        .contains("none, trim, lowercase, uppercase");
    assertThat(validation(() -> new MappingRule("stats.totalOrders", "custom.orders", SyncFlow.PULL, null))
        .fieldErrors()).extracting(FieldError::field).containsExactly("flow");
    assertThat(validation(() -> service.updateMapping(acme, created.id(), List.of(
        new MappingRule("email", "email", SyncFlow.PUSH, null),
        new MappingRule("email", "custom.mail", SyncFlow.PUSH, null)))).fieldErrors())
        .extracting(FieldError::field).containsExactly("rules[1].field");
  }

  @Test
  void deleteRemovesTheIntegrationAndErasesItsSyncStateWhenAsked() {
    TenantIntegration created = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));

    service.delete(acme, created.id(), true);

    assertThatThrownBy(() -> service.get(acme, created.id())).isInstanceOf(NotFoundException.class);
    assertThat(service.list(acme)).isEmpty();
    assertThatThrownBy(() -> service.delete(acme, created.id(), true)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void anotherTenantGetsNotFoundForTheIdOnEveryMethod() {
    TenantIntegration a = service.create(acme, hubspot("Main", Map.of("accessToken", TOKEN)));
    String id = a.id();
    List<ThrowingCallable> calls = new ArrayList<>(List.of(
        () -> service.get(globex, id),
        () -> service.update(globex, id, new IntegrationUpdate("Stolen", null, null, null, null, null)),
        () -> service.delete(globex, id, true),
        () -> service.enable(globex, id),
        () -> service.disable(globex, id),
        () -> service.mapping(globex, id),
        () -> service.updateMapping(globex, id, List.of()),
        () -> service.testConnection(globex, id),
        () -> service.syncNow(globex, id, SyncMode.FULL),
        () -> service.syncCustomer(globex, id, "c1"),
        () -> service.history(globex, id, 10),
        () -> service.conflicts(globex, id, 10),
        () -> service.resolveConflict(globex, id, "conflict-1", SyncSide.LOCAL, null),
        () -> service.get(acme.toUpperCase(java.util.Locale.ROOT), id),
        () -> service.get(acme + " ", id)));
    Consumer<ThrowingCallable> notFound = call -> assertThatThrownBy(call)
        .isInstanceOf(NotFoundException.class).hasMessageContaining("integration");
    calls.forEach(notFound);

    assertThat(service.list(globex)).isEmpty();
    assertThat(service.get(acme, id)).isEqualTo(a);
  }

  @Test
  void theCatalogueListsInstalledProvidersByCategoryThenName() {
    List<ProviderDescriptor> catalogue = service.catalogue();

    assertThat(catalogue).extracting(ProviderDescriptor::name).contains("hubspot", "salesforce", "memory", "native");
    assertThat(catalogue).isSortedAccordingTo(java.util.Comparator.comparing(ProviderDescriptor::category)
        .thenComparing(d -> d.displayName().toLowerCase(java.util.Locale.ROOT)));
    assertThat(catalogue.get(0).category()).isEqualTo(ProviderCategory.CRM);
  }

  static ValidationException validation(ThrowingCallable call) {
    try {
      call.call();
    } catch (ValidationException e) {
      return e;
    } catch (Throwable t) {
      throw new AssertionError("expected a ValidationException, got " + t, t);
    }
    throw new AssertionError("expected a ValidationException, nothing was thrown");
  }

  static String message(ValidationException e, String field) {
    return e.fieldErrors().stream().filter(f -> f.field().equals(field)).map(FieldError::message).findFirst()
        .orElseThrow();
  }
}
