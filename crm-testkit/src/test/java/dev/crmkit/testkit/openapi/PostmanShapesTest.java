package dev.crmkit.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Postman shape checker on synthetic exchanges: each operation crmkit's Salesforce provider uses
 * or will use, conforming and then wrong.
 */
class PostmanShapesTest {
  private static final PostmanShapes SHAPES = PostmanShapes.builder()
      .sObjectFields("Contact", List.of("Customer_Segment__c"))
      .build();
  private static final String DATA = "https://acme.my.salesforce.com/services/data/v59.0";
  private static final String LOGIN = "https://login.salesforce.com/services/oauth2/token";
  private static final String JOB = DATA + "/jobs/ingest/7505e000001NLkPAAW";

  private static PostmanShapes.Result json(String method, String url, String body) {
    return SHAPES.check(HttpExchange.json(method, url, body, 200, null));
  }

  private static PostmanShapes.Result typed(String method, String url, String contentType, String body) {
    return SHAPES.check(new HttpExchange(method, url, contentType, body, 200, null, ""));
  }

  private static PostmanShapes.Result form(String body) {
    return typed("POST", LOGIN, "application/x-www-form-urlencoded", body);
  }

  @Test
  void everyBundledRequestIsLoadedWithItsTemplate() {
    assertThat(SHAPES.operations()).containsExactlyInAnyOrderElementsOf(PostmanShapes.REQUESTS);
    assertThat(SHAPES.describe("rest/query")).isEqualTo("GET /services/data/v{version}/query");
    assertThat(SHAPES.describe("bulk_v2/upload_job_data"))
        .isEqualTo("PUT /services/data/v{version}/jobs/ingest/{jobid}/batches");
    assertThat(SHAPES.describe("rest/sobject_rows")).isEqualTo("GET /services/data/v{version}/sobjects/{sobjectapiname}/{recordid}");
    assertThat(SHAPES.describe("auth/refresh_token")).isEqualTo("POST /services/oauth2/token");
    assertThat(SHAPES.describe("composite/sobject_collections_update"))
        .isEqualTo("PATCH /services/data/v{version}/composite/sobjects");
    assertThat(SHAPES.refinedOperations()).containsKeys("composite/sobject_collections_create", "bulk_v2/create_job",
        "auth/web_server_flow_2").allSatisfy((k, v) -> assertThat(v).startsWith("https://"));
    assertThatThrownBy(() -> SHAPES.describe("rest/nope")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rest/nope");
  }

  @Test
  void aQueryNeedsQAndNothingUndeclared() {
    PostmanShapes.Result good = json("GET", DATA + "/query?q=SELECT+Id+FROM+Contact", null);
    PostmanShapes.Result all = json("GET", DATA + "/queryAll?q=SELECT+Id+FROM+Contact", null);
    PostmanShapes.Result missing = json("GET", DATA + "/query", null);
    PostmanShapes.Result empty = json("GET", DATA + "/query?q=", null);
    PostmanShapes.Result extra = json("GET", DATA + "/query?q=SELECT+Id+FROM+Contact&limit=5", null);

    assertThat(good.operation()).isEqualTo("rest/query");
    assertThat(good.violations()).isEmpty();
    assertThat(all.operation()).isEqualTo("rest/queryall");
    assertThat(all.violations()).isEmpty();
    assertThat(missing.violations()).containsExactly(
        "rest/query (GET /services/data/v{version}/query): required query parameter q is missing");
    assertThat(empty.violations()).singleElement().asString().endsWith("required query parameter q is empty");
    assertThat(extra.violations()).singleElement().asString().contains("query parameter limit is not declared");
  }

  @Test
  void aQueryLocatorPageIsNotInTheCollection() {
    PostmanShapes.Result next = json("GET", DATA + "/query/01gD0000002HU6KIAW-2000", null);

    assertThat(next.covered()).isFalse();
    assertThat(next.operation()).isNull();
    assertThat(next.violations()).isEmpty();
  }

  @Test
  void aWrongMethodOnAKnownPathIsAViolation() {
    PostmanShapes.Result put = json("PUT", DATA + "/query?q=x", "{}");

    assertThat(put.covered()).isTrue();
    assertThat(put.violations()).singleElement().asString().contains("no such operation").contains("allows GET");
  }

  @Test
  void collectionsCreateRecordsNameTheirTypeAndCarryOnlyDeclaredFields() {
    String url = DATA + "/composite/sobjects";
    PostmanShapes.Result good = json("POST", url, "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
        + "\"LastName\":\"Lovelace\",\"Email\":\"ada@example.com\",\"Customer_Segment__c\":\"VIP\",\"Phone\":null}]}");
    PostmanShapes.Result noAllOrNone = json("POST", url, "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
        + "\"LastName\":\"L\"}]}");
    PostmanShapes.Result noType = json("POST", url, "{\"allOrNone\":false,\"records\":[{\"LastName\":\"L\"}]}");
    PostmanShapes.Result unknownField = json("POST", url, "{\"allOrNone\":false,\"records\":[{\"attributes\":"
        + "{\"type\":\"Contact\"},\"Segment__c\":\"VIP\"}]}");
    PostmanShapes.Result withId = json("POST", url, "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
        + "\"Id\":\"003000000000001AAA\"}]}");
    PostmanShapes.Result stringFlag = json("POST", url, "{\"allOrNone\":\"false\",\"records\":[]}");
    PostmanShapes.Result extraKey = json("POST", url, "{\"allOrNone\":false,\"records\":[],\"haltOnError\":true}");
    PostmanShapes.Result unknownType = json("POST", url, "{\"records\":[{\"attributes\":{\"type\":\"Widget__c\"},"
        + "\"Name\":\"x\"}]}");
    PostmanShapes.Result text = typed("POST", url, "text/plain", "{\"records\":[]}");

    assertThat(good.operation()).isEqualTo("composite/sobject_collections_create");
    assertThat(good.violations()).isEmpty();
    assertThat(noAllOrNone.violations()).isEmpty();
    assertThat(noType.violations()).singleElement().asString()
        .endsWith("request body $.records[0]: required property 'attributes.type' is missing (each record names its"
            + " sObject type)");
    assertThat(unknownField.violations()).singleElement().asString()
        .contains("$.records[0].Segment__c: Contact has no field Segment__c");
    assertThat(withId.violations()).singleElement().asString().contains("property 'Id' is not allowed");
    assertThat(stringFlag.violations()).singleElement().asString()
        .endsWith("request body $.allOrNone: string found, boolean expected");
    assertThat(extraKey.violations()).singleElement().asString()
        .contains("property 'haltOnError' is not declared (declared: allOrNone, records)");
    assertThat(unknownType.violations()).singleElement().asString().contains("no field list for sObject Widget__c");
    assertThat(text.violations()).singleElement().asString()
        .endsWith("request content type text/plain is not application/json");
  }

  @Test
  void collectionsCreateTakesAtMostTwoHundredRecords() {
    StringBuilder records = new StringBuilder();
    for (int i = 0; i < 201; i++) {
      records.append(i == 0 ? "" : ",").append("{\"attributes\":{\"type\":\"Contact\"},\"LastName\":\"L").append(i)
          .append("\"}");
    }

    assertThat(json("POST", DATA + "/composite/sobjects", "{\"records\":[" + records + "]}").violations())
        .singleElement().asString().endsWith("$.records: 201 items, at most 200 allowed");
  }

  @Test
  void collectionsUpdateRecordsNameTheirId() {
    String url = DATA + "/composite/sobjects";
    PostmanShapes.Result good = json("PATCH", url, "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":"
        + "\"Contact\"},\"Id\":\"003000000000001AAA\",\"Email\":\"a@example.com\"}]}");
    PostmanShapes.Result noId = json("PATCH", url, "{\"allOrNone\":false,\"records\":[{\"attributes\":{\"type\":"
        + "\"Contact\"},\"Email\":\"a@example.com\"}]}");
    PostmanShapes.Result delete = json("DELETE", url + "?ids=003000000000001AAA&allOrNone=false", null);
    PostmanShapes.Result deleteWithoutIds = json("DELETE", url + "?allOrNone=false", null);

    assertThat(good.operation()).isEqualTo("composite/sobject_collections_update");
    assertThat(good.violations()).isEmpty();
    assertThat(noId.violations()).singleElement().asString().contains("required property 'Id' is missing");
    assertThat(delete.operation()).isEqualTo("composite/sobject_collections_delete");
    assertThat(delete.violations()).isEmpty();
    assertThat(deleteWithoutIds.violations()).singleElement().asString().endsWith("required query parameter ids is missing");
  }

  @Test
  void compositeSubrequestsNeedMethodUrlAndReferenceIdAndTheirBodiesAreChecked() {
    String url = DATA + "/composite";
    String opportunity = "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Opportunity\","
        + "\"referenceId\":\"deal\",\"body\":{\"Name\":\"Spring order\",\"StageName\":\"Prospecting\","
        + "\"CloseDate\":\"2025-04-01\"}}";
    String role = "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/OpportunityContactRole\","
        + "\"referenceId\":\"role\",\"body\":{\"OpportunityId\":\"@{deal.id}\",\"ContactId\":\"003000000000001AAA\","
        + "\"IsPrimary\":true}}";
    PostmanShapes.Result good = json("POST", url, "{\"allOrNone\":true,\"compositeRequest\":[" + opportunity + ","
        + role + "]}");
    PostmanShapes.Result noReference = json("POST", url, "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":"
        + "\"/services/data/v59.0/sobjects/Contact/003000000000001AAA\"}]}");
    PostmanShapes.Result badMethod = json("POST", url, "{\"compositeRequest\":[{\"method\":\"FETCH\",\"url\":"
        + "\"/services/data/v59.0/limits\",\"referenceId\":\"l\"}]}");
    PostmanShapes.Result badBody = json("POST", url, "{\"compositeRequest\":[{\"method\":\"POST\",\"url\":"
        + "\"/services/data/v59.0/sobjects/Opportunity\",\"referenceId\":\"deal\",\"body\":{\"Title\":\"x\"}}]}");
    PostmanShapes.Result badSubquery = json("POST", url, "{\"compositeRequest\":[{\"method\":\"GET\",\"url\":"
        + "\"/services/data/v59.0/query\",\"referenceId\":\"q\"}]}");

    assertThat(good.operation()).isEqualTo("composite/composite");
    assertThat(good.violations()).isEmpty();
    assertThat(noReference.violations()).singleElement().asString()
        .endsWith("$.compositeRequest[0]: required property 'referenceId' is missing");
    assertThat(badMethod.violations()).singleElement().asString()
        .endsWith("$.compositeRequest[0].method: 'FETCH' is not one of [GET, POST, PUT, PATCH, DELETE]");
    assertThat(badBody.violations()).singleElement().asString()
        .contains("$.compositeRequest[0] (subrequest rest/sobject_create").contains("Opportunity has no field Title");
    assertThat(badSubquery.violations()).singleElement().asString()
        .contains("(subrequest rest/query").endsWith("required query parameter q is missing)");
  }

  @Test
  void aBulkIngestJobNamesObjectAndOperationWithDocumentedOptions() {
    String url = DATA + "/jobs/ingest";
    PostmanShapes.Result good = json("POST", url, "{\"object\":\"Contact\",\"operation\":\"insert\",\"contentType\":"
        + "\"CSV\",\"lineEnding\":\"LF\",\"columnDelimiter\":\"COMMA\"}");
    PostmanShapes.Result upsert = json("POST", url, "{\"object\":\"Contact\",\"operation\":\"upsert\","
        + "\"externalIdFieldName\":\"Email\"}");
    PostmanShapes.Result noOperation = json("POST", url, "{\"object\":\"Contact\",\"contentType\":\"CSV\"}");
    PostmanShapes.Result badLineEnding = json("POST", url, "{\"object\":\"Contact\",\"operation\":\"insert\","
        + "\"lineEnding\":\"CR\"}");
    PostmanShapes.Result badOperation = json("POST", url, "{\"object\":\"Contact\",\"operation\":\"merge\"}");
    PostmanShapes.Result extra = json("POST", url, "{\"object\":\"Contact\",\"operation\":\"insert\",\"batchSize\":200}");

    assertThat(good.operation()).isEqualTo("bulk_v2/create_job");
    assertThat(good.violations()).isEmpty();
    assertThat(upsert.violations()).isEmpty();
    assertThat(noOperation.violations()).singleElement().asString()
        .endsWith("request body $: required property 'operation' is missing");
    assertThat(badLineEnding.violations()).singleElement().asString()
        .endsWith("$.lineEnding: 'CR' is not one of [LF, CRLF]");
    assertThat(badOperation.violations()).singleElement().asString().contains("'merge' is not one of");
    assertThat(extra.violations()).singleElement().asString().contains("property 'batchSize' is not declared");
  }

  @Test
  void bulkJobDataIsCsvWithKnownColumnsAndEvenRows() {
    String url = JOB + "/batches";
    PostmanShapes.Result good = typed("PUT", url, "text/csv", "FirstName,LastName,Email\n\"Ada, Countess\",Lovelace,"
        + "ada@example.com\nGrace,\"Hopper \"\"Amazing\"\"\",grace@example.com\n");
    PostmanShapes.Result json = typed("PUT", url, "application/json", "FirstName\nAda\n");
    PostmanShapes.Result unknownColumn = typed("PUT", url, "text/csv", "FirstName,Nickname__c\nAda,Countess\n");
    PostmanShapes.Result ragged = typed("PUT", url, "text/csv", "FirstName,LastName\nAda\n");
    PostmanShapes.Result twice = typed("PUT", url, "text/csv", "Email,email\na@example.com,b@example.com\n");

    assertThat(good.operation()).isEqualTo("bulk_v2/upload_job_data");
    assertThat(good.violations()).isEmpty();
    assertThat(json.violations()).singleElement().asString().endsWith("request content type application/json is not text/csv");
    assertThat(unknownColumn.violations()).singleElement().asString().contains("CSV column Nickname__c");
    assertThat(ragged.violations()).singleElement().asString().endsWith("request CSV row 1 has 1 columns, the header 2");
    assertThat(twice.violations()).singleElement().asString().contains("names email twice");
  }

  @Test
  void aJobIsClosedOrAbortedAndItsResultsRead() {
    PostmanShapes.Result close = json("PATCH", JOB, "{\"state\":\"UploadComplete\"}");
    PostmanShapes.Result abort = json("PATCH", JOB, "{\"state\":\"Aborted\"}");
    PostmanShapes.Result closed = json("PATCH", JOB, "{\"state\":\"Closed\"}");
    PostmanShapes.Result noState = json("PATCH", JOB, "{}");

    assertThat(close.operation()).isEqualTo("bulk_v2/close_or_abort_a_job");
    assertThat(close.violations()).isEmpty();
    assertThat(abort.violations()).isEmpty();
    assertThat(closed.violations()).singleElement().asString().contains("'Closed' is not one of");
    assertThat(noState.violations()).singleElement().asString().contains("required property 'state' is missing");
    assertThat(json("GET", JOB, null).operation()).isEqualTo("bulk_v2/get_job_info");
    assertThat(json("GET", JOB + "/successfulResults", null).operation())
        .isEqualTo("bulk_v2/get_job_successful_record_results");
    assertThat(json("GET", JOB + "/failedResults", null).operation()).isEqualTo("bulk_v2/get_job_failed_record_results");
    assertThat(json("GET", JOB + "/unprocessedrecords", null).operation())
        .isEqualTo("bulk_v2/get_job_unprocessed_record_results");
    assertThat(json("GET", JOB + "/successfulResults?limit=5", null).violations()).isNotEmpty();
  }

  @Test
  void tokenRequestsAreFormEncodedAndToldApartByGrantType() {
    PostmanShapes.Result refresh = form("grant_type=refresh_token&refresh_token=5Aep861&client_id=cid&client_secret=cs");
    PostmanShapes.Result publicRefresh = form("grant_type=refresh_token&refresh_token=5Aep861&client_id=cid");
    PostmanShapes.Result noRefreshToken = form("grant_type=refresh_token&client_id=cid&client_secret=cs");
    PostmanShapes.Result undeclared = form("grant_type=refresh_token&refresh_token=r&client_id=cid&scope=api");
    PostmanShapes.Result code = form("grant_type=authorization_code&code=aPrx&redirect_uri=https%3A%2F%2Fapp%2Fcb"
        + "&client_id=cid&client_secret=cs");
    PostmanShapes.Result codeWithoutRedirect = form("grant_type=authorization_code&code=aPrx&client_id=cid");
    PostmanShapes.Result jwt = form("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=eyJ.x.y");
    PostmanShapes.Result jwtEmpty = form("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion=");
    PostmanShapes.Result clientCredentials = form("grant_type=client_credentials&client_id=cid&client_secret=cs");
    PostmanShapes.Result asJson = typed("POST", LOGIN, "application/json",
        "grant_type=refresh_token&refresh_token=r&client_id=cid");

    assertThat(refresh.operation()).isEqualTo("auth/refresh_token");
    assertThat(refresh.violations()).isEmpty();
    assertThat(publicRefresh.violations()).isEmpty();
    assertThat(noRefreshToken.violations()).containsExactly(
        "auth/refresh_token (POST /services/oauth2/token): required request form field refresh_token is missing");
    assertThat(undeclared.violations()).singleElement().asString().contains("form field scope is not declared");
    assertThat(code.operation()).isEqualTo("auth/web_server_flow_2");
    assertThat(code.violations()).isEmpty();
    assertThat(codeWithoutRedirect.violations()).singleElement().asString()
        .endsWith("required request form field redirect_uri is missing");
    assertThat(jwt.operation()).isEqualTo("auth/jwt_bearer_token_flow");
    assertThat(jwt.violations()).isEmpty();
    assertThat(jwtEmpty.violations()).singleElement().asString().endsWith("form field assertion is empty");
    assertThat(clientCredentials.operation()).isNull();
    assertThat(clientCredentials.violations()).singleElement().asString().contains("grant_type=client_credentials");
    assertThat(asJson.violations()).singleElement().asString()
        .endsWith("request content type application/json is not application/x-www-form-urlencoded");
  }

  @Test
  void theAuthorizationUrlNeedsCodeClientAndRedirect() {
    String authorize = "https://login.salesforce.com/services/oauth2/authorize";
    PostmanShapes.Result good = json("GET", authorize + "?response_type=code&client_id=cid&redirect_uri=https%3A%2F%2Fa"
        + "&scope=api+refresh_token&state=s1", null);
    PostmanShapes.Result noRedirect = json("GET", authorize + "?response_type=code&client_id=cid", null);

    PostmanShapes.Result implicit = json("GET", authorize + "?response_type=token&client_id=cid&redirect_uri=x", null);

    assertThat(good.operation()).isEqualTo("auth/web_server_flow_1");
    assertThat(good.violations()).isEmpty();
    assertThat(noRedirect.violations()).singleElement().asString()
        .endsWith("required query parameter redirect_uri is missing");
    assertThat(implicit.operation()).isEqualTo("auth/user_agent_flow");
  }

  @Test
  void changeFeedAndLimitsRequestsNeedTheirWindow() {
    PostmanShapes.Result updated = json("GET", DATA + "/sobjects/Contact/updated/?start=2025-03-01T00%3A00%3A00%2B00%3A00"
        + "&end=2025-03-02T00%3A00%3A00%2B00%3A00", null);
    PostmanShapes.Result deleted = json("GET", DATA + "/sobjects/Contact/deleted?start=2025-03-01T00%3A00%3A00Z", null);
    PostmanShapes.Result limits = json("GET", DATA + "/limits", null);
    PostmanShapes.Result describe = json("GET", DATA + "/sobjects/Contact/describe", null);

    assertThat(updated.operation()).isEqualTo("rest/sobject_get_updated");
    assertThat(updated.violations()).isEmpty();
    assertThat(deleted.operation()).isEqualTo("rest/sobject_get_deleted");
    assertThat(deleted.violations()).singleElement().asString().endsWith("required query parameter end is missing");
    assertThat(limits.operation()).isEqualTo("rest/limit");
    assertThat(limits.violations()).isEmpty();
    assertThat(describe.operation()).isEqualTo("rest/sobject_describe");
  }

  @Test
  void recordWritesByRestCarryFieldsOfThePathsType() {
    PostmanShapes.Result task = json("POST", DATA + "/sobjects/Task", "{\"Subject\":\"Call\",\"WhoId\":"
        + "\"003000000000001AAA\",\"TaskSubtype\":\"Call\",\"Status\":\"Completed\"}");
    PostmanShapes.Result event = json("POST", DATA + "/sobjects/Event", "{\"Subject\":\"Meeting\",\"WhoId\":"
        + "\"003000000000001AAA\",\"StartDateTime\":\"2025-03-14T09:00:00Z\",\"DurationInMinutes\":30}");
    PostmanShapes.Result note = json("POST", DATA + "/sobjects/Note", "{\"ParentId\":\"003000000000001AAA\","
        + "\"Title\":\"t\",\"Body\":\"b\"}");
    PostmanShapes.Result badTask = json("POST", DATA + "/sobjects/Task", "{\"Subject\":\"Call\",\"Channel\":\"sms\"}");
    PostmanShapes.Result update = json("PATCH", DATA + "/sobjects/Opportunity/006000000000001AAA",
        "{\"StageName\":\"Closed Won\",\"Amount\":1200.5}");
    PostmanShapes.Result nested = json("PATCH", DATA + "/sobjects/Contact/003000000000001AAA",
        "{\"MailingAddress\":{\"city\":\"London\"}}");
    PostmanShapes.Result delete = json("DELETE", DATA + "/sobjects/Contact/003000000000001AAA", null);

    assertThat(task.operation()).isEqualTo("rest/sobject_create");
    assertThat(task.violations()).isEmpty();
    assertThat(event.violations()).isEmpty();
    assertThat(note.violations()).isEmpty();
    assertThat(badTask.violations()).singleElement().asString().contains("Task has no field Channel");
    assertThat(update.operation()).isEqualTo("rest/sobject_rows_update");
    assertThat(update.violations()).isEmpty();
    assertThat(nested.violations()).singleElement().asString().contains("object found, a field value expected");
    assertThat(delete.operation()).isEqualTo("rest/sobject_rows_delete");
    assertThat(delete.violations()).isEmpty();
  }

  @Test
  void aDescribeAddsTheOrgsFieldsAndABadOneIsRefused() {
    PostmanShapes withDescribe = PostmanShapes.builder()
        .describe("{\"name\":\"Task\",\"fields\":[{\"name\":\"Channel__c\"},{\"name\":\"Subject\"}]}").build();
    HttpExchange task = HttpExchange.json("POST", DATA + "/sobjects/Task", "{\"Channel__c\":\"sms\"}", 201, null);

    assertThat(withDescribe.check(task).violations()).isEmpty();
    assertThat(SHAPES.check(task).violations()).isNotEmpty();
    assertThatThrownBy(() -> PostmanShapes.builder().describe("{\"fields\":[]}"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> PostmanShapes.builder().sObjectFields(" ", List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void csvRowsFollowRfc4180() {
    assertThat(PostmanShapes.csv("a,b\r\n\"x,1\",\"y\"\"z\"\r\n\"multi\nline\",2\n"))
        .containsExactly(List.of("a", "b"), List.of("x,1", "y\"z"), List.of("multi\nline", "2"));
  }

  @Test
  void aReportListsOperationsExercisedAndRequestsNotCovered() {
    ConformanceReport report = SHAPES.report(List.of(
        HttpExchange.json("GET", DATA + "/query?q=SELECT+Id+FROM+Contact", null, 200, null),
        HttpExchange.json("GET", DATA + "/query/01gD0000002HU6KIAW-2000", null, 200, null),
        HttpExchange.json("GET", DATA + "/query", null, 200, null)));

    assertThat(report.exercisedOperations()).containsExactly("rest/query");
    assertThat(report.uncoveredRequests()).containsExactly(
        "GET /services/data/v59.0/query/01gD0000002HU6KIAW-2000: not covered by a provided spec");
    assertThat(report.violations()).hasSize(1);
    assertThat(report.conforms()).isFalse();
    assertThat(report.unexercisedOperations()).contains("rest/queryall").doesNotContain("rest/query");
  }
}
