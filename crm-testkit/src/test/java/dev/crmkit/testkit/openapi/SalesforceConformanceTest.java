package dev.crmkit.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Both Salesforce materials together, on synthetic exchanges. */
class SalesforceConformanceTest {
  private static final SalesforceConformance CONFORMANCE = SalesforceConformance.builder()
      .describe("{\"name\":\"Contact\",\"fields\":[{\"name\":\"Id\"},{\"name\":\"LastName\"},"
          + "{\"name\":\"Customer_Segment__c\"}]}")
      .build();
  private static final String DATA = "https://acme.my.salesforce.com/services/data/v59.0";
  private static final String SAVED = "{\"id\":\"003000000000001AAA\",\"success\":true,\"errors\":[]}";

  @Test
  void theSpecPathDropsTheVersionRootAndLeavesOtherPaths() {
    HttpExchange data = HttpExchange.json("GET", DATA + "/sobjects/Contact/describe?x=1", null, 200, null);
    HttpExchange token = HttpExchange.json("POST", "https://login.salesforce.com/services/oauth2/token", null, 200, null);

    assertThat(SalesforceOpenApi.specPath(data).url()).isEqualTo("https://acme.my.salesforce.com/sobjects/Contact/describe?x=1");
    assertThat(SalesforceOpenApi.specPath(token)).isSameAs(token);
  }

  @Test
  void aRecordCreateIsCheckedByBothMaterialsWithTheOrgsCustomFields() {
    SalesforceConformance.Result result = CONFORMANCE.check(HttpExchange.json("POST", DATA + "/sobjects/Contact",
        "{\"LastName\":\"Lovelace\",\"Customer_Segment__c\":\"VIP\",\"Phone\":null}", 201, SAVED));

    assertThat(result.operations()).containsExactly("POST /sobjects/Contact", "rest/sobject_create");
    assertThat(result.violations()).isEmpty();
  }

  @Test
  void aFieldNeitherTheSchemaNorTheDescribeDeclaresIsAViolation() {
    SalesforceConformance.Result result = CONFORMANCE.check(HttpExchange.json("POST", DATA + "/sobjects/Contact",
        "{\"LastName\":\"Lovelace\",\"Segment__c\":\"VIP\"}", 201, SAVED));

    assertThat(result.violations()).singleElement().asString().contains("Contact has no field Segment__c");
  }

  @Test
  void aWrongTypeAgainstTheSchemaAndAWrongResponseAreViolations() {
    SalesforceConformance.Result result = CONFORMANCE.check(HttpExchange.json("POST", DATA + "/sobjects/Contact",
        "{\"LastName\":5}", 201, "{\"id\":5,\"success\":true,\"errors\":[],\"created\":true}"));

    assertThat(result.violations()).anyMatch(v -> v.startsWith("POST /sobjects/Contact: request body $.LastName"))
        .anyMatch(v -> v.startsWith("POST /sobjects/Contact: response 201 body $.id"))
        .anyMatch(v -> v.contains("'created'"));
  }

  @Test
  void describeAndGetDeletedAreInBothGetUpdatedOnlyInTheCollection() {
    SalesforceConformance.Result describe = CONFORMANCE.check(HttpExchange.json("GET", DATA + "/sobjects/Contact/describe",
        null, 200, "{\"name\":\"Contact\",\"fields\":[]}"));
    SalesforceConformance.Result deleted = CONFORMANCE.check(HttpExchange.json("GET", DATA
        + "/sobjects/Contact/deleted/?start=2025-03-01T00:00:00Z&end=2025-03-02T00:00:00Z", null, 200,
        "{\"deletedRecords\":[],\"earliestDateAvailable\":\"2025-02-14T00:00:00Z\","
            + "\"latestDateCovered\":\"2025-03-02T00:00:00Z\"}"));
    SalesforceConformance.Result updated = CONFORMANCE.check(HttpExchange.json("GET", DATA
        + "/sobjects/Contact/updated/?start=2025-03-01T00:00:00Z&end=2025-03-02T00:00:00Z", null, 200,
        "{\"ids\":[],\"latestDateCovered\":\"2025-03-02T00:00:00Z\"}"));

    assertThat(describe.operations()).containsExactly("GET /sobjects/{sObject}/describe", "rest/sobject_describe");
    assertThat(describe.violations()).isEmpty();
    assertThat(deleted.operations()).containsExactly("GET /sobjects/{sObject}/deleted", "rest/sobject_get_deleted");
    assertThat(deleted.violations()).isEmpty();
    assertThat(updated.operations()).containsExactly("rest/sobject_get_updated");
    assertThat(updated.violations()).isEmpty();
  }

  @Test
  void anUpsertByExternalIdIsInNeitherMaterial() {
    SalesforceConformance.Result upsert = CONFORMANCE.check(HttpExchange.json("PATCH", DATA
        + "/sobjects/Contact/Email/ada@example.com", "{\"LastName\":\"L\"}", 201, SAVED));

    assertThat(upsert.covered()).isFalse();
    assertThat(upsert.operations()).isEmpty();
    assertThat(upsert.violations()).isEmpty();
  }

  @Test
  void aReportSeparatesOperationsOfBothMaterialsFromRequestsInNeither() {
    ConformanceReport report = CONFORMANCE.report(List.of(
        HttpExchange.json("PATCH", DATA + "/sobjects/Contact/003000000000001AAA", "{\"LastName\":\"L\"}", 204, null),
        HttpExchange.json("GET", DATA + "/query?q=SELECT+Id+FROM+Contact", null, 200,
            "{\"done\":true,\"totalSize\":0,\"records\":[]}"),
        HttpExchange.json("GET", DATA + "/query/01gD0000002HU6KIAW-2000", null, 200,
            "{\"done\":true,\"totalSize\":0,\"records\":[]}")));

    assertThat(report.exercisedOperations()).containsExactly("PATCH /sobjects/Contact/{id}", "rest/query",
        "rest/sobject_rows_update");
    assertThat(report.uncoveredRequests()).containsExactly(
        "GET /services/data/v59.0/query/01gD0000002HU6KIAW-2000: not covered by a provided spec");
    assertThat(report.violations()).isEmpty();
    assertThat(CONFORMANCE.operations()).contains("GET /sobjects/Contact/{id}", "bulk_v2/create_job");
  }

  @Test
  void aNullFieldValueIsAKnownDepartureNothingElseIs() {
    assertThat(SalesforceOpenApi.isKnownDeparture("PATCH /sobjects/Contact/{id}: request body $.Phone: null found,"
        + " string expected")).isTrue();
    assertThat(SalesforceOpenApi.isKnownDeparture("PATCH /sobjects/Contact/{id}: request body $.Phone: integer found,"
        + " string expected")).isFalse();
    assertThat(SalesforceOpenApi.isKnownDeparture("GET /sobjects/{sObject}/describe: response 200 body"
        + " $.fields[19].picklistValues[0].validFor: null found, string expected")).isTrue();
    assertThat(SalesforceOpenApi.isKnownDeparture("GET /sobjects/{sObject}/describe: response 200 body"
        + " $.fields[19].label: null found, string expected")).isFalse();
    assertThat(SalesforceOpenApi.isKnownDeparture("GET /sobjects/Contact/{id}: response 200 body $.CreatedDate:"
        + " does not match the date-time pattern must be a valid RFC 3339 date-time")).isTrue();
    assertThat(SalesforceOpenApi.isKnownDeparture("GET /sobjects/{sObject}/deleted: response 200 body"
        + " $.deletedRecords[0].deletedDate: does not match the date-time pattern must be a valid RFC 3339 date-time"))
        .isTrue();
    assertThat(SalesforceOpenApi.isKnownDeparture("GET /sobjects/{sObject}/deleted: response 200 body"
        + " $.deletedRecords[0].deletedDate: null found, string expected")).isFalse();
    assertThat(SalesforceOpenApi.isKnownDeparture("POST /sobjects/Event: request body $.StartDateTime:"
        + " does not match the date-time pattern must be a valid RFC 3339 date-time")).isFalse();
  }

  /**
   * The requests of the operations being added to the provider (notes, tasks and events, deals and
   * contact roles, the change feed, Bulk API 2.0, limits, JWT and authorization-code grants) each
   * match the operations a scenario will list, with no violation.
   */
  @Test
  void theOperationsStillToComeAreLoadedAndMatch() {
    String job = DATA + "/jobs/ingest/7505e000001NLkPAAW";
    String form = "application/x-www-form-urlencoded";
    String login = "https://login.salesforce.com/services/oauth2/token";
    List<Object[]> cases = List.of(
        new Object[] {HttpExchange.json("POST", DATA + "/sobjects/Task", "{\"WhoId\":\"003000000000001AAA\","
            + "\"Subject\":\"Call\",\"TaskSubtype\":\"Call\",\"Status\":\"Completed\",\"ActivityDate\":\"2025-03-14\"}",
            201, SAVED), List.of("POST /sobjects/Task", "rest/sobject_create")},
        new Object[] {HttpExchange.json("POST", DATA + "/sobjects/Event", "{\"WhoId\":\"003000000000001AAA\","
            + "\"Subject\":\"Meeting\",\"StartDateTime\":\"2025-03-14T09:00:00Z\",\"DurationInMinutes\":30}",
            201, SAVED), List.of("POST /sobjects/Event", "rest/sobject_create")},
        new Object[] {HttpExchange.json("POST", DATA + "/sobjects/Note", "{\"ParentId\":\"003000000000001AAA\","
            + "\"Title\":\"Call notes\",\"Body\":\"Wants a quote\"}", 201, SAVED),
            List.of("POST /sobjects/Note", "rest/sobject_create")},
        new Object[] {HttpExchange.json("POST", DATA + "/sobjects/Opportunity", "{\"Name\":\"Spring order\","
            + "\"StageName\":\"Prospecting\",\"CloseDate\":\"2025-04-01\",\"Amount\":1200.5}", 201, SAVED),
            List.of("POST /sobjects/Opportunity", "rest/sobject_create")},
        new Object[] {HttpExchange.json("PATCH", DATA + "/sobjects/Opportunity/006000000000001AAA",
            "{\"StageName\":\"Closed Won\"}", 204, null),
            List.of("PATCH /sobjects/Opportunity/{id}", "rest/sobject_rows_update")},
        new Object[] {HttpExchange.json("POST", DATA + "/sobjects/OpportunityContactRole", "{\"OpportunityId\":"
            + "\"006000000000001AAA\",\"ContactId\":\"003000000000001AAA\",\"IsPrimary\":true}", 201, SAVED),
            List.of("POST /sobjects/OpportunityContactRole", "rest/sobject_create")},
        new Object[] {HttpExchange.json("GET", DATA + "/queryAll?q=SELECT+Id+FROM+Contact+WHERE+IsDeleted+%3D+true",
            null, 200, "{\"done\":true,\"totalSize\":0,\"records\":[]}"), List.of("rest/queryall")},
        new Object[] {HttpExchange.json("GET", DATA + "/sobjects/Contact/updated/?start=2025-03-01T00%3A00%3A00%2B00%3A00"
            + "&end=2025-03-02T00%3A00%3A00%2B00%3A00", null, 200, "{\"ids\":[]}"), List.of("rest/sobject_get_updated")},
        new Object[] {HttpExchange.json("GET", DATA + "/sobjects/Contact/deleted/?start=2025-03-01T00%3A00%3A00%2B00%3A00"
            + "&end=2025-03-02T00%3A00%3A00%2B00%3A00", null, 200, "{\"deletedRecords\":[{\"id\":\"003000000000001AAA\","
            + "\"deletedDate\":\"2025-03-01T10:00:00.000Z\"}],\"earliestDateAvailable\":\"2025-02-14T00:00:00.000Z\","
            + "\"latestDateCovered\":\"2025-03-02T00:00:00.000Z\"}"),
            List.of("GET /sobjects/{sObject}/deleted", "rest/sobject_get_deleted")},
        new Object[] {HttpExchange.json("GET", DATA + "/limits", null, 200, "{\"DailyApiRequests\":{\"Max\":15000,"
            + "\"Remaining\":14998}}"), List.of("rest/limit")},
        new Object[] {HttpExchange.json("POST", DATA + "/jobs/ingest", "{\"object\":\"Contact\",\"operation\":\"insert\","
            + "\"contentType\":\"CSV\",\"lineEnding\":\"LF\"}", 200, "{\"id\":\"7505e000001NLkPAAW\"}"),
            List.of("bulk_v2/create_job")},
        new Object[] {new HttpExchange("PUT", job + "/batches", "text/csv", "LastName,Email\nLovelace,ada@example.com\n",
            201, null, ""), List.of("bulk_v2/upload_job_data")},
        new Object[] {HttpExchange.json("PATCH", job, "{\"state\":\"UploadComplete\"}", 200, "{}"),
            List.of("bulk_v2/close_or_abort_a_job")},
        new Object[] {HttpExchange.json("GET", job, null, 200, "{}"), List.of("bulk_v2/get_job_info")},
        new Object[] {HttpExchange.json("GET", job + "/successfulResults", null, 200, ""),
            List.of("bulk_v2/get_job_successful_record_results")},
        new Object[] {HttpExchange.json("GET", job + "/failedResults", null, 200, ""),
            List.of("bulk_v2/get_job_failed_record_results")},
        new Object[] {new HttpExchange("POST", login, form, "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3A"
            + "jwt-bearer&assertion=eyJhbGciOiJSUzI1NiJ9.e30.c2ln", 200, null, ""), List.of("auth/jwt_bearer_token_flow")},
        new Object[] {new HttpExchange("POST", login, form, "grant_type=authorization_code&code=aPrxYXyxzkuBzbiLK"
            + "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcallback&client_id=cid&client_secret=cs", 200, null, ""),
            List.of("auth/web_server_flow_2")});

    for (Object[] c : cases) {
      HttpExchange exchange = (HttpExchange) c[0];
      SalesforceConformance.Result result = CONFORMANCE.check(exchange);
      @SuppressWarnings("unchecked")
      List<String> expected = (List<String>) c[1];
      assertThat(result.operations()).as("%s %s", exchange.method(), exchange.url())
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(result.violations()).as("%s %s", exchange.method(), exchange.url()).isEmpty();
    }
  }
}
