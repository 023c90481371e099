package dev.crmkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.ChangeBatch;
import dev.crmkit.CustomerChange;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.OAuth2Token;
import dev.crmkit.http.Sleeper;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HubSpotCustomerSystemTest {
  private static final Instant START = Instant.parse("2025-03-14T09:26:53Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final MutableClock clock = new MutableClock(START);
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final HubSpotCustomerSystemProvider provider = new HubSpotCustomerSystemProvider();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  private HubSpotEmulator emulator(HubSpotEmulator.Builder builder) {
    HubSpotEmulator e = builder.clock(clock).build();
    closeables.add(e);
    return e;
  }

  private static TenantConfig.Builder config(String baseUrl) {
    return TenantConfig.builder("t1", "hubspot").setting("baseUrl", baseUrl).setting("proactiveRateLimiting", "false");
  }

  private CustomerSystem open(TenantConfig config, Map<Class<?>, Object> resources) {
    return provider.create(new ProviderContext(config, clock, resources));
  }

  private CustomerSystem open(HubSpotEmulator e, Map<String, String> settings) {
    TenantConfig.Builder c = config(e.baseUrl()).credential("accessToken", e.accessToken());
    settings.forEach(c::setting);
    return open(c.build(), Map.of());
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = HubSpotCustomerSystemTest.class.getResourceAsStream("/hubspot/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void upsertNeverOverwritesAPhoneHolderWithAnotherEmailAndAFragmentMatchesNobody() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    CustomerSystem system = open(e, Map.of());
    Customer ann = system.create(CustomerDraft.builder().firstName("Ann").email("ann@example.com")
        .phone("+1 415 555 0100").build());
    Customer frag = system.create(CustomerDraft.builder().firstName("Frag").email("frag@example.com")
        .phone("-4940").build());

    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().firstName("Bea").email("bea@example.com").phone("415-555-0100").build(),
        CustomerDraft.builder().firstName("Cid").phone("-4940").build()));

    assertThat(outcomes).extracting(UpsertOutcome::status)
        .containsExactly(UpsertOutcome.Status.CREATED, UpsertOutcome.Status.CREATED);
    assertThat(outcomes).extracting(o -> o.customer().id()).doesNotContain(ann.id(), frag.id());
    assertThat(system.require(ann.id()).firstName()).isEqualTo("Ann");
    assertThat(system.require(ann.id()).email()).isEqualTo("ann@example.com");
    assertThat(system.require(frag.id()).firstName()).isEqualTo("Frag");
    assertThat(system.findByPhone("-4940")).isEmpty();
  }

  @Test
  void aContactCreatedWithAnIdempotencyKeyIsFoundByItAndShowsIt() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    HubSpotCustomerSystem system = (HubSpotCustomerSystem) open(e, Map.of());
    CustomerDraft draft = system.withIdempotencyKey(CustomerDraft.builder().firstName("Walk-in").build(), "key-1");

    Customer made = system.bulkWrite(List.of(CustomerWrite.create(draft))).get(0).customer();
    system.create(CustomerDraft.builder().firstName("Walk-in").build());

    assertThat(e.contactProperties(made.id()).orElseThrow().get(HubSpotCustomerSystem.IDEMPOTENCY_KEY_PROPERTY)).isEqualTo("key-1");
    assertThat(system.idempotencyKey(made)).contains("key-1");
    Map<String, Customer> found = system.findByIdempotencyKeys(List.of("key-1", "key-2", "key-3", "key-4", "key-5", "key-6"));
    assertThat(found).containsOnlyKeys("key-1");
    assertThat(found.get("key-1").id()).isEqualTo(made.id());
    assertThat(e.counters().requests(HubSpotCounters.SEARCH)).as("five keys a search").isEqualTo(2);
    assertThatThrownBy(() -> system.withIdempotencyKey(draft, "no spaces"))
        .isInstanceOf(ValidationException.class).hasMessageContaining("idempotencyKey");
  }

  @Test
  void thePortalIdIsTheAccountDetailsPortalOfTheCredentialInDecimal() throws Exception {
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
        .body(fixture("account_details.json")).build());
    server.start();
    HubSpotCustomerSystem system = (HubSpotCustomerSystem) open(config(server.url("/").toString())
        .credential("accessToken", "pat-1").build(), Map.of());

    assertThat(system.portalId()).isEqualTo("2519445");

    RecordedRequest request = server.takeRequest();
    assertThat(request.getMethod()).isEqualTo("GET");
    assertThat(request.getUrl().encodedPath()).isEqualTo("/account-info/v3/details");
    assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer pat-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{}", "{\"portalId\":\"2519445\"}", "{\"portalId\":0}", "{\"portalId\":12.5}"})
  void anAccountDetailsAnswerWithoutAPositiveIntegerPortalIdIsRefused(String body) throws Exception {
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    server.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json").body(body).build());
    server.start();
    HubSpotCustomerSystem system = (HubSpotCustomerSystem) open(config(server.url("/").toString())
        .credential("accessToken", "pat-1").build(), Map.of());

    assertThatThrownBy(system::portalId).isInstanceOf(dev.crmkit.error.CrmException.class)
        .hasMessageContaining("portalId").hasMessageNotContaining("pat-1");
  }

  @Test
  void upsertReadsA207AnswerRecordByRecordThroughTheTraceIds() throws Exception {
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"COMPLETE\",\"results\":[],"
        + "\"startedAt\":\"2025-03-14T09:26:53.000Z\",\"completedAt\":\"2025-03-14T09:26:53.000Z\"}").build());
    server.enqueue(new MockResponse.Builder().code(207).body(fixture("batch_upsert_partial.json")).build());
    server.start();
    CustomerSystem system = open(config(server.url("/").toString()).credential("accessToken", "pat-1").build(), Map.of());

    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().firstName("Good").email("good@example.com").build(),
        CustomerDraft.builder().firstName("Bad").email("bad@example.com").build()));

    assertThat(outcomes).extracting(UpsertOutcome::status)
        .containsExactly(UpsertOutcome.Status.CREATED, UpsertOutcome.Status.REJECTED);
    assertThat(outcomes.get(0).customer().id()).isEqualTo("501");
    assertThat(outcomes.get(1).error()).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).contains("lifecyclestage"));

    RecordedRequest read = server.takeRequest();
    assertThat(read.getUrl().encodedPath()).isEqualTo("/crm/v3/objects/contacts/batch/read");
    JsonNode readBody = JSON.readTree(read.getBody().utf8());
    assertThat(readBody.path("idProperty").asText()).isEqualTo("email");
    assertThat(readBody.path("propertiesWithHistory").isArray()).isTrue();
    RecordedRequest upsert = server.takeRequest();
    assertThat(upsert.getUrl().encodedPath()).isEqualTo("/crm/v3/objects/contacts/batch/upsert");
    assertThat(upsert.getHeaders().get("Authorization")).isEqualTo("Bearer pat-1");
    JsonNode inputs = JSON.readTree(upsert.getBody().utf8()).path("inputs");
    assertThat(inputs).hasSize(2);
    assertThat(inputs.get(1).path("id").asText()).isEqualTo("bad@example.com");
    assertThat(inputs.get(1).path("idProperty").asText()).isEqualTo("email");
    assertThat(inputs.get(1).path("objectWriteTraceId").asText()).isEqualTo("1");
  }

  @Test
  void aBatchHubSpotRefusesAsAWholeRejectsItsDraftsAndKeepsTheOutcomesOfEarlierRounds() throws Exception {
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    String contact = "{\"id\":\"501\",\"properties\":{\"email\":\"ann@example.com\",\"firstname\":\"Ann\","
        + "\"createdate\":\"2025-03-14T09:26:53.000Z\",\"lastmodifieddate\":\"2025-03-14T09:26:53.000Z\"},"
        + "\"createdAt\":\"2025-03-14T09:26:53.000Z\",\"updatedAt\":\"2025-03-14T09:26:53.000Z\",\"archived\":false";
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"COMPLETE\",\"results\":[]}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"COMPLETE\",\"results\":[" + contact
        + ",\"new\":true,\"objectWriteTraceId\":\"0\"}]}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"status\":\"COMPLETE\",\"results\":[" + contact + "}]}").build());
    server.enqueue(new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json")
        .body("{\"status\":\"error\",\"message\":\"Property values were not valid\",\"correlationId\":\"c-1\","
            + "\"category\":\"VALIDATION_ERROR\",\"errors\":[{\"message\":\"not a valid option\","
            + "\"code\":\"INVALID_OPTION\",\"context\":{\"propertyName\":[\"crmkit_tags\"]}}]}").build());
    server.start();
    CustomerSystem system = open(config(server.url("/").toString()).credential("accessToken", "pat-1").build(), Map.of());

    List<UpsertOutcome> outcomes = system.upsert(List.of(
        CustomerDraft.builder().firstName("Ann").email("ann@example.com").build(),
        CustomerDraft.builder().lastName("Lee").email("ann@example.com").build()));

    assertThat(outcomes).extracting(UpsertOutcome::status)
        .containsExactly(UpsertOutcome.Status.CREATED, UpsertOutcome.Status.REJECTED);
    assertThat(outcomes.get(0).customer().id()).isEqualTo("501");
    assertThat(outcomes.get(1).error()).isInstanceOf(ValidationException.class);
  }

  @Test
  void aRateLimitedCallWaitsForRetryAfterAndSucceeds() throws Exception {
    MockWebServer server = new MockWebServer();
    closeables.add(server);
    server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "2")
        .body("{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\","
            + "\"errorType\":\"RATE_LIMIT\",\"correlationId\":\"c-1\",\"policyName\":\"TEN_SECONDLY_ROLLING\"}").build());
    server.enqueue(new MockResponse.Builder().code(200).body("{\"id\":\"7\",\"properties\":{\"firstname\":\"Ada\","
        + "\"createdate\":\"2025-03-14T09:26:53.000Z\",\"lastmodifieddate\":\"2025-03-14T09:26:53.000Z\"},"
        + "\"createdAt\":\"2025-03-14T09:26:53.000Z\",\"updatedAt\":\"2025-03-14T09:26:53.000Z\",\"archived\":false}").build());
    server.start();
    List<Duration> waits = new CopyOnWriteArrayList<>();
    Sleeper sleeper = d -> {
      waits.add(d);
      clock.advance(d);
    };
    CustomerSystem system = open(config(server.url("/").toString()).credential("accessToken", "pat-1").build(),
        Map.of(Sleeper.class, sleeper));

    assertThat(system.get("7")).map(Customer::firstName).contains("Ada");
    assertThat(waits).containsExactly(Duration.ofSeconds(2));
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/crm/v3/objects/contacts/7");
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/crm/v3/objects/contacts/7");
  }

  /** Creates eight contacts through a provider whose waits advance the clock; returns the emulator. */
  private HubSpotEmulator createEightAgainstABudgetOfThree(Map<String, String> settings) {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().tenSecondlyLimit(3));
    TenantConfig.Builder config = TenantConfig.builder("t1", "hubspot").setting("baseUrl", e.baseUrl())
        .credential("accessToken", e.accessToken());
    settings.forEach(config::setting);
    CustomerSystem system = open(config.build(), Map.of(Sleeper.class, (Sleeper) clock::advance));
    for (int i = 0; i < 8; i++) {
      system.create(CustomerDraft.builder().firstName("N" + i).build());
    }
    assertThat(e.liveContactCount()).isEqualTo(8);
    return e;
  }

  @Test
  void theProactiveLimiterKeepsCallsUnderTheAccountsBudget() {
    HubSpotEmulator e = createEightAgainstABudgetOfThree(Map.of("tenSecondlyLimit", "3"));
    assertThat(e.counters().rateLimitedResponses()).isZero();
    assertThat(clock.instant()).isAfterOrEqualTo(START.plusSeconds(20));
  }

  @Test
  void hubSpotsRateLimitHeadersPauseTheAccountBeforeItRunsIntoA429() {
    // Configured for 100 per 10 s, but X-HubSpot-RateLimit-Remaining: 0 holds the account for the interval.
    HubSpotEmulator e = createEightAgainstABudgetOfThree(Map.of());
    assertThat(e.counters().rateLimitedResponses()).isZero();
    assertThat(clock.instant()).isAfterOrEqualTo(START.plusSeconds(20));
  }

  @Test
  void searchPagesPastTheResultCapByStartingANewWindowAtTheLastModifiedTime() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false).searchResultCap(5));
    Set<String> created = new HashSet<>();
    CustomerSystem system = open(e, Map.of("searchResultCap", "5"));
    for (int i = 0; i < 17; i++) {
      if (i % 3 == 0) {
        clock.advance(Duration.ofMillis(1));
      }
      created.add(system.create(CustomerDraft.builder().firstName("Many").lastName("No" + i).build()).id());
    }
    List<String> seen = system.search(CustomerQuery.builder().name("many").limit(1000).build()).stream()
        .map(Customer::id).toList();
    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(e.counters().requests(HubSpotCounters.SEARCH)).isGreaterThan(4);
  }

  @Test
  void theChangeFeedRereadsTheOverlapAndLeavesOutWhatTheCursorCovered() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    CustomerSystem system = open(e, Map.of("changeFeedOverlapSeconds", "60"));
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      first.add(system.create(CustomerDraft.builder().firstName("Same").lastName("Ms" + i).build()).id());
    }
    ChangeBatch batch = system.changesSince(null, 100);
    assertThat(batch.changes()).extracting(CustomerChange::customerId).containsExactlyElementsOf(first);

    clock.advance(Duration.ofSeconds(10));
    Customer later = system.create(CustomerDraft.builder().firstName("Later").build());
    Customer changed = system.update(first.get(2), CustomerUpdate.builder().company("Acme").build());
    ChangeBatch next = system.changesSince(batch.nextCursor(), 100);

    assertThat(next.changes()).extracting(CustomerChange::customerId).containsExactlyInAnyOrder(later.id(), changed.id());
    assertThat(system.changesSince(next.nextCursor(), 100).changes()).isEmpty();
    assertThat(e.counters().requests(HubSpotCounters.SEARCH)).isPositive();
  }

  @Test
  void theChangeFeedReportsAnArchivedListItemWithoutArchivedAtOnceAtItsReadTime() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false).archivedListWithoutArchiveFields(true));
    CustomerSystem system = open(e, Map.of("changeFeedOverlapSeconds", "60"));
    Customer kept = system.create(CustomerDraft.builder().firstName("Kept").build());
    Customer gone = system.create(CustomerDraft.builder().firstName("Gone").build());
    ChangeBatch first = system.changesSince(null, 100);
    clock.advance(Duration.ofMinutes(10));
    system.delete(gone.id());
    clock.advance(Duration.ofSeconds(5));
    Instant readAt = clock.instant();

    ChangeBatch next = system.changesSince(first.nextCursor(), 100);
    clock.advance(Duration.ofMinutes(10));
    Customer later = system.update(kept.id(), CustomerUpdate.builder().company("Acme").build());
    ChangeBatch after = system.changesSince(next.nextCursor(), 100);

    assertThat(next.changes()).singleElement().satisfies(change -> {
      assertThat(change.type()).isEqualTo(dev.crmkit.ChangeType.DELETED);
      assertThat(change.customerId()).isEqualTo(gone.id());
      assertThat(change.changedAt()).isEqualTo(readAt);
      assertThat(change.customer().deletedAt()).as("updatedAt stands in").isEqualTo(gone.updatedAt());
    });
    assertThat(after.changes()).extracting(CustomerChange::customerId).containsExactly(later.id());
    assertThat(system.changesSince(after.nextCursor(), 100).changes()).isEmpty();
    assertThat(system.search(CustomerQuery.builder().includeDeleted(true).build()).items())
        .extracting(Customer::id, c -> c.deletedAt() != null)
        .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(kept.id(), false),
            org.assertj.core.groups.Tuple.tuple(gone.id(), true));
  }

  @Test
  void anExpiredOAuthTokenIsRefreshedOnceAndTheCallSentAgain() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false).oauthClient("client-1", "secret-1"));
    Map<String, OAuth2Token> saved = new HashMap<>();
    List<String> tenants = new ArrayList<>();
    HubSpotTokenStore store = (tenant, tokens) -> {
      tenants.add(tenant);
      saved.put(tenant, tokens);
    };
    TenantConfig config = config(e.baseUrl()).credential("clientId", "client-1").credential("clientSecret", "secret-1")
        .credential("refreshToken", e.newRefreshToken()).build();
    CustomerSystem system = open(config, Map.of(HubSpotTokenStore.class, store));

    Customer c = system.create(CustomerDraft.builder().firstName("Oauth").build());
    String firstToken = saved.get("t1").accessToken();
    e.expireAccessTokens();
    assertThat(system.get(c.id())).map(Customer::firstName).contains("Oauth");

    assertThat(tenants).containsExactly("t1", "t1");
    assertThat(saved.get("t1").accessToken()).isNotEqualTo(firstToken);
  }

  @Test
  void aWrongClientSecretFailsEvenWhileAnotherTenantsTokensForTheSameRefreshTokenAreCached() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false).oauthClient("client-1", "secret-1"));
    Map<String, OAuth2Token> saved = new HashMap<>();
    HubSpotTokenStore store = saved::put;
    String refresh = e.newRefreshToken();
    CustomerSystem good = open(TenantConfig.builder("good", "hubspot").setting("baseUrl", e.baseUrl())
        .setting("proactiveRateLimiting", "false").credential("clientId", "client-1").credential("clientSecret", "secret-1")
        .credential("refreshToken", refresh).build(), Map.of(HubSpotTokenStore.class, store));
    Customer c = good.create(CustomerDraft.builder().firstName("Cached").build());
    long tokenCalls = e.counters().requests(HubSpotCounters.OAUTH_TOKEN);

    CustomerSystem wrong = open(TenantConfig.builder("wrong", "hubspot").setting("baseUrl", e.baseUrl())
        .setting("proactiveRateLimiting", "false").credential("clientId", "client-1").credential("clientSecret", "not-it")
        .credential("refreshToken", refresh).build(), Map.of(HubSpotTokenStore.class, store));

    assertThatThrownBy(() -> wrong.get(c.id())).isInstanceOfSatisfying(dev.crmkit.error.AuthenticationException.class,
        ex -> assertThat(ex.httpStatus()).isEqualTo(400)).hasMessageNotContaining("not-it");
    assertThat(e.counters().requests(HubSpotCounters.OAUTH_TOKEN)).isEqualTo(tokenCalls + 1);
    assertThat(saved).containsOnlyKeys("good");
    assertThat(good.get(c.id())).map(Customer::firstName).contains("Cached");
  }

  @Test
  void bulkWriteSendsOneBatchCallPerHundredWritesAndKeepsTheOrderOfWritesToOneRecord() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    CustomerSystem system = open(e, Map.of("writeConcurrency", "3"));
    List<CustomerWrite> writes = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      writes.add(CustomerWrite.create(CustomerDraft.builder().firstName("P" + i).email("p" + i + "@example.com").build()));
    }
    writes.add(CustomerWrite.create(CustomerDraft.builder().firstName("Later").email("p7@example.com").build()));

    List<UpsertOutcome> outcomes = system.bulkWrite(writes);

    assertThat(outcomes).hasSize(251);
    assertThat(outcomes.subList(0, 250)).allSatisfy(o -> assertThat(o.status()).isEqualTo(UpsertOutcome.Status.CREATED));
    assertThat(outcomes.get(250).status()).isEqualTo(UpsertOutcome.Status.UPDATED);
    assertThat(outcomes.get(250).customer().id()).isEqualTo(outcomes.get(7).customer().id());
    assertThat(system.findByEmail("p7@example.com")).map(Customer::firstName).contains("Later");
    assertThat(e.counters().requests(HubSpotCounters.BATCH_UPSERT)).as("3 batches, then the later wave").isEqualTo(4);
    assertThat(e.liveContactCount()).isEqualTo(250);
  }

  @Test
  void aFailingBatchCallFailsBulkWriteAfterTheOtherCallsStoredTheirRecords() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    CustomerSystem system = open(e, Map.of("writeConcurrency", "1"));
    List<CustomerWrite> writes = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      writes.add(CustomerWrite.create(CustomerDraft.builder().firstName("Q" + i).email("q" + i + "@example.com").build()));
    }
    e.faults().failNext(1, 401);

    assertThatThrownBy(() -> system.bulkWrite(writes)).isInstanceOf(dev.crmkit.error.AuthenticationException.class);
    assertThat(e.liveContactCount()).as("the second batch still ran").isEqualTo(50);
  }

  @Test
  void anEmailWithASlashInItsLocalPartIsFoundThroughTheBatchReadNotTheUrlPath() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    String id = e.seedContact(Map.of("firstname", "Slash", "email", "sales/eu@example.com"));
    CustomerSystem system = open(e, Map.of());

    assertThat(system.findByEmail("Sales/EU@example.com")).map(Customer::id).contains(id);
    assertThat(system.findByEmail("sales/us@example.com")).isEmpty();
    assertThat(e.counters().requests(HubSpotCounters.BATCH_READ)).isEqualTo(2);
  }

  @Test
  void missingOrMalformedSettingsAreConfigurationErrorsNamingThem() {
    assertThatThrownBy(() -> open(config("http://127.0.0.1:1").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("accessToken").hasMessageContaining("refreshToken");
    assertThatThrownBy(() -> open(config("http://127.0.0.1:1").credential("accessToken", "x")
        .setting("tenSecondlyLimit", "lots").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("tenSecondlyLimit").hasMessageContaining("lots");
    assertThatThrownBy(() -> HubSpotCustomerSystemProvider.DESCRIPTOR.validate(config("http://127.0.0.1:1")
        .credential("accessToken", "x").setting("tenSecondlyLimt", "100").build()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("tenSecondlyLimt");
    assertThatThrownBy(() -> open(config("not a url").credential("accessToken", "x").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("baseUrl");
    assertThatThrownBy(() -> open(config("http://127.0.0.1:1").credential("clientId", "c").credential("clientSecret", "s")
        .credential("refreshToken", "r").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("HubSpotTokenStore");
    assertThatThrownBy(() -> open(config("http://127.0.0.1:1").credential("accessToken", "x")
        .setting("customField.loyalty", "Not A Property").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Not A Property");
    assertThatThrownBy(() -> open(config("http://127.0.0.1:1").credential("accessToken", "x")
        .setting("customField.loyalty", "email").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("customField.").hasMessageContaining("'email'");
    assertThatThrownBy(() -> open(config("http://127.0.0.1:1").credential("accessToken", "x")
        .setting("writeConcurrency", "0").build(), Map.of()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("writeConcurrency");
  }

  @Test
  void theProviderIsFoundByServiceLoaderThroughTheIntegrationFactory() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    try (IntegrationFactory factory = IntegrationFactory.builder().clock(clock).build()) {
      assertThat(factory.providerNames()).contains("hubspot");
      CustomerSystem system = factory.system(config(e.baseUrl()).credential("accessToken", e.accessToken()).build());
      assertThat(system).isInstanceOf(HubSpotCustomerSystem.class);
      assertThat(system.create(CustomerDraft.builder().email("sl@example.com").build()).email()).isEqualTo("sl@example.com");
    }
  }

  @Test
  void restoreIsUnsupportedBecauseHubSpotsApiHasNone() {
    HubSpotEmulator e = emulator(HubSpotEmulator.builder().rateLimits(false));
    CustomerSystem system = open(e, Map.of());
    assertThat(system.supports(Capability.RESTORE)).isFalse();
    assertThatThrownBy(() -> system.restore("1")).isInstanceOfSatisfying(UnsupportedCapabilityException.class,
        x -> assertThat(x.capability()).isEqualTo(Capability.RESTORE));
  }
}
