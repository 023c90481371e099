package dev.crmkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.Page;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerWrite;
import dev.crmkit.OptInStatus;
import dev.crmkit.ProviderContext;
import dev.crmkit.Segment;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.ValidationException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider against MockWebServer answering in Salesforce's shapes; each test asserts the requests. */
class SalesforceCustomerSystemTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATA = "/services/data/v59.0";
  private static final List<String> CUSTOM = List.of("Customer_Segment__c", "Total_Orders__c", "Total_Revenue__c",
      "Preferred_Channel__c", "Email_Opt_In__c", "SMS_Opt_In__c", "WhatsApp_Opt_In__c", "Phone_Opt_In__c");

  private final MockWebServer server = new MockWebServer();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void searchPagesByIdWithEscapedNamePatternsAndAnOpaqueCursor() throws Exception {
    serve(request -> {
      String q = q(request);
      if (q == null) {
        return null;
      }
      return q.contains("Id > '003000000000003AAA'")
          ? records(contact("003000000000004AAA", "b@example.com"))
          : records(contact("003000000000003AAA", "a@example.com"), contact("003000000000004AAA", "b@example.com"));
    });
    CustomerSystem system = open(Map.of());

    Page<Customer> first = system.search(CustomerQuery.builder().name("50%_O'Brien").limit(1).build());
    Page<Customer> second = first.next();

    assertThat(first.items()).extracting(Customer::id).containsExactly("003000000000003AAA");
    assertThat(first.nextCursor()).doesNotContain("003000000000003AAA");
    assertThat(second.items()).extracting(Customer::id).containsExactly("003000000000004AAA");
    assertThat(second.hasNext()).isFalse();
    String soql = q(queries().get(0));
    assertThat(soql).contains("FirstName LIKE '%50\\%\\_O\\'Brien%'").contains("ORDER BY Id ASC LIMIT 2");
    assertThat(queries().get(0).getUrl().encodedPath()).isEqualTo(DATA + "/query");
  }

  @Test
  void searchByTagIsRejectedAndAForgedCursorIsAValidationError() throws Exception {
    serve(request -> records());
    CustomerSystem system = open(Map.of());

    assertThatThrownBy(() -> system.search(CustomerQuery.builder().tag("vip").build()))
        .isInstanceOf(ValidationException.class).hasMessageContaining("tag");
    assertThatThrownBy(() -> system.search(CustomerQuery.builder().cursor("x' OR Id != '").build()))
        .isInstanceOf(ValidationException.class);
    assertThat(queries()).isEmpty();
  }

  @Test
  void getReadsWithQueryAllAndFollowsAMergeToTheMasterRecord() throws Exception {
    serve(request -> {
      String q = q(request);
      if (q != null && q.contains("'003000000000001AAA'")) {
        return records(Map.of("Id", "003000000000001AAA", "LastName", "Old", "IsDeleted", true,
            "MasterRecordId", "003000000000002AAA"));
      }
      if (q != null && q.contains("'003000000000002AAA'")) {
        return records(contact("003000000000002AAA", "ada@example.com"));
      }
      return null;
    });

    Customer c = open(Map.of()).get("003000000000001AAA").orElseThrow();

    assertThat(c.id()).isEqualTo("003000000000002AAA");
    assertThat(c.email()).isEqualTo("ada@example.com");
    assertThat(c.segment()).isEqualTo(Segment.VIP);
    assertThat(c.contactPreferences().statusOf(Channel.SMS)).isEqualTo(OptInStatus.OPTED_IN);
    assertThat(c.address().city()).isEqualTo("London");
    assertThat(queries()).allSatisfy(r -> assertThat(r.getUrl().encodedPath()).isEqualTo(DATA + "/queryAll"));
  }

  @Test
  void aMalformedEmailOrAPhoneWithoutDigitsFindsNothingWithoutAQuery() throws Exception {
    serve(request -> records());
    CustomerSystem system = open(Map.of());

    assertThat(system.findByEmail("not an email")).isEmpty();
    assertThat(system.findByPhone("call me")).isEmpty();
    assertThat(queries()).isEmpty();
  }

  @Test
  void getOfSomethingThatIsNotASalesforceIdSendsNoQuery() throws Exception {
    serve(request -> null);

    assertThat(open(Map.of()).get("x' OR Id != '")).isEmpty();
    assertThat(queries()).isEmpty();
  }

  @Test
  void findByEmailBindsTheEmailAsAnEscapedLiteral() throws Exception {
    serve(request -> records());

    assertThat(open(Map.of()).findByEmail("o'brien@example.com")).isEmpty();

    assertThat(queries()).hasSize(1);
    assertThat(q(queries().get(0))).contains("WHERE Email = 'o\\'brien@example.com'");
  }

  @Test
  void findByPhoneMatchesTheE164FormAndReadsOnlyTheFirstPage() throws Exception {
    serve(request -> {
      if (request.getUrl().encodedPath().equals(DATA + "/query/01gNEXT-2000")) {
        return records(contact("003000000000004AAA", "b@example.com"));
      }
      return q(request) == null ? null : new MockResponse.Builder().code(200).body(json(Map.of("done", false,
          "totalSize", 2, "nextRecordsUrl", DATA + "/query/01gNEXT-2000",
          "records", List.of(contact("003000000000003AAA", "a@example.com"))))).build();
    });
    SalesforceCustomerSystem system = (SalesforceCustomerSystem) open(Map.of());

    assertThat(system.findByPhone("+44 20 7946 0000")).get().extracting(Customer::id).isEqualTo("003000000000003AAA");
    assertThat(requests).extracting(r -> r.getUrl().encodedPath()).doesNotContain(DATA + "/query/01gNEXT-2000");
    assertThat(q(queries().get(0))).contains("Phone IN ('+442079460000'");
  }

  @Test
  void createWritesTheMappedFieldsAndAnAccountForTheCompany() throws Exception {
    serve(request -> {
      String path = request.getUrl().encodedPath();
      if (path.equals(DATA + "/sobjects/Account")) {
        return new MockResponse.Builder().code(201).body("{\"id\":\"001000000000001AAA\",\"success\":true,\"errors\":[]}").build();
      }
      if (path.equals(DATA + "/sobjects/Contact")) {
        return new MockResponse.Builder().code(201).body("{\"id\":\"003000000000009AAA\",\"success\":true,\"errors\":[]}").build();
      }
      String q = q(request);
      if (q != null && (q.contains("FROM Account WHERE Name") || q.contains("WHERE Email =")
          || q.contains("WHERE Phone IN"))) {
        return records();
      }
      if (q != null && q.contains("FROM Account WHERE Id IN")) {
        return records(Map.of("Id", "001000000000001AAA", "Name", "Acme"));
      }
      if (q != null) {
        Map<String, Object> c = new java.util.HashMap<>(contact("003000000000009AAA", "ada@example.com"));
        c.put("AccountId", "001000000000001AAA");
        return records(c);
      }
      return null;
    });
    CustomerDraft draft = CustomerDraft.builder().firstName("Ada").email("Ada@Example.com").company("Acme")
        .phone("+44 20 7946 0000").address(new Address("1 Main St", "Flat 2", "London", null, "N1", "GB"))
        .optIn(Channel.EMAIL, OptInStatus.OPTED_IN).customField("loyaltyId", "L-1").build();

    Customer c = open(Map.of("customField.loyaltyId", "Loyalty_Id__c")).create(draft);

    assertThat(c.company()).isEqualTo("Acme");
    RecordedRequest post = requests.stream().filter(r -> r.getUrl().encodedPath().equals(DATA + "/sobjects/Contact"))
        .findFirst().orElseThrow();
    JsonNode body = JSON.readTree(post.getBody().utf8());
    assertThat(body.path("LastName").asText()).isEqualTo("[not provided]");
    assertThat(body.path("Email").asText()).isEqualTo("ada@example.com");
    assertThat(body.path("Phone").asText()).isEqualTo("+442079460000");
    assertThat(body.path("MailingStreet").asText()).isEqualTo("1 Main St\nFlat 2");
    assertThat(body.path("AccountId").asText()).isEqualTo("001000000000001AAA");
    assertThat(body.path("Email_Opt_In__c").asBoolean()).isTrue();
    assertThat(body.path("Loyalty_Id__c").asText()).isEqualTo("L-1");
    assertThat(body.path("Customer_Segment__c").asText()).isEqualTo("PROSPECT");
    assertThat(post.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
  }

  @Test
  void createWithAnEmailAnotherContactHoldsIsAConflictNamingTheHolderAndWritesNothing() throws Exception {
    serve(request -> q(request) != null && q(request).contains("WHERE Email = 'ada@example.com'")
        ? records(contact("003000000000005AAA", "ada@example.com")) : q(request) != null ? records() : null);

    assertThatThrownBy(() -> open(Map.of()).create(CustomerDraft.builder().email("ada@example.com").build()))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> {
          assertThat(((ConflictException) e).field()).isEqualTo("email");
          assertThat(((ConflictException) e).existingId()).isEqualTo("003000000000005AAA");
        });
    assertThat(requests).noneMatch(r -> r.getMethod().equals("POST"));
  }

  @Test
  void valuesSalesforceCannotStoreAreRejectedBeforeAnyWrite() throws Exception {
    serve(request -> null);
    CustomerDraft draft = CustomerDraft.builder().lastName("Lovelace").tag("vip").language("en")
        .customField("unmapped", "x").build();

    assertThatThrownBy(() -> open(Map.of()).create(draft)).isInstanceOf(ValidationException.class)
        .satisfies(e -> assertThat(((ValidationException) e).fieldErrors()).extracting(f -> f.field())
            .containsExactlyInAnyOrder("tags", "language", "customFields.unmapped"));
    assertThat(requests).noneMatch(r -> r.getMethod().equals("POST"));
  }

  @Test
  void aMappedFieldMissingFromDescribeIsAConfigurationError() throws Exception {
    serve(request -> null);

    assertThatThrownBy(() -> open(Map.of("customField.loyaltyId", "Loyalty_Id__c", "customField.rank", "Rank__c"))
        .findByEmail("a@example.com"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("Rank__c");
  }

  @Test
  void aDuplicateRuleRejectionIsAConflictWithTheExistingId() throws Exception {
    serve(request -> request.getUrl().encodedPath().equals(DATA + "/sobjects/Contact")
        ? new MockResponse.Builder().code(400).body("[{\"message\":\"Use one of these records?\","
            + "\"errorCode\":\"DUPLICATES_DETECTED\",\"fields\":[],\"duplicateResult\":{\"matchResults\":[{"
            + "\"matchRecords\":[{\"record\":{\"Id\":\"003000000000007AAA\"}}]}]}}]").build()
        : null);

    assertThatThrownBy(() -> open(Map.of()).create(CustomerDraft.builder().lastName("L").build()))
        .isInstanceOf(ConflictException.class)
        .satisfies(e -> assertThat(((ConflictException) e).existingId()).isEqualTo("003000000000007AAA"));
  }

  @Test
  void aDuplicateRuleRejectionAfterARaceNamesEmailWhenTheEmailsHolderIsTheMatch() throws Exception {
    java.util.concurrent.atomic.AtomicBoolean created = new java.util.concurrent.atomic.AtomicBoolean();
    serve(request -> {
      if (request.getUrl().encodedPath().equals(DATA + "/sobjects/Contact")) {
        created.set(true); // another process stored the email between our look-up and our create
        return new MockResponse.Builder().code(400).body("[{\"message\":\"Use one of these records?\","
            + "\"errorCode\":\"DUPLICATES_DETECTED\",\"fields\":[],\"duplicateResult\":{\"matchResults\":[{"
            + "\"matchRecords\":[{\"record\":{\"Id\":\"003000000000007AAA\"}}]}]}}]").build();
      }
      return q(request) != null && created.get() ? records(contact("003000000000007AAA", "race@example.com")) : records();
    });

    assertThatThrownBy(() -> open(Map.of()).create(CustomerDraft.builder().lastName("L").email("race@example.com").build()))
        .isInstanceOfSatisfying(ConflictException.class, e -> {
          assertThat(e.field()).isEqualTo("email");
          assertThat(e.existingId()).isEqualTo("003000000000007AAA");
        });
    assertThat(queries()).hasSize(2);
    assertThat(q(queries().get(1))).contains("Email = 'race@example.com'");
  }

  @Test
  void bulkWriteSends450CreatesAsThreeCollectionsInOneCompositeCallAndRejectsFailedRecordsAlone() throws Exception {
    serve(request -> {
      if (!request.getUrl().encodedPath().equals(DATA + "/composite")) {
        return null;
      }
      List<Map<String, Object>> responses = new ArrayList<>();
      for (JsonNode sub : read(request).path("compositeRequest")) {
        Object body;
        if (sub.path("url").asText().startsWith(DATA + "/composite/sobjects")) {
          List<Map<String, Object>> results = new ArrayList<>();
          for (JsonNode r : sub.path("body").path("records")) {
            String name = r.path("LastName").asText();
            results.add(name.equals("L7")
                ? Map.of("success", false, "errors", List.of(Map.of("statusCode", "STRING_TOO_LONG",
                    "message", "too long", "fields", List.of("LastName"))))
                : Map.of("success", true, "id", id(name), "errors", List.of()));
          }
          body = results;
        } else {
          String q = java.net.URLDecoder.decode(sub.path("url").asText().replaceFirst("^[^?]*\\?q=", ""),
              java.nio.charset.StandardCharsets.UTF_8);
          String list = q.substring(q.indexOf("IN (") + 4, q.lastIndexOf(')'));
          List<Map<String, Object>> rows = new ArrayList<>();
          for (String lit : list.split(", ")) {
            rows.add(contact(lit.replace("'", ""), null));
          }
          body = Map.of("done", true, "totalSize", rows.size(), "records", rows);
        }
        responses.add(Map.of("body", body, "httpHeaders", Map.of(), "httpStatusCode", 200,
            "referenceId", sub.path("referenceId").asText()));
      }
      return new MockResponse.Builder().code(200).body(json(Map.of("compositeResponse", responses))).build();
    });
    List<CustomerWrite> writes = new ArrayList<>();
    for (int i = 0; i < 450; i++) {
      writes.add(CustomerWrite.create(CustomerDraft.builder().lastName("L" + i).build()));
    }

    List<UpsertOutcome> outcomes = open(Map.of()).bulkWrite(writes);

    List<RecordedRequest> calls = requests.stream()
        .filter(r -> r.getUrl().encodedPath().equals(DATA + "/composite")).toList();
    assertThat(calls).hasSize(2);
    JsonNode saves = read(calls.get(0));
    assertThat(saves.path("allOrNone").asBoolean(true)).isFalse();
    assertThat(saves.path("compositeRequest")).hasSize(3).allSatisfy(sub -> {
      assertThat(sub.path("method").asText()).isEqualTo("POST");
      assertThat(sub.path("url").asText()).isEqualTo(DATA + "/composite/sobjects");
      assertThat(sub.path("body").path("allOrNone").asBoolean(true)).isFalse();
    });
    assertThat(saves.path("compositeRequest").findValues("records")).extracting(JsonNode::size)
        .containsExactly(200, 200, 50);
    JsonNode reads = read(calls.get(1));
    assertThat(reads.path("compositeRequest")).hasSize(3)
        .allSatisfy(sub -> assertThat(sub.path("url").asText()).startsWith(DATA + "/query?q=SELECT%20Id"));
    assertThat(requests).filteredOn(r -> r.getUrl().encodedPath().equals(DATA + "/query")).isEmpty();
    assertThat(outcomes).hasSize(450);
    assertThat(outcomes.get(7).status()).isEqualTo(UpsertOutcome.Status.REJECTED);
    assertThat(outcomes.get(7).error()).isInstanceOf(ValidationException.class);
    assertThat(outcomes.stream().filter(o -> o.status() == UpsertOutcome.Status.CREATED)).hasSize(449);
    assertThat(outcomes.get(449).customer().id()).isEqualTo(id("L449"));
    assertThat(outcomes.get(449).customer().createdAt()).isEqualTo(Instant.parse("2025-12-01T10:00:00Z"));
  }

  @Test
  void aFailedCollectionSubrequestRejectsItsOwnRecordsOnly() throws Exception {
    serve(request -> {
      if (!request.getUrl().encodedPath().equals(DATA + "/composite")) {
        return null;
      }
      List<Map<String, Object>> responses = new ArrayList<>();
      for (JsonNode sub : read(request).path("compositeRequest")) {
        String ref = sub.path("referenceId").asText();
        if (sub.path("method").asText().equals("PATCH")) {
          responses.add(Map.of("body", List.of(Map.of("errorCode", "INVALID_FIELD", "message", "bad field")),
              "httpHeaders", Map.of(), "httpStatusCode", 400, "referenceId", ref));
        } else if (sub.path("method").asText().equals("POST")) {
          responses.add(Map.of("body", List.of(Map.of("success", true, "id", id("L1"), "errors", List.of())),
              "httpHeaders", Map.of(), "httpStatusCode", 200, "referenceId", ref));
        } else {
          responses.add(Map.of("body", Map.of("done", true, "totalSize", 1, "records",
              List.of(contact(id("L1"), "a@example.com"))), "httpHeaders", Map.of(), "httpStatusCode", 200,
              "referenceId", ref));
        }
      }
      return new MockResponse.Builder().code(200).body(json(Map.of("compositeResponse", responses))).build();
    });

    List<UpsertOutcome> outcomes = open(Map.of()).bulkWrite(List.of(
        CustomerWrite.update(id("L2"), dev.crmkit.CustomerUpdate.builder().firstName("X").build()),
        CustomerWrite.create(CustomerDraft.builder().lastName("L1").build())));

    assertThat(outcomes.get(0).status()).isEqualTo(UpsertOutcome.Status.REJECTED);
    assertThat(outcomes.get(0).error()).isInstanceOf(ValidationException.class).hasMessageContaining("bad field");
    assertThat(outcomes.get(1).status()).isEqualTo(UpsertOutcome.Status.CREATED);
    assertThat(outcomes.get(1).customer().email()).isEqualTo("a@example.com");
  }

  @Test
  void aCompanyWhoseAccountCannotBeCreatedRejectsItsWritesOnlyAndNamesAreResolvedOnceIgnoringCase()
      throws Exception {
    serve(request -> {
      if (!request.getUrl().encodedPath().equals(DATA + "/composite")) {
        return null;
      }
      List<Map<String, Object>> responses = new ArrayList<>();
      for (JsonNode sub : read(request).path("compositeRequest")) {
        Object body;
        String url = java.net.URLDecoder.decode(sub.path("url").asText(), java.nio.charset.StandardCharsets.UTF_8);
        if (url.contains("FROM Account")) {
          body = Map.of("done", true, "totalSize", 1, "records", List.of(Map.of("Id", "001000000000001AAA",
              "Name", "Known Ltd")));
        } else if (url.contains("FROM Contact")) {
          body = Map.of("done", true, "totalSize", 1, "records", List.of(contact(id("L1"), null)));
        } else if (sub.path("body").path("records").get(0).path("attributes").path("type").asText().equals("Account")) {
          List<Map<String, Object>> results = new ArrayList<>();
          for (JsonNode r : sub.path("body").path("records")) {
            results.add(r.path("Name").asText().equals("Bad Co")
                ? Map.of("success", false, "errors", List.of(Map.of("statusCode", "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                    "message", "no such company", "fields", List.of())))
                : Map.of("success", true, "id", "001000000000002AAA", "errors", List.of()));
          }
          body = results;
        } else {
          body = List.of(Map.of("success", true, "id", id("L1"), "errors", List.of()));
        }
        responses.add(Map.of("body", body, "httpHeaders", Map.of(), "httpStatusCode", 200,
            "referenceId", sub.path("referenceId").asText()));
      }
      return new MockResponse.Builder().code(200).body(json(Map.of("compositeResponse", responses))).build();
    });

    List<UpsertOutcome> outcomes = open(Map.of()).bulkWrite(List.of(
        CustomerWrite.create(CustomerDraft.builder().lastName("L0").company("Bad Co").build()),
        CustomerWrite.create(CustomerDraft.builder().lastName("L1").company("KNOWN LTD").build()),
        CustomerWrite.create(CustomerDraft.builder().lastName("L2").company("bad co").build())));

    assertThat(outcomes.get(0).status()).isEqualTo(UpsertOutcome.Status.REJECTED);
    assertThat(outcomes.get(0).error()).isInstanceOf(ValidationException.class).hasMessageContaining("no such company");
    assertThat(outcomes.get(2).status()).isEqualTo(UpsertOutcome.Status.REJECTED);
    assertThat(outcomes.get(1).status()).isEqualTo(UpsertOutcome.Status.CREATED);
    List<JsonNode> composites = requests.stream().filter(r -> r.getUrl().encodedPath().equals(DATA + "/composite"))
        .map(SalesforceCustomerSystemTest::read).toList();
    String nameQuery = java.net.URLDecoder.decode(composites.get(0).path("compositeRequest").get(0).path("url").asText(),
        java.nio.charset.StandardCharsets.UTF_8);
    assertThat(nameQuery).contains("Name IN ('Bad Co', 'KNOWN LTD')");
    JsonNode accountCreates = composites.get(1).path("compositeRequest").get(0).path("body").path("records");
    assertThat(accountCreates).hasSize(1);
    assertThat(accountCreates.get(0).path("Name").asText()).isEqualTo("Bad Co");
    JsonNode contacts = composites.get(2).path("compositeRequest").get(0).path("body").path("records");
    assertThat(contacts).hasSize(1);
    assertThat(contacts.get(0).path("AccountId").asText()).isEqualTo("001000000000001AAA");
  }

  @Test
  void aRecordWithReferenceSyntaxInItsTextIsSentOutsideTheCompositeCall() throws Exception {
    serve(request -> {
      String path = request.getUrl().encodedPath();
      if (path.equals(DATA + "/composite/sobjects")) {
        return new MockResponse.Builder().code(200)
            .body(json(List.of(Map.of("success", true, "id", id("L1"), "errors", List.of())))).build();
      }
      if (path.equals(DATA + "/composite")) {
        JsonNode sub = read(request).path("compositeRequest").get(0);
        return new MockResponse.Builder().code(200).body(json(Map.of("compositeResponse", List.of(Map.of(
            "body", Map.of("done", true, "totalSize", 1, "records", List.of(contact(id("L1"), null))),
            "httpHeaders", Map.of(), "httpStatusCode", 200, "referenceId", sub.path("referenceId").asText())))))
            .build();
      }
      return null;
    });

    List<UpsertOutcome> outcomes = open(Map.of()).bulkWrite(List.of(
        CustomerWrite.create(CustomerDraft.builder().lastName("@{r1.id}").build())));

    assertThat(outcomes.get(0).status()).isEqualTo(UpsertOutcome.Status.CREATED);
    RecordedRequest direct = requests.stream()
        .filter(r -> r.getUrl().encodedPath().equals(DATA + "/composite/sobjects")).findFirst().orElseThrow();
    assertThat(read(direct).path("records").get(0).path("LastName").asText()).isEqualTo("@{r1.id}");
    assertThat(requests).filteredOn(r -> r.getUrl().encodedPath().equals(DATA + "/composite")).hasSize(1);
  }

  @Test
  void aSpentDailyBudgetStopsCallsBeforeSalesforceDoes() throws Exception {
    serve(request -> records());
    CustomerSystem system = open(Map.of("dailyApiReservePercent", "10"));
    system.findByEmail("a@example.com");
    int sent = requests.size();

    apiUsage = "api-usage=95/100";
    system.findByEmail("b@example.com");

    assertThatThrownBy(() -> system.findByEmail("c@example.com"))
        .isInstanceOf(dev.crmkit.error.RateLimitedException.class);
    assertThat(requests).hasSize(sent + 1);
  }

  // ------------------------------------------------------------------ fixtures

  private volatile String apiUsage = "api-usage=10/100000";

  private static String id(String name) {
    String digits = name.substring(1);
    return "003" + "0".repeat(12 - digits.length()) + digits + "AAA";
  }

  private CustomerSystem open(Map<String, String> settings) {
    TenantConfig.Builder config = TenantConfig.builder("t1", "salesforce")
        .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, "token-1")
        .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, server.url("/").toString());
    settings.forEach(config::setting);
    return new SalesforceCustomerSystemProvider().create(
        new ProviderContext(config.build(), Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), Map.of()));
  }

  private void serve(java.util.function.Function<RecordedRequest, MockResponse> answer) throws Exception {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        requests.add(request);
        MockResponse r = request.getUrl().encodedPath().endsWith("/describe") ? describe(List.of("Loyalty_Id__c"))
            : answer.apply(request);
        if (r == null) {
          r = new MockResponse.Builder().code(404).body("[{\"errorCode\":\"NOT_FOUND\",\"message\":\"no\"}]").build();
        }
        return r.newBuilder().addHeader("Sforce-Limit-Info", apiUsage).build();
      }
    });
    server.start();
  }

  private static MockResponse describe(List<String> extra) {
    List<Map<String, Object>> fields = new ArrayList<>();
    for (String name : List.of("Id", "FirstName", "LastName", "Email", "Phone")) {
      fields.add(Map.of("name", name));
    }
    CUSTOM.forEach(n -> fields.add(Map.of("name", n)));
    extra.forEach(n -> fields.add(Map.of("name", n)));
    return new MockResponse.Builder().code(200).body(json(Map.of("name", "Contact", "fields", fields))).build();
  }

  @SafeVarargs
  private static MockResponse records(Map<String, Object>... rows) {
    return new MockResponse.Builder().code(200)
        .body(json(Map.of("done", true, "totalSize", rows.length, "records", List.of(rows)))).build();
  }

  private static Map<String, Object> contact(String id, String email) {
    Map<String, Object> c = new java.util.HashMap<>();
    c.put("attributes", Map.of("type", "Contact", "url", DATA + "/sobjects/Contact/" + id));
    c.put("Id", id);
    c.put("FirstName", "Ada");
    c.put("LastName", "Lovelace");
    c.put("Email", email);
    c.put("Phone", "+442079460000");
    c.put("MailingCity", "London");
    c.put("CreatedDate", "2025-12-01T10:00:00.000+0000");
    c.put("LastModifiedDate", "2025-12-02T10:00:00.000+0000");
    c.put("IsDeleted", false);
    c.put("Customer_Segment__c", "VIP");
    c.put("SMS_Opt_In__c", true);
    c.put("Email_Opt_In__c", false);
    return c;
  }

  private List<RecordedRequest> queries() {
    return requests.stream().filter(r -> q(r) != null).collect(Collectors.toList());
  }

  private static String q(RecordedRequest r) {
    return r.getUrl().queryParameter("q");
  }

  private static JsonNode read(RecordedRequest r) {
    try {
      return JSON.readTree(r.getBody().utf8());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String json(Object o) {
    try {
      return JSON.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
