package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.Page;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.StaticToken;
import dev.crmkit.salesforce.internal.ApiUsage;
import dev.crmkit.salesforce.internal.SalesforceApi;
import dev.crmkit.salesforce.internal.SalesforceErrors;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.openapi.ConformanceReport;
import dev.crmkit.testkit.openapi.HttpExchange;
import dev.crmkit.testkit.openapi.RecordingInterceptor;
import dev.crmkit.testkit.openapi.SalesforceConformance;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every request the Salesforce provider sends agrees with Salesforce's published material (issue 11,
 * section 4), operation by operation. Each {@link Scenario} opens the provider against a {@link
 * SalesforceEmulator} with an OkHttp client that records every exchange, drives one provider
 * operation, and checks what was recorded with {@link SalesforceConformance}:
 *
 * <ul>
 *   <li>each request against the sObjects OpenAPI subset where it has the path (record create, update,
 *       delete, describe) and against the Postman collection's request shapes (query and queryAll,
 *       sObject Collections, composite, Bulk API 2.0, OAuth token), with undeclared body keys
 *       rejected; record bodies may carry the fields of the emulated org's describe;
 *   <li>exactly which operations of either material the scenario used, and exactly which requests
 *       lie in neither (the {@code nextRecordsUrl} page, which the collection does not have), so a
 *       new request cannot slip in unchecked;
 *   <li>the emulator's answers against the OpenAPI where it documents them, allowing only {@link
 *       dev.crmkit.testkit.openapi.SalesforceOpenApi#KNOWN_RESPONSE_DEPARTURES}.
 * </ul>
 *
 * <p>To cover a new provider operation (notes, tasks and events, deals, the change feed, Bulk API
 * 2.0, {@code /limits}, other token grants):
 *
 * <ol>
 *   <li>add a {@link Scenario} to {@link #scenarios()}: the {@link CustomerSystem} method it drives
 *       (or {@code "SalesforceApi.x"} for an internal call), a name, the driving code (set up through
 *       the emulator's hooks or the system, then {@link Run#recordFromHere()}, then the call and an
 *       assertion on its result), and the operations its requests use: the OpenAPI's as {@code
 *       "METHOD /sobjects/..."} (paths after {@code /services/data/vNN.N}), the collection's by file
 *       name such as {@code "bulk_v2/create_job"} ({@code PostmanShapes.REQUESTS} lists them);
 *   <li>add any operation new to the provider to {@link #USED_OPERATIONS}, any request in neither
 *       material to {@link #OUTSIDE_BOTH} (as a template, normalized in {@code run}), and each new
 *       {@link SalesforceApi} method to {@link #API_METHODS};
 *   <li>run it: a failure prints the operations, the requests outside both and every exchange.
 * </ol>
 *
 * <p>{@link #everyCustomerSystemMethodTheProviderImplementsHasAScenario} and {@link
 * #everySalesforceApiRequestIsListed} fail until a new method is covered.
 */
class SalesforceRequestConformanceTest {
  private static final Instant START = Instant.parse("2025-03-14T09:26:53Z");
  private static final List<String> DESCRIBED = List.of("Contact", "Lead", "Account", "Task", "Event", "Note",
      "Opportunity", "OpportunityContactRole");

  // sObjects OpenAPI operations (paths relative to /services/data/vNN.N)
  static final String DESCRIBE = "GET /sobjects/{sObject}/describe";
  static final String CREATE_CONTACT = "POST /sobjects/Contact";
  static final String CREATE_ACCOUNT = "POST /sobjects/Account";
  static final String UPDATE_CONTACT = "PATCH /sobjects/Contact/{id}";
  static final String DELETE_CONTACT = "DELETE /sobjects/Contact/{id}";
  // Postman collection operations (file names)
  static final String QUERY = "rest/query";
  static final String QUERY_ALL = "rest/queryall";
  static final String DESCRIBE_SHAPE = "rest/sobject_describe";
  static final String CREATE_SHAPE = "rest/sobject_create";
  static final String UPDATE_SHAPE = "rest/sobject_rows_update";
  static final String DELETE_SHAPE = "rest/sobject_rows_delete";
  static final String COLLECTIONS_CREATE = "composite/sobject_collections_create";
  static final String COLLECTIONS_UPDATE = "composite/sobject_collections_update";
  static final String REFRESH_TOKEN = "auth/refresh_token";
  // Requests in neither material, with the record or locator as {locator}
  static final String QUERY_MORE = "GET /services/data/v{version}/query/{locator}";

  /** Every operation of either material the provider uses. */
  static final SortedSet<String> USED_OPERATIONS = new TreeSet<>(List.of(DESCRIBE, CREATE_CONTACT, CREATE_ACCOUNT,
      UPDATE_CONTACT, DELETE_CONTACT, QUERY, QUERY_ALL, DESCRIBE_SHAPE, CREATE_SHAPE, UPDATE_SHAPE, DELETE_SHAPE,
      COLLECTIONS_CREATE, COLLECTIONS_UPDATE, REFRESH_TOKEN));

  /** Every request the provider sends that neither material covers. */
  static final SortedSet<String> OUTSIDE_BOTH = new TreeSet<>(List.of(QUERY_MORE));

  /** Which SalesforceApi method sends which requests; a new method fails {@link #everySalesforceApiRequestIsListed}. */
  static final Map<String, List<String>> API_METHODS = Map.ofEntries(
      Map.entry("describe", List.of(DESCRIBE, DESCRIBE_SHAPE)),
      Map.entry("create", List.of(CREATE_CONTACT, CREATE_ACCOUNT, CREATE_SHAPE)),
      Map.entry("update", List.of(UPDATE_CONTACT, UPDATE_SHAPE)),
      Map.entry("delete", List.of(DELETE_CONTACT, DELETE_SHAPE)),
      Map.entry("collection", List.of(COLLECTIONS_CREATE, COLLECTIONS_UPDATE)),
      Map.entry("query", List.of(QUERY, QUERY_ALL, QUERY_MORE)),
      Map.entry("queryMore", List.of(QUERY_MORE)),
      Map.entry("queryAllPages", List.of(QUERY, QUERY_ALL, QUERY_MORE)));

  /** SalesforceApi methods that send nothing themselves ({@code send} carries the others' requests). */
  static final Set<String> API_WITHOUT_REQUESTS = Set.of("data", "usage", "send");

  /** SalesforceCustomerSystem methods that send no request. */
  static final Set<String> NO_REQUESTS = Set.of("providerName", "tenantId", "capabilities", "close", "toString");

  private static final Pattern LOCATOR = Pattern.compile("^/services/data/v\\d+\\.\\d/query/[^/]+$");

  /**
   * One provider operation and what it should send.
   *
   * @param operation the {@link CustomerSystem} method driven (or {@code SalesforceApi.x} for an internal call)
   * @param name the test's display name
   * @param drive sets up (then calls {@link Run#recordFromHere()}) and runs the operation
   * @param operations the operations of either material its requests match, exactly
   * @param outsideBoth its requests neither material covers, exactly, as templates
   */
  record Scenario(String operation, String name, Consumer<Run> drive, Set<String> operations, Set<String> outsideBoth) {
    Scenario(String operation, String name, Consumer<Run> drive, List<String> operations) {
      this(operation, name, drive, Set.copyOf(operations), Set.of());
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** One emulator and a provider on a recording client; what a scenario sees. */
  static final class Run implements AutoCloseable {
    final MutableClock clock = new MutableClock(START);
    final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).oauthClient("client-1", "secret-1")
        .build();
    final RecordingInterceptor recorder = new RecordingInterceptor();
    final OkHttpClient client = new OkHttpClient.Builder().addInterceptor(recorder).build();
    final SalesforceCustomerSystemProvider provider = new SalesforceCustomerSystemProvider();
    final List<String> savedTokens = new ArrayList<>();
    final CustomerSystem system = open(TenantConfig.builder("t1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken()));

    CustomerSystem open(TenantConfig.Builder config) {
      config.setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
          .setting(SalesforceCustomerSystemProvider.LOGIN_URL, emulator.baseUrl());
      SalesforceTokenStore store = (tenant, tokens) -> savedTokens.add(tokens.accessToken());
      return provider.create(new ProviderContext(config.build(), clock,
          Map.of(OkHttpClient.class, client, SalesforceTokenStore.class, store)));
    }

    String seed(String email, String lastName) {
      return emulator.insert("Contact", Map.of("Email", email, "LastName", lastName));
    }

    /** Forgets the set-up's exchanges: the checks see the operation's only. */
    void recordFromHere() {
      recorder.clear();
    }

    @Override
    public void close() {
      emulator.close();
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  static Stream<Scenario> scenarios() {
    return Stream.of(
        new Scenario("get", "get, describing the object first", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          assertThat(r.system.get(id)).map(Customer::lastName).contains("Lovelace");
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
        new Scenario("get", "get of a merged-away id, following MasterRecordId", r -> {
          String master = r.seed("ada@example.com", "Lovelace");
          String loser = r.seed("augusta@example.com", "Byron");
          r.emulator.merge(master, loser);
          r.system.get(master);
          r.recordFromHere();
          assertThat(r.system.get(loser)).map(Customer::id).contains(master);
        }, List.of(QUERY_ALL)),
        new Scenario("get", "get of a deleted id", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          r.emulator.delete(id);
          assertThat(r.system.get(id)).map(Customer::deletedAt).isPresent();
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
        new Scenario("get", "get of a company's contact, reading the Account name", r -> {
          String account = r.emulator.insert("Account", Map.of("Name", "Analytical Engines"));
          String id = r.emulator.insert("Contact", Map.of("LastName", "Lovelace", "AccountId", account));
          assertThat(r.system.get(id)).map(Customer::company).contains("Analytical Engines");
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL, QUERY)),
        new Scenario("findByEmail", "findByEmail with a quote in the address", r -> {
          r.seed("o'brien@example.com", "O'Brien");
          assertThat(r.system.findByEmail("O'Brien@Example.com")).map(Customer::lastName).contains("O'Brien");
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("findByPhone", "findByPhone", r -> {
          r.emulator.insert("Contact", Map.of("LastName", "Lovelace", "Phone", "+14155550100"));
          assertThat(r.system.findByPhone("(415) 555-0100")).map(Customer::lastName).contains("Lovelace");
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("search", "search by name, two pages", r -> {
          r.seed("a@example.com", "Lovelace");
          r.seed("b@example.com", "Lovelock");
          Page<Customer> first = r.system.search(CustomerQuery.builder().name("Love").limit(1).build());
          assertThat(first.hasNext()).isTrue();
          assertThat(first.next().items()).hasSize(1);
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("search", "search including deleted customers", r -> {
          String id = r.seed("a@example.com", "Lovelace");
          r.emulator.delete(id);
          assertThat(r.system.search(CustomerQuery.builder().includeDeleted(true).build()).items())
              .extracting(Customer::id).containsExactly(id);
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
        new Scenario("create", "create with a company, checking email and phone first", r -> {
          Customer c = r.system.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace")
              .email("ada@example.com").phone("+14155550100").company("Analytical Engines").segment(Segment.VIP)
              .build());
          assertThat(c.company()).isEqualTo("Analytical Engines");
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, CREATE_ACCOUNT, CREATE_CONTACT, CREATE_SHAPE)),
        new Scenario("create", "create of a taken email (no write)", r -> {
          r.seed("ada@example.com", "Lovelace");
          assertThatThrownBy(() -> r.system.create(CustomerDraft.builder().lastName("Other").email("ada@example.com")
              .build())).isInstanceOf(ConflictException.class);
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("update", "update clearing the phone", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          r.system.get(id);
          r.recordFromHere();
          Customer c = r.system.update(id, CustomerUpdate.builder().firstName("Ada").phone(null).build());
          assertThat(c.firstName()).isEqualTo("Ada");
        }, List.of(QUERY_ALL, UPDATE_CONTACT, UPDATE_SHAPE)),
        new Scenario("delete", "delete to the recycle bin", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          r.system.delete(id);
          assertThat(r.emulator.record(id)).map(m -> m.get("IsDeleted")).contains(true);
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL, DELETE_CONTACT, DELETE_SHAPE)),
        new Scenario("bulkWrite", "bulkWrite, creates and updates through sObject Collections", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          List<UpsertOutcome> outcomes = r.system.bulkWrite(List.of(
              CustomerWrite.create(CustomerDraft.builder().lastName("Hopper").email("grace@example.com")
                  .segment(Segment.STANDARD).build()),
              CustomerWrite.update(id, CustomerUpdate.builder().firstName("Ada").build())));
          assertThat(outcomes).extracting(UpsertOutcome::status)
              .containsExactly(UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED);
        }, List.of(DESCRIBE, DESCRIBE_SHAPE, COLLECTIONS_CREATE, COLLECTIONS_UPDATE, QUERY)),
        new Scenario("get", "get after the session expired: refresh, then the call again", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerSystem oauth = r.open(TenantConfig.builder("t2", "salesforce")
              .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, r.emulator.accessToken())
              .credential(SalesforceCustomerSystemProvider.CLIENT_ID, "client-1")
              .credential(SalesforceCustomerSystemProvider.CLIENT_SECRET, "secret-1")
              .credential(SalesforceCustomerSystemProvider.REFRESH_TOKEN, r.emulator.newRefreshToken()));
          oauth.get(id);
          r.emulator.expireSessions();
          r.recordFromHere();
          assertThat(oauth.get(id)).isPresent();
          assertThat(r.savedTokens).hasSize(1);
          assertThat(r.recorder.exchanges()).extracting(HttpExchange::status).containsExactly(401, 200, 200);
        }, List.of(QUERY_ALL, REFRESH_TOKEN)),
        new Scenario("SalesforceApi.query", "a query past one batch, paging through nextRecordsUrl", r -> {
          for (int i = 0; i < 201; i++) {
            r.seed("m" + i + "@example.com", "Many" + i);
          }
          SalesforceApi api = new SalesforceApi(HttpConnector.builder().vendor("salesforce").baseUrl(r.emulator.baseUrl())
              .clock(r.clock).auth(StaticToken.of(r.emulator.accessToken())).errorParser(new SalesforceErrors())
              .okHttpClient(r.client).build(), SalesforceCustomerSystemProvider.DEFAULT_API_VERSION,
              new ApiUsage(r.clock, 10));
          List<Map<String, Object>> rows = new ArrayList<>();
          api.query("SELECT Id FROM Contact", false, 200).autoPaging().forEach(rows::add);
          assertThat(rows).hasSize(201);
        }, Set.of(QUERY), Set.of(QUERY_MORE)));
  }

  /** What one scenario sent, checked. */
  private record Checked(ConformanceReport report, SortedSet<String> outsideBoth, List<HttpExchange> exchanges) {
    List<String> requestViolations() {
      return report.violations().stream().filter(v -> !v.contains(": response ")).toList();
    }

    List<String> responseViolations() {
      return report.violations().stream().filter(v -> v.contains(": response ")).toList();
    }

    String describe(Scenario scenario) {
      StringBuilder text = new StringBuilder(scenario.name()).append("\noperations: ")
          .append(report.exercisedOperations()).append("\noutside both: ").append(outsideBoth)
          .append("\nviolations: ").append(report.violations()).append("\nexchanges:\n");
      for (HttpExchange e : exchanges) {
        String body = e.requestBody() == null ? "" : e.requestBody();
        text.append("  ").append(e.method()).append(' ').append(e.url()).append(' ')
            .append(body.length() > 400 ? body.substring(0, 400) + "..." : body)
            .append(" -> ").append(e.status()).append('\n');
      }
      return text.toString();
    }
  }

  private static Checked run(Scenario scenario) {
    try (Run run = new Run()) {
      SalesforceConformance conformance = conformance(run.emulator);
      scenario.drive().accept(run);
      List<HttpExchange> exchanges = run.recorder.exchanges();
      assertThat(exchanges).as("%s sent no request", scenario).isNotEmpty();
      ConformanceReport report = conformance.report(exchanges);
      SortedSet<String> outside = new TreeSet<>();
      for (String uncovered : report.uncoveredRequests()) {
        String request = uncovered.substring(0, uncovered.indexOf(": not covered"));
        String method = request.substring(0, request.indexOf(' '));
        String path = request.substring(request.indexOf(' ') + 1);
        outside.add(LOCATOR.matcher(path).matches() ? method + " /services/data/v{version}/query/{locator}" : request);
      }
      return new Checked(report, outside, exchanges);
    }
  }

  private static SalesforceConformance conformance;

  /**
   * Both materials, with the emulated org's describe of every object the provider writes; built once
   * (every emulator describes the same org) since it parses the OpenAPI document.
   */
  private static synchronized SalesforceConformance conformance(SalesforceEmulator emulator) {
    if (conformance != null) {
      return conformance;
    }
    SalesforceConformance.Builder builder = SalesforceConformance.builder();
    OkHttpClient plain = new OkHttpClient();
    for (String type : DESCRIBED) {
      Request request = new Request.Builder()
          .url(HttpUrl.get(emulator.baseUrl() + "/services/data/" + emulator.apiVersion() + "/sobjects/" + type
              + "/describe"))
          .header("Authorization", "Bearer " + emulator.accessToken()).build();
      try (Response response = plain.newCall(request).execute()) {
        assertThat(response.code()).as("describe %s", type).isEqualTo(200);
        builder.describe(response.body().string());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    plain.dispatcher().executorService().shutdown();
    plain.connectionPool().evictAll();
    conformance = builder.build();
    return conformance;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void everyRequestOfTheOperationConformsToSalesforcesMaterial(Scenario scenario) {
    Checked checked = run(scenario);

    assertThat(checked.requestViolations()).as(checked.describe(scenario)).isEmpty();
    assertThat(checked.report().exercisedOperations()).as(checked.describe(scenario))
        .containsExactlyInAnyOrderElementsOf(scenario.operations());
    assertThat(checked.outsideBoth()).as(checked.describe(scenario))
        .containsExactlyInAnyOrderElementsOf(scenario.outsideBoth());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void theEmulatorsAnswersToTheOperationConformToTheOpenApi(Scenario scenario) {
    Checked checked = run(scenario);

    assertThat(checked.responseViolations()).as(checked.describe(scenario)).isEmpty();
  }

  /** The check can fail: wrong requests of the kinds the provider sends are each caught. */
  @Test
  void aWrongRequestFailsTheCheck() {
    SalesforceConformance conformance = SalesforceConformance.builder().build();
    String data = "https://acme.my.salesforce.com/services/data/v59.0";
    HttpExchange collectionWithoutType = HttpExchange.json("POST", data + "/composite/sobjects",
        "{\"allOrNone\":false,\"records\":[{\"LastName\":\"Lovelace\"}]}", 200, null);
    HttpExchange queryWithoutQ = HttpExchange.json("GET", data + "/query", null, 200, null);
    HttpExchange jobWithoutOperation = HttpExchange.json("POST", data + "/jobs/ingest",
        "{\"object\":\"Contact\",\"contentType\":\"CSV\"}", 200, null);
    HttpExchange createWithMisspeltField = HttpExchange.json("POST", data + "/sobjects/Contact",
        "{\"LastName\":\"Lovelace\",\"Emial\":\"ada@example.com\"}", 201,
        "{\"id\":\"003000000000001AAA\",\"success\":true,\"errors\":[]}");
    HttpExchange tokenAsJson = HttpExchange.json("POST", "https://login.salesforce.com/services/oauth2/token",
        "{\"grant_type\":\"refresh_token\"}", 200, null);
    HttpExchange csvAsJson = HttpExchange.json("PUT", data + "/jobs/ingest/7505e000001NLkPAAW/batches",
        "LastName\nLovelace\n", 201, null);

    assertThat(conformance.check(collectionWithoutType).violations()).singleElement().asString()
        .contains("attributes.type");
    assertThat(conformance.check(queryWithoutQ).violations()).singleElement().asString()
        .endsWith("required query parameter q is missing");
    assertThat(conformance.check(jobWithoutOperation).violations()).singleElement().asString()
        .endsWith("required property 'operation' is missing");
    assertThat(conformance.check(createWithMisspeltField).violations()).singleElement().asString()
        .contains("Contact has no field Emial");
    assertThat(conformance.check(tokenAsJson).violations()).isNotEmpty();
    assertThat(conformance.check(csvAsJson).violations()).singleElement().asString()
        .endsWith("request content type application/json is not text/csv");
  }

  /** The recorded requests of a real run, broken on purpose, fail the same assertions the scenarios make. */
  @Test
  void aBrokenRecordedRequestFailsTheScenarioCheck() {
    Scenario bulk = scenarios().filter(s -> s.operation().equals("bulkWrite")).findFirst().orElseThrow();
    Checked checked = run(bulk);
    List<HttpExchange> broken = checked.exchanges().stream().map(e -> e.url().endsWith("/composite/sobjects")
        && e.method().equals("POST") ? new HttpExchange(e.method(), e.url(), e.requestContentType(),
        e.requestBody().replaceFirst("\"attributes\":\\{\"type\":\"Contact\"},", ""), e.status(),
        e.responseContentType(), e.responseBody()) : e).toList();

    try (Run run = new Run()) {
      ConformanceReport report = conformance(run.emulator).report(broken);
      assertThat(report.violations()).singleElement().asString()
          .startsWith("composite/sobject_collections_create").contains("attributes.type");
    }
  }

  @Test
  void theScenariosTogetherUseExactlyTheListedOperations() {
    SortedSet<String> used = new TreeSet<>();
    SortedSet<String> outside = new TreeSet<>();
    scenarios().forEach(s -> {
      used.addAll(s.operations());
      outside.addAll(s.outsideBoth());
    });

    assertThat(used).containsExactlyElementsOf(USED_OPERATIONS);
    assertThat(outside).containsExactlyElementsOf(OUTSIDE_BOTH);
    assertThat(SalesforceConformance.builder().build().operations()).containsAll(USED_OPERATIONS);
  }

  @Test
  void everyCustomerSystemMethodTheProviderImplementsHasAScenario() {
    Set<String> implemented = Arrays.stream(SalesforceCustomerSystem.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter(name -> !NO_REQUESTS.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));

    Set<String> driven = scenarios().map(Scenario::operation).filter(o -> !o.startsWith("SalesforceApi."))
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(driven).containsExactlyElementsOf(implemented);
  }

  @Test
  void everySalesforceApiRequestIsListed() {
    Set<String> senders = Arrays.stream(SalesforceApi.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter(name -> !API_WITHOUT_REQUESTS.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
    SortedSet<String> listed = new TreeSet<>(USED_OPERATIONS);
    listed.addAll(OUTSIDE_BOTH);
    listed.remove(REFRESH_TOKEN);
    Set<String> mapped = API_METHODS.values().stream().flatMap(List::stream)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(senders).containsExactlyInAnyOrderElementsOf(API_METHODS.keySet());
    assertThat(mapped).containsExactlyElementsOf(listed);
  }
}
