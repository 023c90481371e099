package dev.crmkit.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OpenApiSpecTest {
  private static final OpenApiSpec SPEC = HubSpotOpenApi.spec();
  private static final OpenApiSpec CLOSED =
      HubSpotOpenApi.builder()
          .rejectUndeclaredRequestProperties(true)
          .rejectUndeclaredResponseProperties(true)
          .build();
  private static final String BASE = "https://api.hubapi.com";
  private static final String CONTACT =
      "{\"id\":\"101\",\"properties\":{\"email\":\"ada@example.com\"},"
          + "\"createdAt\":\"2024-05-01T10:00:00Z\",\"updatedAt\":\"2024-05-01T10:00:00.123Z\","
          + "\"archived\":false}";
  private static final String ERROR =
      "{\"category\":\"VALIDATION_ERROR\",\"correlationId\":\"6c1f0c3e-2f4b-4a4e-9d59-5b2a77a3d8f1\","
          + "\"message\":\"Property values were not valid\"}";

  private static List<String> check(OpenApiSpec spec, String method, String path, String request, int status, String response) {
    return spec.check(HttpExchange.json(method, BASE + path, request, status, response));
  }

  @Test
  void conformingCreateHasNoViolations() {
    assertThat(check(SPEC, "POST", "/crm/v3/objects/contacts",
        "{\"properties\":{\"email\":\"ada@example.com\"},\"associations\":[]}", 201, CONTACT))
        .isEmpty();
  }

  @Test
  void wrongTypeInARequestBodyNamesOperationPointerAndRule() {
    assertThat(check(SPEC, "POST", "/crm/v3/objects/contacts/batch/upsert",
        "{\"inputs\":[{\"id\":\"ada@example.com\",\"idProperty\":5,\"properties\":{}}]}", 200,
        "{\"status\":\"COMPLETE\",\"results\":[],\"startedAt\":\"2024-05-01T10:00:00Z\","
            + "\"completedAt\":\"2024-05-01T10:00:01Z\"}"))
        .containsExactly(
            "POST /crm/v3/objects/contacts/batch/upsert: request body $.inputs[0].idProperty: "
                + "integer found, string expected");
  }

  @Test
  void missingRequiredPropertiesAreEachReported() {
    assertThat(check(SPEC, "POST", "/crm/v3/objects/contacts",
        "{\"properties\":{\"email\":\"ada@example.com\"}}", 201, CONTACT))
        .containsExactly(
            "POST /crm/v3/objects/contacts: request body $: required property 'associations' not found");
  }

  @Test
  void undeclaredRequestPropertyIsAViolationOnlyWhenObjectsAreClosed() {
    String body = "{\"properties\":{\"email\":\"ada@example.com\"},\"associations\":[],\"idProprety\":\"email\"}";
    assertThat(check(SPEC, "POST", "/crm/v3/objects/contacts", body, 201, CONTACT)).isEmpty();
    assertThat(check(CLOSED, "POST", "/crm/v3/objects/contacts", body, 201, CONTACT))
        .containsExactly(
            "POST /crm/v3/objects/contacts: request body $: property 'idProprety' is not defined in the"
                + " schema and the schema does not allow additional properties");
  }

  @Test
  void closedObjectsStillAllowFreeFormPropertyMaps() {
    assertThat(check(CLOSED, "PATCH", "/crm/v3/objects/contacts/101",
        "{\"properties\":{\"any_custom_property\":\"x\"}}", 200, CONTACT))
        .isEmpty();
  }

  @Test
  void documentDeclaredAdditionalPropertiesFalseIsEnforcedWithoutClosing() {
    OpenApiSpec spec = OpenApiSpec.builder().document("tiny.json", """
        {"openapi":"3.0.1","paths":{"/things":{"post":{
          "requestBody":{"required":true,"content":{"application/json":{"schema":
            {"type":"object","properties":{"name":{"type":"string"}},"additionalProperties":false}}}},
          "responses":{"204":{"description":"ok"}}}}}}
        """).build();
    assertThat(spec.check(HttpExchange.json("POST", BASE + "/things", "{\"nmae\":\"x\"}", 204, null)))
        .containsExactly(
            "POST /things: request body $: property 'nmae' is not defined in the schema and the schema"
                + " does not allow additional properties");
    assertThat(spec.check(HttpExchange.json("POST", BASE + "/things", null, 204, null)))
        .containsExactly("POST /things: request body is required but missing");
  }

  @Test
  void valueOutsideAnEnumIsReported() {
    assertThat(check(SPEC, "POST", "/crm/v3/objects/contacts/search",
        "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"LIKE\",\"value\":\"a\"}]}],"
            + "\"sorts\":[],\"properties\":[\"email\"],\"limit\":10,\"after\":\"0\"}",
        200, "{\"total\":0,\"results\":[]}"))
        .containsExactly(
            "POST /crm/v3/objects/contacts/search: request body $.filterGroups[0].filters[0].operator: does"
                + " not have a value in the enumeration [\"BETWEEN\", \"CONTAINS_TOKEN\", \"EQ\", \"GT\","
                + " \"GTE\", \"HAS_PROPERTY\", \"IN\", \"LT\", \"LTE\", \"NEQ\", \"NOT_CONTAINS_TOKEN\","
                + " \"NOT_HAS_PROPERTY\", \"NOT_IN\"]");
  }

  @Test
  void oneOfResponseMustMatchExactlyOneBranch() {
    HttpExchange exchange = new HttpExchange("POST", BASE + "/oauth/v1/token",
        "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=c&client_secret=s",
        200, "application/json", "{\"access_token\":\"a\",\"expires_in\":1800,\"token_type\":\"bearer\"}");
    assertThat(SPEC.check(exchange))
        .startsWith("POST /oauth/v1/token: response 200 body $: must be valid to one and only one schema,"
            + " but 0 are valid")
        .contains("POST /oauth/v1/token: response 200 body $: required property 'token_use' not found");
  }

  @Test
  void unknownPathUnderASpecIsNoSuchOperation() {
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts/101/extra", null, 404, ERROR))
        .containsExactly("GET /crm/v3/objects/contacts/101/extra: no such operation in contacts.v3.json");
    assertThat(check(SPEC, "PUT", "/crm/v3/objects/contacts/101", "{}", 405, ERROR))
        .containsExactly(
            "PUT /crm/v3/objects/contacts/101: no such operation in contacts.v3.json"
                + " (the path allows DELETE, GET, PATCH)");
  }

  @Test
  void literalSegmentsWinOverTemplateVariables() {
    assertThat(check(SPEC, "POST", "/crm/v3/objects/contacts/merge",
        "{\"primaryObjectId\":\"1\",\"objectIdToMerge\":\"2\"}", 200, CONTACT))
        .isEmpty();
  }

  @Test
  void badQueryParametersAreUndeclaredNamesAndWrongTypes() {
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts?limit=ten&limt=5&archived=maybe", null, 200,
        "{\"results\":[]}"))
        .containsExactly(
            "GET /crm/v3/objects/contacts: query parameter archived: string found, boolean expected",
            "GET /crm/v3/objects/contacts: query parameter limit: string found, integer expected",
            "GET /crm/v3/objects/contacts: query parameter limt is not declared by the operation");
  }

  @Test
  void repeatedArrayQueryParametersConform() {
    assertThat(check(SPEC, "GET",
        "/crm/v3/objects/contacts/ada%40example.com?idProperty=email&properties=email&properties=firstname",
        null, 200, CONTACT))
        .isEmpty();
  }

  @Test
  void pathParametersAreCheckedAgainstTheirSchema() {
    assertThat(SPEC.check(HttpExchange.json("GET", BASE + "/webhooks/v3/abc/settings", null, 200,
        "{\"targetUrl\":\"https://example.com/hook\",\"throttling\":{\"maxConcurrentRequests\":10},"
            + "\"createdAt\":\"2024-05-01T10:00:00Z\"}")))
        .containsExactly("GET /webhooks/v3/{appId}/settings: path parameter appId: string found, integer expected");
  }

  @Test
  void responseBodyIsCheckedAgainstTheSchemaForItsStatus() {
    String badContact = CONTACT.replace("\"2024-05-01T10:00:00Z\"", "\"yesterday\"").replace("false", "\"no\"");
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts/101", null, 200, badContact))
        .containsExactly(
            "GET /crm/v3/objects/contacts/{contactId}: response 200 body $.archived: string found, boolean expected",
            "GET /crm/v3/objects/contacts/{contactId}: response 200 body $.createdAt: does not match the"
                + " date-time pattern must be a valid RFC 3339 date-time");
  }

  @Test
  void errorResponsesAreCheckedAgainstTheDefaultResponse() {
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts/101", null, 404, ERROR)).isEmpty();
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts/101", null, 429,
        "{\"status\":\"error\",\"message\":\"You have reached your ten_secondly_rolling limit.\"}"))
        .containsExactly(
            "GET /crm/v3/objects/contacts/{contactId}: response 429 body $: required property 'category' not found",
            "GET /crm/v3/objects/contacts/{contactId}: response 429 body $: required property 'correlationId' not found");
  }

  @Test
  void noContentResponsesMustBeEmptyAndContentResponsesMustNot() {
    assertThat(check(SPEC, "DELETE", "/crm/v3/objects/contacts/101", null, 204, "{}"))
        .containsExactly(
            "DELETE /crm/v3/objects/contacts/{contactId}: response 204 body must be empty, the operation"
                + " declares no content for 204");
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts/101", null, 200, ""))
        .containsExactly(
            "GET /crm/v3/objects/contacts/{contactId}: response 200 body is empty but the operation declares"
                + " content for 200");
    assertThat(check(SPEC, "GET", "/crm/v3/objects/contacts/101", null, 200, "<html>"))
        .singleElement().asString()
        .startsWith("GET /crm/v3/objects/contacts/{contactId}: response 200 body is not JSON: ");
  }

  @Test
  void formBodiesAreCheckedFieldByField() {
    String tokens = "{\"access_token\":\"a\",\"refresh_token\":\"r\",\"expires_in\":1800,"
        + "\"token_type\":\"bearer\",\"token_use\":\"access_token\"}";
    HttpExchange good = new HttpExchange("POST", BASE + "/oauth/v1/token",
        "application/x-www-form-urlencoded",
        "grant_type=refresh_token&client_id=c&client_secret=s&refresh_token=r%2B1", 200,
        "application/json;charset=utf-8", tokens);
    assertThat(SPEC.check(good)).isEmpty();

    HttpExchange bad = new HttpExchange("POST", BASE + "/oauth/v1/token",
        "application/x-www-form-urlencoded", "grant_type=password&client_id=c&username=u", 200,
        "application/json", tokens);
    assertThat(SPEC.check(bad))
        .containsExactly(
            "POST /oauth/v1/token: request form field grant_type: does not have a value in the enumeration"
                + " [\"authorization_code\", \"client_credentials\", \"refresh_token\"]",
            "POST /oauth/v1/token: request form field username is not declared");
  }

  @Test
  void requestContentTypeMustBeDeclared() {
    HttpExchange exchange = new HttpExchange("POST", BASE + "/oauth/v1/token", "application/json",
        "{\"grant_type\":\"refresh_token\"}", 400, "application/json", ERROR);
    assertThat(SPEC.check(exchange))
        .containsExactly(
            "POST /oauth/v1/token: request content type application/json is not declared"
                + " (declared: application/x-www-form-urlencoded)");
  }

  @Test
  void requestsOutsideEverySpecAreUncoveredNotViolations() {
    HttpExchange call = HttpExchange.json("POST", BASE + "/crm/v3/objects/calls",
        "{\"properties\":{}}", 201, "{\"id\":\"1\"}");
    HttpExchange association = HttpExchange.json("PUT",
        BASE + "/crm/v4/objects/contacts/1/associations/default/notes/2", null, 200, "{}");
    assertThat(SPEC.check(call)).isEmpty();

    ConformanceReport report = SPEC.report(List.of(call, association,
        HttpExchange.json("GET", BASE + "/crm/v3/objects/contacts/101", null, 200, CONTACT)));

    assertThat(report.conforms()).isTrue();
    assertThat(report.uncoveredRequests()).containsExactly(
        "POST /crm/v3/objects/calls: not covered by a provided spec",
        "PUT /crm/v4/objects/contacts/1/associations/default/notes/2: not covered by a provided spec");
    assertThat(report.exercisedOperations()).containsExactly("GET /crm/v3/objects/contacts/{contactId}");
    assertThat(report.unexercisedOperations())
        .contains("DELETE /crm/v3/objects/contacts/{contactId}", "POST /oauth/v1/token")
        .doesNotContain("GET /crm/v3/objects/contacts/{contactId}")
        .hasSize(SPEC.operations().size() - 1);
  }

  @Test
  void reportCollectsViolationsOfEveryExchange() {
    ConformanceReport report = SPEC.report(List.of(
        HttpExchange.json("GET", BASE + "/crm/v3/objects/contacts?limt=1", null, 200, "{\"results\":[]}"),
        HttpExchange.json("GET", BASE + "/crm/v3/objects/notes/9/nope", null, 404, ERROR)));

    assertThat(report.conforms()).isFalse();
    assertThat(report.violations()).containsExactly(
        "GET /crm/v3/objects/contacts: query parameter limt is not declared by the operation",
        "GET /crm/v3/objects/notes/9/nope: no such operation in notes.v3.json");
    assertThat(report.toString()).contains("2 violation(s)", "limt");
  }

  @Test
  void operationsListsEveryOperationOfEveryDocument() {
    assertThat(SPEC.operations())
        .hasSize(13 + 12 + 11 + 4 + 14 + 9)
        .contains("POST /crm/v3/objects/contacts/gdpr-delete", "PATCH /crm/v3/objects/notes/{noteId}",
            "POST /crm/v3/objects/0-3", "GET /crm/v3/pipelines/{objectType}/{pipelineId}/stages/{stageId}",
            "POST /oauth/v1/token", "PUT /webhooks/v3/{appId}/settings");
  }

  @Test
  void builderRejectsBadDocumentsNamingThem() {
    assertThatThrownBy(() -> OpenApiSpec.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("add at least one OpenAPI document");
    assertThatThrownBy(() -> OpenApiSpec.builder().document("swagger.json", "{\"swagger\":\"2.0\",\"paths\":{}}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("swagger.json");
    assertThatThrownBy(() -> OpenApiSpec.builder().document("broken.json", "{"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not JSON");
    assertThatThrownBy(() -> HubSpotOpenApi.builder().classpathDocument(
            HubSpotOpenApi.RESOURCE_DIRECTORY + "contacts.v3.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("already the name");
    assertThatThrownBy(() -> OpenApiSpec.builder().classpathDocument("/no/such/spec.json"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/no/such/spec.json");
  }

  @Test
  void exchangeRejectsRelativeUrlsAndImpossibleStatuses() {
    assertThatThrownBy(() -> HttpExchange.json("GET", "/crm/v3/objects/contacts", null, 200, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("url");
    assertThatThrownBy(() -> HttpExchange.json("GET", BASE + "/x", null, 42, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("42");
    assertThatThrownBy(() -> HttpExchange.json("GET", BASE + "/x", null, 600, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("status must be an HTTP status, 100 to 599: 600");
    assertThatThrownBy(() -> HttpExchange.json(null, BASE + "/x", null, 200, ""))
        .isInstanceOf(NullPointerException.class).hasMessage("method");
    assertThatThrownBy(() -> HttpExchange.json("GET", null, null, 200, ""))
        .isInstanceOf(NullPointerException.class).hasMessage("url");
    assertThatThrownBy(() -> OpenApiSpec.builder().document(null, "{}"))
        .isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> OpenApiSpec.builder().document("x.json", null))
        .isInstanceOf(NullPointerException.class).hasMessage("json");
    assertThatThrownBy(() -> OpenApiSpec.builder().classpathDocument(null))
        .isInstanceOf(NullPointerException.class).hasMessage("resource");
  }

  @Test
  void betweenEquallyLiteralTemplatesTheLaterLiteralWins() {
    OpenApiSpec spec = OpenApiSpec.builder().document("tie.json", "{\"openapi\":\"3.0.1\",\"paths\":{"
        + "\"/sobjects/Contact/{id}\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}},"
        + "\"/sobjects/{sObject}/describe\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}")
        .build();

    assertThat(spec.report(List.of(HttpExchange.json("GET", BASE + "/sobjects/Contact/describe", null, 200, null)))
        .exercisedOperations()).containsExactly("GET /sobjects/{sObject}/describe");
    assertThat(spec.report(List.of(HttpExchange.json("GET", BASE + "/sobjects/Contact/003", null, 200, null)))
        .exercisedOperations()).containsExactly("GET /sobjects/Contact/{id}");
  }
}
