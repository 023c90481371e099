package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ServerException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.Sleeper;
import dev.crmkit.http.StaticToken;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** bulkWrite through Bulk API 2.0 ingest jobs, against the emulator (and MockWebServer for a failed job). */
class SalesforceBulkIngestTest {
  private static final String JOBS = "/services/data/vXX.X/jobs/ingest";
  private final MutableClock clock = new MutableClock(Instant.parse("2025-03-14T09:00:00Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).build();
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();
  private final Sleeper sleeper = sleeps::add;

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aBatchAboveTheThresholdGoesThroughAnIngestJobWithOutcomesInInputOrder() {
    String existing = emulator.insert("Contact", Map.of("LastName", "Existing"));
    CustomerSystem system = system(Map.of("bulkApiThreshold", "3"));
    emulator.counters().reset();
    List<CustomerWrite> writes = List.of(
        CustomerWrite.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace").email("ada@example.com").build()),
        CustomerWrite.update(existing, CustomerUpdate.builder().firstName("Now \"Known\", really").build()),
        CustomerWrite.create(CustomerDraft.builder().firstName("Line\nBreak").lastName("O\"Brien, Jr").build()),
        CustomerWrite.update("003000000000999AAA", CustomerUpdate.builder().firstName("Ghost").build()),
        CustomerWrite.create(CustomerDraft.builder().lastName("Hopper").build()));

    List<UpsertOutcome> outcomes = system.bulkWrite(writes);

    assertThat(outcomes).extracting(UpsertOutcome::index).containsExactly(0, 1, 2, 3, 4);
    assertThat(outcomes).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.CREATED,
        UpsertOutcome.Status.UPDATED, UpsertOutcome.Status.CREATED, UpsertOutcome.Status.REJECTED,
        UpsertOutcome.Status.CREATED);
    assertThat(outcomes.get(0).customer().email()).isEqualTo("ada@example.com");
    assertThat(outcomes.get(1).customer().id()).isEqualTo(existing);
    assertThat(outcomes.get(1).customer().firstName()).isEqualTo("Now \"Known\", really");
    assertThat(outcomes.get(2).customer().firstName()).isEqualTo("Line\nBreak");
    assertThat(outcomes.get(2).customer().lastName()).isEqualTo("O\"Brien, Jr");
    assertThat(outcomes.get(3).error()).isInstanceOf(NotFoundException.class);
    assertThat(outcomes.get(4).customer().lastName()).isEqualTo("Hopper");
    assertThat(emulator.counters().requests("POST " + JOBS)).isEqualTo(2);
    assertThat(emulator.counters().requests("PUT " + JOBS + "/{jobId}/batches")).isEqualTo(2);
    assertThat(emulator.counters().requests(SalesforceCounters.COLLECTION_CREATE)).isZero();
    assertThat(emulator.counters().requests(SalesforceCounters.COLLECTION_UPDATE)).isZero();
    // The emulator answers InProgress once, then JobComplete: one wait per job, at the first poll interval.
    assertThat(sleeps).containsExactly(BulkIngest.FIRST_POLL, BulkIngest.FIRST_POLL);
  }

  @Test
  void noCallIsPerRecordAccountsUpFrontAndTheReadBackInCompositeCallsOf1500() {
    CustomerSystem system = system(Map.of("bulkApiThreshold", "3"));
    system.bulkWrite(List.of(CustomerWrite.create(CustomerDraft.builder().lastName("Warm-up").build())));
    List<CustomerWrite> writes = new ArrayList<>();
    for (int i = 0; i < 1_600; i++) {
      writes.add(CustomerWrite.create(CustomerDraft.builder().lastName("Person " + i).email("p" + i + "@example.com")
          .company("Company " + (i % 7)).build()));
    }
    emulator.counters().reset();

    List<UpsertOutcome> outcomes = system.bulkWrite(writes);

    assertThat(outcomes).extracting(UpsertOutcome::status).containsOnly(UpsertOutcome.Status.CREATED);
    assertThat(outcomes.get(1_599).customer().email()).isEqualTo("p1599@example.com");
    assertThat(outcomes.get(1_599).customer().company()).isEqualTo("Company 3");
    SalesforceCounters c = emulator.counters();
    // One job: create, upload, close, two polls, three result files.
    assertThat(c.requests("POST " + JOBS)).isEqualTo(1);
    assertThat(c.requests("PUT " + JOBS + "/{jobId}/batches")).isEqualTo(1);
    assertThat(c.requests("PATCH " + JOBS + "/{jobId}")).isEqualTo(1);
    // The read-back: six queries of at most 300 ids, five per composite call, so two composite calls; the seven
    // Accounts: looked up and created in composite calls too. No single-record call, no standalone query.
    assertThat(c.subrequests(SalesforceCounters.QUERY)).isEqualTo(6 + 1);
    assertThat(c.requests(SalesforceCounters.COMPOSITE)).isEqualTo(2 + 2);
    assertThat(c.requests(SalesforceCounters.QUERY)).isZero();
    assertThat(c.requests(SalesforceCounters.CREATE)).isZero();
    assertThat(c.requests(SalesforceCounters.READ)).isZero();
    assertThat(c.totalRequests()).isLessThanOrEqualTo(4 + 8 + 1);
  }

  @Test
  void atTheThresholdTheBatchStillGoesThroughCollections() {
    CustomerSystem system = system(Map.of("bulkApiThreshold", "2"));
    emulator.counters().reset();

    system.bulkWrite(List.of(CustomerWrite.create(CustomerDraft.builder().lastName("A").build()),
        CustomerWrite.create(CustomerDraft.builder().lastName("B").build())));

    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_CREATE)).isEqualTo(1);
    assertThat(emulator.counters().requests("POST " + JOBS)).isZero();
  }

  @Test
  void aBatchLargerThanOneUploadIsSplitIntoSeveralJobs() {
    ContactReader reader = reader();
    BulkIngest bulk = new BulkIngest(reader, new ContactWriter(reader, new OrgLocks()), sleeper, 120);
    List<CustomerWrite> writes = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      writes.add(CustomerWrite.create(CustomerDraft.builder().lastName("Person-" + i + "-with-a-long-name").build()));
    }
    reader.checkFields();
    emulator.counters().reset();

    List<UpsertOutcome> outcomes = bulk.bulkWrite(writes);

    assertThat(outcomes).extracting(UpsertOutcome::status).containsOnly(UpsertOutcome.Status.CREATED);
    for (int i = 0; i < 9; i++) {
      assertThat(outcomes.get(i).customer().lastName()).isEqualTo("Person-" + i + "-with-a-long-name");
    }
    assertThat(emulator.counters().requests("POST " + JOBS)).isGreaterThan(1);
    assertThat(emulator.counters().requests("PATCH " + JOBS + "/{jobId}"))
        .isEqualTo(emulator.counters().requests("POST " + JOBS));
  }

  @Test
  void aFailedJobThrowsNamingTheJobAndPollingBacksOff() throws Exception {
    MockWebServer server = new MockWebServer();
    List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      private int polls;

      @Override
      public MockResponse dispatch(RecordedRequest r) {
        requests.add(r);
        String path = r.getUrl().encodedPath();
        if (path.endsWith("/limits")) {
          return json("{\"DailyApiRequests\":{\"Max\":100000,\"Remaining\":99000}}");
        }
        if (path.endsWith("/describe")) {
          return json("{\"fields\":[{\"name\":\"Customer_Segment__c\"},{\"name\":\"Total_Orders__c\"},"
              + "{\"name\":\"Total_Revenue__c\"},{\"name\":\"Preferred_Channel__c\"},{\"name\":\"Email_Opt_In__c\"},"
              + "{\"name\":\"SMS_Opt_In__c\"},{\"name\":\"WhatsApp_Opt_In__c\"},{\"name\":\"Phone_Opt_In__c\"}]}");
        }
        if (r.getMethod().equals("POST")) {
          return json("{\"id\":\"7505g000000ABCDAAA\",\"state\":\"Open\"}");
        }
        if (r.getMethod().equals("PUT")) {
          return new MockResponse.Builder().code(201).build();
        }
        if (r.getMethod().equals("PATCH")) {
          return json("{\"id\":\"7505g000000ABCDAAA\",\"state\":\"UploadComplete\"}");
        }
        return json(++polls < 4 ? "{\"state\":\"InProgress\"}"
            : "{\"state\":\"Failed\",\"errorMessage\":\"InvalidBatch : Field name not found : Foo__c\"}");
      }
    });
    server.start();
    try {
      HttpConnector connector = HttpConnector.builder().vendor("salesforce").baseUrl(server.url("/").toString())
          .clock(clock).auth(StaticToken.of("t")).errorParser(new SalesforceErrors()).build();
      SalesforceApi api = new SalesforceApi(connector, "v59.0", new ApiUsage(clock, 10));
      ContactReader reader = new ContactReader("t-1", api, mapping());
      BulkIngest bulk = new BulkIngest(reader, new ContactWriter(reader, new OrgLocks()), sleeper, BulkIngest.MAX_UPLOAD_BYTES);

      assertThatThrownBy(() -> bulk.bulkWrite(List.of(CustomerWrite.create(CustomerDraft.builder().lastName("X").build()))))
          .isInstanceOfSatisfying(ServerException.class, e -> {
            assertThat(e.vendorCode()).isEqualTo("BULK_JOB_FAILED");
            assertThat(e.getMessage()).contains("7505g000000ABCDAAA").contains("Field name not found");
          });
      assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
      RecordedRequest create = requests.stream().filter(r -> r.getMethod().equals("POST")).findFirst().orElseThrow();
      assertThat(create.getUrl().encodedPath()).isEqualTo("/services/data/v59.0/jobs/ingest");
      assertThat(create.getBody().utf8()).contains("\"object\":\"Contact\"").contains("\"operation\":\"insert\"")
          .contains("\"contentType\":\"CSV\"").contains("\"lineEnding\":\"LF\"").contains("\"columnDelimiter\":\"COMMA\"");
      RecordedRequest upload = requests.stream().filter(r -> r.getMethod().equals("PUT")).findFirst().orElseThrow();
      assertThat(upload.getUrl().encodedPath()).isEqualTo("/services/data/v59.0/jobs/ingest/7505g000000ABCDAAA/batches");
      assertThat(upload.getHeaders().get("Content-Type")).startsWith("text/csv");
      assertThat(upload.getBody().utf8()).isEqualTo("LastName,Customer_Segment__c\nX,PROSPECT\n");
      RecordedRequest close = requests.stream().filter(r -> r.getMethod().equals("PATCH")).findFirst().orElseThrow();
      assertThat(close.getBody().utf8()).isEqualTo("{\"state\":\"UploadComplete\"}");
    } finally {
      server.close();
    }
  }

  @Test
  void anSfErrorIsMappedByItsCodeNamingTheField() {
    assertThat(BulkIngest.error("REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --", 3))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("LastName")));
    assertThat(BulkIngest.error("NOT_FOUND:The requested resource does not exist: --", 0))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void csvCellsWithCommasQuotesAndLineBreaksRoundTrip() {
    List<String> cells = List.of("plain", "a,b", "say \"hi\"", "two\nlines", " padded ", "");
    String line = BulkCsv.line(cells);

    assertThat(line).isEqualTo("plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded \",\n");
    assertThat(BulkCsv.parse(line)).containsExactly(cells);
    assertThatThrownBy(() -> BulkCsv.parse("\"open")).isInstanceOf(IllegalArgumentException.class);
  }

  private CustomerSystem system(Map<String, String> settings) {
    TenantConfig.Builder config = TenantConfig.builder("t-1", "salesforce")
        .credential("accessToken", emulator.accessToken()).setting("instanceUrl", emulator.baseUrl());
    settings.forEach(config::setting);
    return new SalesforceCustomerSystemProvider().create(new ProviderContext(config.build(), clock,
        Map.of(Sleeper.class, sleeper)));
  }

  private ContactReader reader() {
    HttpConnector connector = HttpConnector.builder().vendor("salesforce").baseUrl(emulator.baseUrl())
        .clock(clock).auth(StaticToken.of(emulator.accessToken())).errorParser(new SalesforceErrors()).build();
    return new ContactReader("t-1", new SalesforceApi(connector, "v59.0", new ApiUsage(clock, 10)), mapping());
  }

  private ContactMapping mapping() {
    TenantConfig config = TenantConfig.builder("t-1", "salesforce").build();
    return new ContactMapping("Contact", Map.of(), new ProviderContext(config, clock, Map.of()).phoneNumbers(), "USD", null, null, false);
  }

  private static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }
}
