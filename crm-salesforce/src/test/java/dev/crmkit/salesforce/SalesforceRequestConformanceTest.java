package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.ChangeType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealUpdate;
import dev.crmkit.Interaction;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.Sleeper;
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
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
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
 *       delete, describe, get deleted) and against the Postman collection's request shapes ({@code
 *       /limits}, query and queryAll, sObject Collections, composite, Bulk API 2.0 ingest, OAuth token
 *       grants), with undeclared body keys and CSV columns rejected; record bodies may carry the fields
 *       of the emulated org's describe (an org with crmkit's custom Contact and Activity fields);
 *   <li>each subrequest of a {@code /composite} call as the request it stands for, with its answer, a
 *       reference such as {@code @{opportunity.id}} resolved to the value Salesforce would put there;
 *   <li>exactly which operations of either material the scenario (and its subrequests) used, and
 *       exactly which requests lie in neither (the {@code nextRecordsUrl} page, which the collection
 *       does not have, and the partner SOAP API's undelete and merge), so a new request cannot slip in
 *       unchecked; {@link #MATERIAL_GAPS} names the violations that are gaps in the material;
 *   <li>the emulator's answers against the OpenAPI where it documents them, allowing only {@link
 *       dev.crmkit.testkit.openapi.SalesforceOpenApi#KNOWN_RESPONSE_DEPARTURES}.
 * </ul>
 *
 * <p>The provider's token grants go through the recording client too: the refresh through crm-http's
 * {@code OAuth2Tokens}, the code exchange and the JWT bearer grant through {@code TokenEndpoint} on
 * the host's OkHttp client.
 *
 * <p>To cover a new provider operation:
 *
 * <ol>
 *   <li>add a {@link Scenario} to {@link #scenarios()}: the {@link CustomerSystem} method it drives
 *       (or {@code "SalesforceApi.x"}, {@code "SalesforceOAuth.x"}, {@code "SalesforceJwtBearer.x"} for
 *       a call outside the SPI), a name, the driving code (set up through the emulator's hooks or the
 *       system, then {@link Run#recordFromHere()}, then the call and an assertion on its result), and
 *       the operations its requests use: the OpenAPI's as {@code "METHOD /sobjects/..."} (paths after
 *       {@code /services/data/vNN.N}), the collection's by file name such as {@code
 *       "bulk_v2/create_job"} ({@code PostmanShapes.REQUESTS} lists them); a composite call's
 *       subrequests' operations go to {@link Scenario#subrequests(String...)};
 *   <li>add any operation new to the provider to {@link #USED_OPERATIONS}, any request in neither
 *       material to {@link #OUTSIDE_BOTH} (as a template, normalized in {@code check}), and each new
 *       {@link SalesforceApi} method to {@link #API_METHODS} (or {@link #API_WITHOUT_REQUESTS});
 *   <li>run it: a failure prints the operations, the subrequests' operations, the requests outside
 *       both and every exchange.
 * </ol>
 *
 * <p>{@link #everyCustomerSystemMethodTheProviderImplementsHasAScenario}, {@link
 * #everySalesforceApiRequestIsListed} and {@link #everyTokenGrantOfTheFlowsHasAScenario} fail until a
 * new method is covered. Not driven here: getDeleted's {@code INVALID_REPLICATION_DATE} answer (the
 * same request as the delta scenarios; {@code SalesforceChangeFeedTest} drives it with the org's clock
 * ahead of the provider's).
 */
class SalesforceRequestConformanceTest {
  private static final Instant START = Instant.parse("2025-03-14T09:26:53Z");
  private static final String CLIENT_ID = "client-1";
  private static final String CLIENT_SECRET = "secret-1";
  private static final String REDIRECT = "https://app.example/oauth/salesforce/callback";
  private static final KeyPair KEYS = rsa();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> DESCRIBED = List.of("Contact", "Lead", "Account", "Task", "Event", "Note",
      "Opportunity", "OpportunityContactRole", "ContentVersion", "ContentDocumentLink");

  // sObjects OpenAPI operations (paths relative to /services/data/vNN.N)
  static final String DESCRIBE = "GET /sobjects/{sObject}/describe";
  static final String CREATE_CONTACT = "POST /sobjects/Contact";
  static final String CREATE_ACCOUNT = "POST /sobjects/Account";
  static final String CREATE_TASK = "POST /sobjects/Task";
  static final String CREATE_EVENT = "POST /sobjects/Event";
  static final String CREATE_OPPORTUNITY = "POST /sobjects/Opportunity";
  static final String CREATE_NOTE = "POST /sobjects/Note";
  static final String CREATE_CONTACT_ROLE = "POST /sobjects/OpportunityContactRole";
  static final String UPDATE_CONTACT = "PATCH /sobjects/Contact/{id}";
  static final String UPDATE_OPPORTUNITY = "PATCH /sobjects/Opportunity/{id}";
  static final String DELETE_CONTACT = "DELETE /sobjects/Contact/{id}";
  static final String GET_DELETED = "GET /sobjects/{sObject}/deleted";
  // Postman collection operations (file names)
  static final String LIMITS = "rest/limit";
  static final String QUERY = "rest/query";
  static final String QUERY_ALL = "rest/queryall";
  static final String DESCRIBE_SHAPE = "rest/sobject_describe";
  static final String CREATE_SHAPE = "rest/sobject_create";
  static final String UPDATE_SHAPE = "rest/sobject_rows_update";
  static final String DELETE_SHAPE = "rest/sobject_rows_delete";
  static final String GET_DELETED_SHAPE = "rest/sobject_get_deleted";
  static final String COMPOSITE = "composite/composite";
  static final String COLLECTIONS_CREATE = "composite/sobject_collections_create";
  static final String COLLECTIONS_UPDATE = "composite/sobject_collections_update";
  static final String JOB_CREATE = "bulk_v2/create_job";
  static final String JOB_UPLOAD = "bulk_v2/upload_job_data";
  static final String JOB_CLOSE_OR_ABORT = "bulk_v2/close_or_abort_a_job";
  static final String JOB_INFO = "bulk_v2/get_job_info";
  static final String JOB_SUCCESSFUL = "bulk_v2/get_job_successful_record_results";
  static final String JOB_FAILED = "bulk_v2/get_job_failed_record_results";
  static final String JOB_UNPROCESSED = "bulk_v2/get_job_unprocessed_record_results";
  static final String REFRESH_TOKEN = "auth/refresh_token";
  static final String CODE_TOKEN = "auth/web_server_flow_2";
  static final String JWT_TOKEN = "auth/jwt_bearer_token_flow";
  // Requests in neither material, with the record or locator as {locator}
  static final String QUERY_MORE = "GET /services/data/v{version}/query/{locator}";
  static final String SOAP = "POST /services/Soap/u/{version}";

  /** The token grants: sent by crm-http's OAuth2Tokens or TokenEndpoint, not by SalesforceApi. */
  static final Set<String> TOKEN_GRANTS = Set.of(REFRESH_TOKEN, CODE_TOKEN, JWT_TOKEN);

  /** Every operation of either material the provider uses, composite subrequests included. */
  static final SortedSet<String> USED_OPERATIONS = new TreeSet<>(List.of(DESCRIBE, CREATE_CONTACT, CREATE_ACCOUNT,
      CREATE_TASK, CREATE_EVENT, CREATE_NOTE, CREATE_OPPORTUNITY, CREATE_CONTACT_ROLE, UPDATE_CONTACT, UPDATE_OPPORTUNITY,
      DELETE_CONTACT, GET_DELETED, LIMITS, QUERY, QUERY_ALL, DESCRIBE_SHAPE, CREATE_SHAPE, UPDATE_SHAPE, DELETE_SHAPE,
      GET_DELETED_SHAPE, COMPOSITE, COLLECTIONS_CREATE, COLLECTIONS_UPDATE, JOB_CREATE, JOB_UPLOAD, JOB_CLOSE_OR_ABORT,
      JOB_INFO, JOB_SUCCESSFUL, JOB_FAILED, JOB_UNPROCESSED, REFRESH_TOKEN, CODE_TOKEN, JWT_TOKEN));

  /** Every request the provider sends that neither material covers. */
  static final SortedSet<String> OUTSIDE_BOTH = new TreeSet<>(List.of(QUERY_MORE, SOAP));

  /** Which SalesforceApi method sends which requests; a new method fails {@link #everySalesforceApiRequestIsListed}. */
  static final Map<String, List<String>> API_METHODS = Map.ofEntries(
      Map.entry("readLimits", List.of(LIMITS)),
      Map.entry("describe", List.of(DESCRIBE, DESCRIBE_SHAPE)),
      Map.entry("create", List.of(CREATE_CONTACT, CREATE_ACCOUNT, CREATE_TASK, CREATE_EVENT, CREATE_NOTE, CREATE_SHAPE)),
      Map.entry("update", List.of(UPDATE_CONTACT, UPDATE_OPPORTUNITY, UPDATE_SHAPE)),
      Map.entry("delete", List.of(DELETE_CONTACT, DELETE_SHAPE)),
      Map.entry("deleted", List.of(GET_DELETED, GET_DELETED_SHAPE)),
      Map.entry("collection", List.of(COLLECTIONS_CREATE, COLLECTIONS_UPDATE)),
      // the subrequests of compositeAllOrNone: the Opportunity and its contact role; of composite: sObject
      // Collections saves and queries (each sent alone when its body holds "@{"), each checked as the request it
      // stands for
      Map.entry("compositeAllOrNone", List.of(COMPOSITE, CREATE_OPPORTUNITY, CREATE_CONTACT_ROLE, CREATE_SHAPE)),
      Map.entry("composite", List.of(COMPOSITE, COLLECTIONS_CREATE, COLLECTIONS_UPDATE, QUERY)),
      Map.entry("createIngestJob", List.of(JOB_CREATE)),
      Map.entry("uploadIngestJob", List.of(JOB_UPLOAD)),
      Map.entry("closeIngestJob", List.of(JOB_CLOSE_OR_ABORT)),
      Map.entry("abortIngestJob", List.of(JOB_CLOSE_OR_ABORT)),
      Map.entry("ingestJob", List.of(JOB_INFO)),
      Map.entry("ingestJobResults", List.of(JOB_SUCCESSFUL, JOB_FAILED, JOB_UNPROCESSED)),
      Map.entry("query", List.of(QUERY, QUERY_ALL, QUERY_MORE)),
      Map.entry("queryMore", List.of(QUERY_MORE)),
      Map.entry("queryAllPages", List.of(QUERY, QUERY_ALL, QUERY_MORE)),
      // the partner SOAP API's undelete and merge: in neither REST material
      Map.entry("sendSoap", List.of(SOAP)));

  /**
   * SalesforceApi methods that send nothing themselves: accessors, and {@code send}/{@code sendLong}, which carry
   * the others' requests.
   */
  static final Set<String> API_WITHOUT_REQUESTS = Set.of("data", "soap", "usage", "longRequests", "send", "sendLong");

  /**
   * SalesforceApi methods that send requests no scenario drives, each with the reason: {@code blob} reads the
   * {@code VersionData} of a Lightning note made outside crmkit ({@code GET /sobjects/ContentVersion/{id}/VersionData},
   * the OpenAPI's {@code /sobjects/{sObject}/{id}/{blobField}}); {@code SalesforceNotesTest} drives it.
   */
  static final Set<String> API_NOT_DRIVEN = Set.of("blob");

  /**
   * Violations that are gaps in the bundled material, not in the request, each matched whole: the OpenAPI subset
   * has no {@code POST /sobjects/ContentVersion}, which Salesforce documents (insert a ContentVersion with its
   * {@code VersionData} as base64 in the JSON body); the collection's shape ({@code rest/sobject_create}) still
   * checks its fields against the org's describe.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_insert_update_blob.htm">Salesforce: insert or update blob data</a>
   */
  static final Set<String> MATERIAL_GAPS = Set.of(
      "POST /sobjects/ContentVersion: no such operation in sobjects-openapi-v59.subset.json");

  /** SalesforceCustomerSystem methods that send no request. */
  // idempotencyKey and withIdempotencyKey read and write a draft or customer in memory.
  static final Set<String> NO_REQUESTS = Set.of("providerName", "tenantId", "capabilities", "close", "toString",
      "idempotencyKey", "withIdempotencyKey");

  /** Public methods of the token flows that send a token grant; each needs a scenario named after it. */
  static final Set<String> TOKEN_FLOW_METHODS = Set.of("SalesforceOAuth.exchangeCode", "SalesforceOAuth.refresh",
      "SalesforceJwtBearer.requestSession");

  private static final Pattern REFERENCE = Pattern.compile("@\\{(\\w+)\\.(\\w+)}");
  private static final Pattern SOAP_PATH = Pattern.compile("^/services/Soap/u/\\d+\\.\\d$");
  private static final Pattern LOCATOR = Pattern.compile("^/services/data/v\\d+\\.\\d/query/[^/]+$");

  /**
   * One provider operation and what it should send.
   *
   * @param operation the {@link CustomerSystem} method driven (or {@code SalesforceApi.x}, {@code
   *     SalesforceOAuth.x}, {@code SalesforceJwtBearer.x} for a call outside the SPI)
   * @param name the test's display name
   * @param drive sets up (then calls {@link Run#recordFromHere()}) and runs the operation
   * @param operations the operations of either material its requests match, exactly
   * @param outsideBoth its requests neither material covers, exactly, as templates
   * @param subrequests the operations its {@code /composite} subrequests match, each checked as the request it
   *     stands for (with its answer), exactly
   */
  record Scenario(String operation, String name, Consumer<Run> drive, Set<String> operations, Set<String> outsideBoth,
      Set<String> subrequests) {
    Scenario(String operation, String name, Consumer<Run> drive, List<String> operations) {
      this(operation, name, drive, Set.copyOf(operations), Set.of(), Set.of());
    }

    Scenario(String operation, String name, Consumer<Run> drive, Set<String> operations, Set<String> outsideBoth) {
      this(operation, name, drive, operations, outsideBoth, Set.of());
    }

    /** This scenario with its composite subrequests' operations. */
    Scenario subrequests(String... subrequestOperations) {
      return new Scenario(operation, name, drive, operations, outsideBoth, Set.of(subrequestOperations));
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /** One emulator (an org with crmkit's custom fields) and a provider on a recording client; what a scenario sees. */
  static final class Run implements AutoCloseable {
    final MutableClock clock = new MutableClock(START);
    final SalesforceEmulator emulator = SalesforceContractTest.crmkitOrg(clock).oauthClient(CLIENT_ID, CLIENT_SECRET)
        .jwtBearer(CLIENT_ID, KEYS.getPublic()).build();
    final RecordingInterceptor recorder = new RecordingInterceptor();
    final OkHttpClient client = new OkHttpClient.Builder().addInterceptor(recorder).build();
    final SalesforceCustomerSystemProvider provider = new SalesforceCustomerSystemProvider();
    final List<String> savedTokens = new ArrayList<>();
    final List<Duration> sleeps = new ArrayList<>();
    final CustomerSystem system = open(Map.of());

    /** A system on the emulator's access token with these settings. */
    CustomerSystem open(Map<String, String> settings) {
      TenantConfig.Builder config = TenantConfig.builder("t1", "salesforce")
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken());
      settings.forEach(config::setting);
      return open(config);
    }

    CustomerSystem open(TenantConfig.Builder config) {
      config.setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
          .setting(SalesforceCustomerSystemProvider.LOGIN_URL, emulator.baseUrl());
      SalesforceTokenStore store = (tenant, tokens) -> savedTokens.add(tokens.accessToken());
      Sleeper sleeper = sleeps::add;
      return provider.create(new ProviderContext(config.build(), clock,
          Map.of(OkHttpClient.class, client, SalesforceTokenStore.class, store, Sleeper.class, sleeper)));
    }

    /** The web-server flow on the recording client. */
    SalesforceOAuth oauth() {
      return SalesforceOAuth.builder().clientId(CLIENT_ID).clientSecret(CLIENT_SECRET).redirectUri(REDIRECT)
          .loginUrl(emulator.baseUrl()).okHttpClient(client).build();
    }

    /** The SalesforceApi the provider would build, on the recording client. */
    SalesforceApi api() {
      return new SalesforceApi(HttpConnector.builder().vendor("salesforce").baseUrl(emulator.baseUrl()).clock(clock)
          .auth(StaticToken.of(emulator.accessToken())).errorParser(new SalesforceErrors()).okHttpClient(client)
          .build(), SalesforceCustomerSystemProvider.DEFAULT_API_VERSION, new ApiUsage(clock, 10));
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
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
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
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
        new Scenario("get", "get of a company's contact, reading the Account name", r -> {
          String account = r.emulator.insert("Account", Map.of("Name", "Analytical Engines"));
          String id = r.emulator.insert("Contact", Map.of("LastName", "Lovelace", "AccountId", account));
          assertThat(r.system.get(id)).map(Customer::company).contains("Analytical Engines");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL, QUERY)),
        new Scenario("findByEmail", "findByEmail with a quote in the address", r -> {
          r.seed("o'brien@example.com", "O'Brien");
          assertThat(r.system.findByEmail("O'Brien@Example.com")).map(Customer::lastName).contains("O'Brien");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("findByPhone", "findByPhone", r -> {
          r.emulator.insert("Contact", Map.of("LastName", "Lovelace", "Phone", "+14155550100"));
          assertThat(r.system.findByPhone("(415) 555-0100")).map(Customer::lastName).contains("Lovelace");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("search", "search by name, two pages", r -> {
          r.seed("a@example.com", "Lovelace");
          r.seed("b@example.com", "Lovelock");
          Page<Customer> first = r.system.search(CustomerQuery.builder().name("Love").limit(1).build());
          assertThat(first.hasNext()).isTrue();
          assertThat(first.next().items()).hasSize(1);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("search", "search including deleted customers", r -> {
          String id = r.seed("a@example.com", "Lovelace");
          r.emulator.delete(id);
          assertThat(r.system.search(CustomerQuery.builder().includeDeleted(true).build()).items())
              .extracting(Customer::id).containsExactly(id);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
        new Scenario("create", "create with a company, checking email and phone first", r -> {
          Customer c = r.system.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace")
              .email("ada@example.com").phone("+14155550100").company("Analytical Engines").segment(Segment.VIP)
              .build());
          assertThat(c.company()).isEqualTo("Analytical Engines");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, CREATE_ACCOUNT, CREATE_CONTACT, CREATE_SHAPE)),
        new Scenario("create", "create of a taken email (no write)", r -> {
          r.seed("ada@example.com", "Lovelace");
          assertThatThrownBy(() -> r.system.create(CustomerDraft.builder().lastName("Other").email("ada@example.com")
              .build())).isInstanceOf(ConflictException.class);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY)),
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
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL, DELETE_CONTACT, DELETE_SHAPE)),
        new Scenario("bulkWrite", "bulkWrite: Accounts, creates, updates and read-back as composite subrequests", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          List<UpsertOutcome> outcomes = r.system.bulkWrite(List.of(
              CustomerWrite.create(CustomerDraft.builder().lastName("Hopper").email("grace@example.com")
                  .company("Remington Rand").segment(Segment.STANDARD).build()),
              CustomerWrite.update(id, CustomerUpdate.builder().firstName("Ada").build())));
          assertThat(outcomes).extracting(UpsertOutcome::status)
              .containsExactly(UpsertOutcome.Status.CREATED, UpsertOutcome.Status.UPDATED);
          assertThat(outcomes.get(0).customer().company()).isEqualTo("Remington Rand");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, COMPOSITE))
            .subrequests(COLLECTIONS_CREATE, COLLECTIONS_UPDATE, QUERY),
        new Scenario("bulkWrite", "bulkWrite of text holding '@{': that collection sent alone, not in a composite",
            r -> {
              List<UpsertOutcome> outcomes = r.system.bulkWrite(List.of(CustomerWrite.create(CustomerDraft.builder()
                  .lastName("Hopper @{r0.id}").email("grace@example.com").build())));
              assertThat(outcomes).singleElement().satisfies(o -> assertThat(o.customer().lastName())
                  .isEqualTo("Hopper @{r0.id}"));
            }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, COLLECTIONS_CREATE, COMPOSITE)).subrequests(QUERY),
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
        new Scenario("upsert", "upsert: one match by email updated, one new created, through Collections", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          List<UpsertOutcome> outcomes = r.system.upsert(List.of(
              CustomerDraft.builder().firstName("Ada").lastName("Lovelace").email("ADA@example.com").build(),
              CustomerDraft.builder().lastName("Hopper").phone("+14155550101").build()));
          assertThat(outcomes).extracting(UpsertOutcome::status)
              .containsExactly(UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED);
          assertThat(outcomes.get(0).customer().id()).isEqualTo(id);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, COMPOSITE))
            .subrequests(COLLECTIONS_CREATE, COLLECTIONS_UPDATE, QUERY),
        new Scenario("addActivity", "addActivity of a call with a key: a Task", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerActivity call = r.system.addActivity(id, new ActivityDraft(ActivityType.CALL, Channel.PHONE,
              "rang back", START.minusSeconds(3600), Map.of("callId", "C1"), "call:C1"));
          assertThat(call.id()).startsWith("00T");
          assertThat(r.emulator.record(call.id())).map(m -> m.get("WhoId")).contains(id);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, CREATE_TASK, CREATE_SHAPE)),
        new Scenario("addActivity", "addActivity of a meeting: an Event", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerActivity meeting = r.system.addActivity(id, new ActivityDraft(ActivityType.MEETING,
              Channel.IN_PERSON, "site visit", START, Map.of("durationMinutes", "45"), null));
          assertThat(meeting.id()).startsWith("00U");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL, CREATE_EVENT, CREATE_SHAPE)),
        new Scenario("listActivities", "listActivities: Tasks and Events, newest first", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerActivity call = r.system.addActivity(id, ActivityDraft.of(ActivityType.CALL, Channel.PHONE, "a"));
          r.clock.advance(Duration.ofMinutes(1));
          CustomerActivity meeting = r.system.addActivity(id, ActivityDraft.of(ActivityType.MEETING, null, "b"));
          r.recordFromHere();
          assertThat(r.system.listActivities(id, PageRequest.first()).items()).containsExactly(meeting, call);
        }, List.of(QUERY, QUERY_ALL)),
        new Scenario("findActivity", "findActivity of a key held by an Event: Task first, then Event", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerActivity meeting = r.system.addActivity(id, new ActivityDraft(ActivityType.MEETING, null, "b",
              START, Map.of(), "meet:1"));
          r.recordFromHere();
          assertThat(r.system.findActivity("meet:1")).contains(meeting);
        }, List.of(QUERY)),
        new Scenario("findByIdempotencyKeys", "findByIdempotencyKeys: one SOQL IN query on the key field", r -> {
          CustomerSystem system = r.open(Map.of(SalesforceCustomerSystemProvider.CUSTOM_FIELD_PREFIX
              + "crmkitIdempotencyKey", "Loyalty_Id__c"));
          dev.crmkit.IdempotentCreates keyed = (dev.crmkit.IdempotentCreates) system;
          dev.crmkit.Customer made = system.create(keyed.withIdempotencyKey(
              dev.crmkit.CustomerDraft.builder().lastName("Keyed").build(), "run-1-r-7"));
          r.recordFromHere();
          assertThat(keyed.findByIdempotencyKeys(List.of("run-1-r-7", "run-1-r-8"))).containsOnlyKeys("run-1-r-7")
              .extractingByKey("run-1-r-7").extracting(dev.crmkit.Customer::id).isEqualTo(made.id());
        }, List.of(QUERY)),
        new Scenario("logInteraction", "logInteraction: the Task, then lastContactAt on the Contact", r -> {
          CustomerSystem system = r.open(Map.of(SalesforceCustomerSystemProvider.LAST_CONTACT_AT_FIELD,
              "Last_Contact_At__c"));
          String id = r.seed("ada@example.com", "Lovelace");
          Interaction logged = system.logInteraction(id, new ActivityDraft(ActivityType.CALL, Channel.PHONE, "call",
              START, Map.of(), "call:2"));
          assertThat(logged.customer().lastContactAt()).isEqualTo(START);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, CREATE_TASK, CREATE_SHAPE, UPDATE_CONTACT,
            UPDATE_SHAPE)),
        new Scenario("createDeal", "createDeal: Opportunity and primary contact role in one composite call", r -> {
          String account = r.emulator.insert("Account", Map.of("Name", "Analytical Engines"));
          String id = r.emulator.insert("Contact", Map.of("LastName", "Lovelace", "AccountId", account));
          Deal deal = r.system.createDeal(id, DealDraft.builder("Engine").amount(Money.of("1200.50", "EUR"))
              .expectedCloseDate(LocalDate.of(2025, 6, 30)).idempotencyKey("deal:1").build());
          assertThat(r.emulator.record(deal.id())).map(m -> m.get("AccountId")).contains(account);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, COMPOSITE))
            .subrequests(CREATE_OPPORTUNITY, CREATE_CONTACT_ROLE, CREATE_SHAPE),
        new Scenario("getDeal", "getDeal with its contact roles", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          Deal deal = r.system.createDeal(id, DealDraft.builder("Engine").build());
          r.recordFromHere();
          assertThat(r.system.getDeal(deal.id())).map(Deal::customerId).contains(id);
        }, List.of(QUERY)),
        new Scenario("updateDeal", "updateDeal to Closed Won", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          Deal deal = r.system.createDeal(id, DealDraft.builder("Engine").build());
          r.recordFromHere();
          assertThat(r.system.updateDeal(deal.id(), DealUpdate.builder().stageId("Closed Won").title("Engine II")
              .build()).title()).isEqualTo("Engine II");
        }, List.of(QUERY, UPDATE_OPPORTUNITY, UPDATE_SHAPE)),
        new Scenario("listDeals", "listDeals of a customer", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          Deal deal = r.system.createDeal(id, DealDraft.builder("Engine").build());
          r.recordFromHere();
          assertThat(r.system.listDeals(id, PageRequest.first()).items()).extracting(Deal::id)
              .containsExactly(deal.id());
        }, List.of(QUERY, QUERY_ALL)),
        new Scenario("pipelines", "pipelines from the StageName picklist and OpportunityStage", r -> {
          List<Pipeline> pipelines = r.system.pipelines();
          assertThat(pipelines).singleElement().satisfies(p -> assertThat(p.stages()).isNotEmpty());
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY)),
        new Scenario("changesSince", "changesSince: a full pull from no cursor", r -> {
          r.seed("a@example.com", "Lovelace");
          r.seed("b@example.com", "Hopper");
          assertThat(r.system.changesSince(null, 10).changes()).hasSize(2);
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY_ALL)),
        new Scenario("changesSince", "changesSince: a delta, the delete log read from the cursor's point", r -> {
          String id = r.seed("a@example.com", "Lovelace");
          String cursor = r.system.changesSince(null, 10).nextCursor();
          r.clock.advance(Duration.ofMinutes(2));
          r.emulator.update(id, Map.of("FirstName", "Ada"));
          r.clock.advance(Duration.ofMinutes(1));
          r.recordFromHere();
          assertThat(r.system.changesSince(cursor, 10).changes()).singleElement()
              .satisfies(c -> assertThat(c.type()).isEqualTo(ChangeType.UPDATED));
        }, List.of(QUERY_ALL, GET_DELETED, GET_DELETED_SHAPE)),
        new Scenario("changesSince", "changesSince: a purged record from getDeleted, checked against queryAll", r -> {
          String gone = r.seed("a@example.com", "Gone");
          String cursor = r.system.changesSince(null, 10).nextCursor();
          r.clock.advance(Duration.ofMinutes(2));
          r.emulator.delete(gone);
          r.emulator.purge(gone);
          r.clock.advance(Duration.ofMinutes(1));
          r.recordFromHere();
          assertThat(r.system.changesSince(cursor, 10).changes()).singleElement()
              .satisfies(c -> assertThat(c.customerId()).isEqualTo(gone));
        }, List.of(QUERY_ALL, GET_DELETED, GET_DELETED_SHAPE)),
        new Scenario("changesSince", "changesSince: a delete log entry still in the recycle bin, left to the stream",
            r -> {
              String binned = r.seed("a@example.com", "Binned");
              String cursor = r.system.changesSince(null, 10).nextCursor();
              r.clock.advance(Duration.ofMinutes(2));
              r.emulator.delete(binned);
              r.clock.advance(Duration.ofMinutes(1));
              r.recordFromHere();
              assertThat(r.system.changesSince(cursor, 10).changes()).singleElement()
                  .satisfies(c -> assertThat(c.customer().lastName()).isEqualTo("Binned"));
            }, List.of(QUERY_ALL, GET_DELETED, GET_DELETED_SHAPE)),
        new Scenario("bulkWrite", "bulkWrite above bulkApiThreshold: Accounts resolved, then Bulk API 2.0 ingest jobs", r -> {
          CustomerSystem system = r.open(Map.of("bulkApiThreshold", "2"));
          String id = r.seed("ada@example.com", "Lovelace");
          List<UpsertOutcome> outcomes = system.bulkWrite(List.of(
              CustomerWrite.create(CustomerDraft.builder().lastName("Hopper, \"Grace\"").email("grace@example.com")
                  .company("Remington Rand").build()),
              CustomerWrite.update(id, CustomerUpdate.builder().firstName("Ada").build()),
              CustomerWrite.update("003000000000999AAA", CustomerUpdate.builder().firstName("Ghost").build())));
          assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.CREATED,
              UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.REJECTED);
          assertThat(outcomes.get(0).customer().company()).isEqualTo("Remington Rand");
          assertThat(r.sleeps).isNotEmpty();
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, COMPOSITE, JOB_CREATE, JOB_UPLOAD, JOB_CLOSE_OR_ABORT, JOB_INFO,
            JOB_SUCCESSFUL, JOB_FAILED, JOB_UNPROCESSED)).subrequests(QUERY, COLLECTIONS_CREATE), // read-back inside composite
        new Scenario("addNote", "addNote: a Lightning note (ContentVersion) linked to the customer", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerNote note = r.system.addNote(id, new NoteDraft("Called <back> & agreed", "Grace", START, "n:1"));
          assertThat(note.content()).isEqualTo("Called <back> & agreed");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, CREATE_SHAPE)),
        new Scenario("addNote", "addNote: a classic Note", r -> {
          CustomerSystem system = r.open(Map.of(SalesforceCustomerSystemProvider.NOTE_OBJECT, "Note"));
          String id = r.seed("ada@example.com", "Lovelace");
          assertThat(system.addNote(id, NoteDraft.of("Called back")).content()).isEqualTo("Called back");
        }, List.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL, CREATE_NOTE, CREATE_SHAPE)),
        new Scenario("listNotes", "listNotes: Lightning notes through ContentDocumentLink", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          CustomerNote note = r.system.addNote(id, NoteDraft.of("Called back"));
          r.recordFromHere();
          assertThat(r.system.listNotes(id, PageRequest.first()).items()).containsExactly(note);
        }, List.of(QUERY, QUERY_ALL)),
        new Scenario("restore", "restore from the recycle bin through the partner SOAP API", r -> {
          String id = r.seed("ada@example.com", "Lovelace");
          r.emulator.delete(id);
          assertThat(r.system.restore(id).deletedAt()).isNull();
        }, Set.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL), Set.of(SOAP)),
        new Scenario("merge", "merge through the partner SOAP API", r -> {
          String survivor = r.seed("ada@example.com", "Lovelace");
          String merged = r.seed("augusta@example.com", "Byron");
          assertThat(r.system.merge(survivor, merged).mergedId()).isEqualTo(merged);
        }, Set.of(LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY, QUERY_ALL), Set.of(SOAP)),
        new Scenario("SalesforceApi.collection", "a Collections create on its own (the provider sends them in composite"
            + " calls)", r -> {
              List<Map<String, Object>> saved = r.api().collection(true, List.of(Map.of("attributes",
                  Map.of("type", "Contact"), "LastName", "Hopper")));
              assertThat(saved).singleElement().satisfies(m -> assertThat(m).containsEntry("success", true));
            }, List.of(LIMITS, COLLECTIONS_CREATE)),
        new Scenario("SalesforceApi.abortIngestJob", "an ingest job aborted", r -> {
          SalesforceApi api = r.api();
          String job = api.createIngestJob("Contact", "insert");
          api.abortIngestJob(job);
          assertThat(api.ingestJob(job)).containsEntry("state", "Aborted");
        }, List.of(LIMITS, JOB_CREATE, JOB_CLOSE_OR_ABORT, JOB_INFO)),
        new Scenario("SalesforceApi.query", "a query past one batch, paging through nextRecordsUrl", r -> {
          for (int i = 0; i < 201; i++) {
            r.seed("m" + i + "@example.com", "Many" + i);
          }
          List<Map<String, Object>> rows = new ArrayList<>();
          r.api().query("SELECT Id FROM Contact", false, 200).autoPaging().forEach(rows::add);
          assertThat(rows).hasSize(201);
        }, Set.of(LIMITS, QUERY), Set.of(QUERY_MORE)),
        new Scenario("SalesforceOAuth.exchangeCode", "the web-server flow's code exchange with a PKCE verifier",
            r -> {
              SalesforceOAuth oauth = r.oauth();
              SalesforceOAuth.AuthorizationRequest request = oauth.authorizationRequest("st-1");
              String code = r.emulator.authorizationCode(REDIRECT,
                  HttpUrl.get(request.url()).queryParameter("code_challenge"));
              assertThat(oauth.exchangeCode(code, request.codeVerifier()).instanceUrl())
                  .isEqualTo(r.emulator.baseUrl());
            }, List.of(CODE_TOKEN)),
        new Scenario("SalesforceOAuth.refresh", "the web-server flow's refresh", r -> {
          assertThat(r.oauth().refresh(r.emulator.newRefreshToken()).tokens().accessToken()).isNotBlank();
        }, List.of(REFRESH_TOKEN)),
        new Scenario("SalesforceJwtBearer.requestSession", "the JWT bearer grant", r -> {
          SalesforceJwtBearer jwt = SalesforceJwtBearer.builder().clientId(CLIENT_ID).username("int@acme.com")
              .loginUrl(r.emulator.baseUrl()).privateKeyPem(pem(KEYS)).clock(r.clock).okHttpClient(r.client).build();
          assertThat(jwt.requestSession().instanceUrl()).isEqualTo(r.emulator.baseUrl());
        }, List.of(JWT_TOKEN)),
        new Scenario("findByEmail", "findByEmail with JWT bearer credentials: the grant, then the call", r -> {
          r.seed("ada@example.com", "Lovelace");
          CustomerSystem jwt = r.open(TenantConfig.builder("t3", "salesforce")
              .credential(SalesforceCustomerSystemProvider.PRIVATE_KEY, pem(KEYS))
              .setting(SalesforceCustomerSystemProvider.CLIENT_ID, CLIENT_ID)
              .setting(SalesforceCustomerSystemProvider.USERNAME, "int@acme.com"));
          assertThat(jwt.findByEmail("ada@example.com")).isPresent();
        }, List.of(JWT_TOKEN, LIMITS, DESCRIBE, DESCRIBE_SHAPE, QUERY)));
  }

  private static KeyPair rsa() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(KeyPair keys) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
  }

  /** What one scenario sent, checked; {@code subrequests} checks each composite subrequest as its own request. */
  private record Checked(ConformanceReport report, SortedSet<String> outsideBoth, ConformanceReport subrequests,
      List<HttpExchange> exchanges) {
    List<String> requestViolations() {
      return Stream.concat(report.violations().stream(), subrequests.violations().stream())
          .filter(v -> !v.contains(": response ") && !MATERIAL_GAPS.contains(v)).toList();
    }

    List<String> responseViolations() {
      return Stream.concat(report.violations().stream(), subrequests.violations().stream())
          .filter(v -> v.contains(": response ")).toList();
    }

    String describe(Scenario scenario) {
      StringBuilder text = new StringBuilder(scenario.name()).append("\noperations: ")
          .append(report.exercisedOperations()).append("\nsubrequests: ").append(subrequests.exercisedOperations())
          .append("\noutside both: ").append(outsideBoth).append("\nviolations: ").append(report.violations())
          .append(subrequests.violations()).append("\nexchanges:\n");
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
      return check(conformance, exchanges);
    }
  }

  private static Checked check(SalesforceConformance conformance, List<HttpExchange> exchanges) {
    // The partner SOAP API (undelete, merge) is in neither REST material; its envelopes are checked by
    // SoapEnvelopeTest. The collection's SOAP login shares the path but is another operation.
    SortedSet<String> outside = new TreeSet<>();
    exchanges.stream().filter(e -> SOAP_PATH.matcher(HttpUrl.get(e.url()).encodedPath()).matches())
        .forEach(e -> outside.add(e.method() + " /services/Soap/u/{version}"));
    ConformanceReport report = conformance.report(exchanges.stream()
        .filter(e -> !SOAP_PATH.matcher(HttpUrl.get(e.url()).encodedPath()).matches()).toList());
    for (String uncovered : report.uncoveredRequests()) {
      String request = uncovered.substring(0, uncovered.indexOf(": not covered"));
      String method = request.substring(0, request.indexOf(' '));
      String path = request.substring(request.indexOf(' ') + 1);
      outside.add(LOCATOR.matcher(path).matches() ? method + " /services/data/v{version}/query/{locator}" : request);
    }
    List<HttpExchange> subrequests = exchanges.stream().filter(e -> e.method().equals("POST")
        && HttpUrl.get(e.url()).encodedPath().matches("/services/data/v\\d+\\.\\d/composite")).flatMap(e -> subrequests(e).stream())
        .toList();
    ConformanceReport subreport = conformance.report(subrequests);
    assertThat(subreport.uncoveredRequests()).as("composite subrequests neither material covers").isEmpty();
    return new Checked(report, outside, subreport, exchanges);
  }

  /**
   * A composite call's subrequests as the requests they stand for, each with its answer ({@code httpStatusCode},
   * {@code body}); a reference such as {@code @{opportunity.id}} reads as the value the referenced answer gave, as
   * Salesforce resolves it before the subrequest runs.
   */
  static List<HttpExchange> subrequests(HttpExchange composite) {
    try {
      JsonNode request = JSON.readTree(composite.requestBody());
      JsonNode answers = composite.responseBody() == null ? null
          : JSON.readTree(composite.responseBody()).get("compositeResponse");
      HttpUrl base = HttpUrl.get(composite.url());
      Map<String, JsonNode> answered = new java.util.HashMap<>();
      List<HttpExchange> out = new ArrayList<>();
      JsonNode subs = request.get("compositeRequest");
      for (int i = 0; subs != null && i < subs.size(); i++) {
        JsonNode sub = subs.get(i);
        JsonNode answer = answers == null || i >= answers.size() ? null : answers.get(i);
        String url = resolve(sub.get("url").asText(), answered);
        String body = sub.hasNonNull("body") ? resolve(JSON.writeValueAsString(sub.get("body")), answered) : null;
        String responseBody = answer == null || !answer.has("body") || answer.get("body").isNull() ? null
            : JSON.writeValueAsString(answer.get("body"));
        out.add(new HttpExchange(sub.get("method").asText(), base.scheme() + "://" + base.host() + ":" + base.port()
            + url, body == null ? null : "application/json", body, answer == null ? 0
            : answer.get("httpStatusCode").asInt(), responseBody == null ? null : "application/json", responseBody));
        if (answer != null && sub.hasNonNull("referenceId")) {
          answered.put(sub.get("referenceId").asText(), answer.get("body"));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String resolve(String text, Map<String, JsonNode> answered) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      JsonNode body = answered.get(m.group(1));
      JsonNode value = body == null ? null : body.get(m.group(2));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value.asText()));
    }
    return m.appendTail(out).toString();
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
    assertThat(checked.subrequests().exercisedOperations()).as(checked.describe(scenario))
        .containsExactlyInAnyOrderElementsOf(scenario.subrequests());
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
    HttpExchange jwtWithoutAssertion = new HttpExchange("POST", "https://login.salesforce.com/services/oauth2/token",
        "application/x-www-form-urlencoded", "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer", 200,
        null, "");
    HttpExchange closeToAnUnknownState = HttpExchange.json("PATCH", data + "/jobs/ingest/7505e000001NLkPAAW",
        "{\"state\":\"Closed\"}", 200, null);
    HttpExchange deletedWithoutEnd = HttpExchange.json("GET", data + "/sobjects/Contact/deleted/?start="
        + "2025-03-14T09%3A26%3A00Z", null, 200, null);
    HttpExchange subrequestWithMisspeltField = HttpExchange.json("POST", data + "/composite", "{\"allOrNone\":true,"
        + "\"compositeRequest\":[{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Opportunity\","
        + "\"referenceId\":\"opportunity\",\"body\":{\"Name\":\"Engine\",\"StagName\":\"Prospecting\"}}]}", 200, null);

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
    assertThat(conformance.check(jwtWithoutAssertion).violations()).singleElement().asString()
        .startsWith("auth/jwt_bearer_token_flow").endsWith("required request form field assertion is missing");
    assertThat(conformance.check(closeToAnUnknownState).violations()).singleElement().asString()
        .contains("$.state: 'Closed' is not one of [");
    assertThat(conformance.check(deletedWithoutEnd).violations())
        .filteredOn(v -> v.endsWith("required query parameter end is missing")).hasSize(2);
    assertThat(conformance.check(subrequestWithMisspeltField).violations()).singleElement().asString()
        .startsWith("composite/composite").contains("Opportunity has no field StagName");
  }

  /** The recorded requests of a real run, broken on purpose, fail the same assertions the scenarios make. */
  @Test
  void aBrokenRecordedRequestFailsTheScenarioCheck() {
    Scenario bulk = scenarios().filter(s -> s.operation().equals("bulkWrite")).findFirst().orElseThrow();
    Checked checked = run(bulk);
    List<HttpExchange> broken = checked.exchanges().stream().map(e -> e.url().endsWith("/composite")
        ? new HttpExchange(e.method(), e.url(), e.requestContentType(),
        e.requestBody().replace("\"attributes\":{\"type\":\"Contact\"},", ""), e.status(), e.responseContentType(),
        e.responseBody()) : e).toList();
    assertThat(checked.requestViolations()).isEmpty();

    try (Run run = new Run()) {
      Checked again = check(conformance(run.emulator), broken);
      assertThat(again.subrequests().violations()).hasSize(2).allSatisfy(v -> assertThat(v)
          .startsWith("composite/sobject_collections_").contains("attributes.type"));
      assertThat(again.report().violations()).hasSize(2).allSatisfy(v -> assertThat(v)
          .startsWith("composite/composite").contains("attributes.type"));
    }
  }

  /** A composite subrequest broken on purpose is caught as the request it stands for. */
  @Test
  void aBrokenCompositeSubrequestFailsTheScenarioCheck() {
    Scenario deal = scenarios().filter(s -> s.operation().equals("createDeal")).findFirst().orElseThrow();
    Checked checked = run(deal);
    List<HttpExchange> broken = checked.exchanges().stream().map(e -> e.url().endsWith("/composite")
        ? new HttpExchange(e.method(), e.url(), e.requestContentType(), e.requestBody().replaceFirst("\"Name\":",
        "\"Nmae\":").replace("\"IsPrimary\":true", "\"IsPrimary\":\"yes\""),
        e.status(), e.responseContentType(), e.responseBody()) : e).toList();
    assertThat(checked.subrequests().violations()).isEmpty();

    try (Run run = new Run()) {
      Checked again = check(conformance(run.emulator), broken);
      assertThat(again.subrequests().violations()).anySatisfy(v -> assertThat(v)
          .startsWith("rest/sobject_create").contains("Opportunity has no field Nmae"));
      assertThat(again.subrequests().violations()).anySatisfy(v -> assertThat(v)
          .startsWith("POST /sobjects/OpportunityContactRole").contains("$.IsPrimary"));
      assertThat(again.report().violations()).anySatisfy(v -> assertThat(v).startsWith("composite/composite")
          .contains("Nmae"));
    }
  }

  /** A Bulk API 2.0 upload whose CSV names a field no sObject has fails the scenario check. */
  @Test
  void aBrokenBulkUploadFailsTheScenarioCheck() {
    Scenario bulk = scenarios().filter(s -> s.name().contains("Bulk API 2.0")).findFirst().orElseThrow();
    Checked checked = run(bulk);
    List<HttpExchange> broken = checked.exchanges().stream().map(e -> e.url().endsWith("/batches")
        ? new HttpExchange(e.method(), e.url(), e.requestContentType(), e.requestBody().replaceFirst("LastName",
        "LastNmae"), e.status(), e.responseContentType(), e.responseBody()) : e).toList();

    try (Run run = new Run()) {
      assertThat(check(conformance(run.emulator), broken).requestViolations()).singleElement().asString()
          .startsWith("bulk_v2/upload_job_data").contains("LastNmae");
    }
  }

  @Test
  void theScenariosTogetherUseExactlyTheListedOperations() {
    SortedSet<String> used = new TreeSet<>();
    SortedSet<String> outside = new TreeSet<>();
    scenarios().forEach(s -> {
      used.addAll(s.operations());
      used.addAll(s.subrequests());
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

    Set<String> driven = scenarios().map(Scenario::operation).filter(o -> !o.contains("."))
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(driven).containsExactlyElementsOf(implemented);
  }

  /**
   * The token flows' public methods that send a grant each have a scenario; the others send nothing: the builder,
   * the authorization URL and its PKCE challenge, the login host, the assertion (signed locally), and the JWT
   * bearer's {@code accessToken}/{@code invalidate}, which send through {@code requestSession} (driven by the
   * provider in the JWT {@code findByEmail} scenario).
   */
  @Test
  void everyTokenGrantOfTheFlowsHasAScenario() {
    Set<String> quiet = Set.of("builder", "authorizationRequest", "codeChallenge", "loginUrl", "assertion",
        "accessToken", "invalidate", "toString");
    Set<String> senders = Stream.of(SalesforceOAuth.class, SalesforceJwtBearer.class)
        .flatMap(type -> Arrays.stream(type.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()) && !quiet.contains(m.getName()))
            .map(m -> type.getSimpleName() + "." + m.getName()))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> driven = scenarios().map(Scenario::operation).filter(o -> !o.startsWith("SalesforceApi.")
        && o.contains(".")).collect(Collectors.toCollection(TreeSet::new));

    assertThat(senders).containsExactlyInAnyOrderElementsOf(TOKEN_FLOW_METHODS);
    assertThat(driven).containsExactlyInAnyOrderElementsOf(TOKEN_FLOW_METHODS);
  }

  @Test
  void everySalesforceApiRequestIsListed() {
    Set<String> senders = Arrays.stream(SalesforceApi.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()) && !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter(name -> !API_WITHOUT_REQUESTS.contains(name) && !API_NOT_DRIVEN.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
    SortedSet<String> listed = new TreeSet<>(USED_OPERATIONS);
    listed.addAll(OUTSIDE_BOTH);
    listed.removeAll(TOKEN_GRANTS);
    Set<String> mapped = API_METHODS.values().stream().flatMap(List::stream)
        .collect(Collectors.toCollection(TreeSet::new));

    assertThat(senders).containsExactlyInAnyOrderElementsOf(API_METHODS.keySet());
    assertThat(mapped).containsExactlyElementsOf(listed);
  }
}
