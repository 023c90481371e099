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
  }
}
