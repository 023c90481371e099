package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorCollectionsTest {
  private final SalesforceEmulator emulator = SalesforceEmulator.start();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String records(boolean allOrNone, String... records) {
    return "{\"allOrNone\":" + allOrNone + ",\"records\":[" + String.join(",", records) + "]}";
  }

  private static String contact(String lastName) {
    return "{\"attributes\":{\"type\":\"Contact\"},\"LastName\":" + (lastName == null ? "null" : "\"" + lastName + "\"") + "}";
  }

  @Test
  void createReturnsOneSaveResultPerRecordInOrderAndKeepsTheGoodOnes() {
    SalesforceHttp.Answer answer = http.post("/composite/sobjects", records(false,
        contact("One"), contact(null), "{\"attributes\":{\"type\":\"Account\"},\"Name\":\"Acme\"}"));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode results = answer.json();
    assertThat(results).hasSize(3);
    assertThat(results.get(0).get("success").asBoolean()).isTrue();
    assertThat(results.get(0).get("id").asText()).startsWith("003");
    assertThat(results.get(1).get("success").asBoolean()).isFalse();
    assertThat(results.get(1).has("id")).isFalse();
    JsonNode error = results.get(1).get("errors").get(0);
    assertThat(error.get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(error.get("fields").get(0).asText()).isEqualTo("LastName");
    assertThat(results.get(2).get("id").asText()).startsWith("001");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isOne();
    assertThat(emulator.apiUsage()).isEqualTo(2);
  }

  @Test
  void allOrNoneRollsEveryRecordBackWhenOneFails() {
    JsonNode results = http.post("/composite/sobjects", records(true, contact("One"), contact(null), contact("Three"))).json();

    assertThat(results.get(0).get("success").asBoolean()).isFalse();
    assertThat(results.get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
    assertThat(results.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(results.get(2).get("errors").get(0).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
    assertThat(http.queryAll("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
    assertThat(http.post("/composite/sobjects", records(false, contact("Next"))).json().get(0).get("id").asText())
        .isEqualTo(SalesforceIds.of("003", 1));
  }

  @Test
  void moreThan200RecordsIsRejectedAsAWhole() {
    String[] many = new String[201];
    java.util.Arrays.fill(many, contact("L"));

    SalesforceHttp.Answer answer = http.post("/composite/sobjects", records(false, many));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorCode()).isEqualTo("EXCEEDED_ID_LIMIT");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
    String[] exactly = new String[200];
    java.util.Arrays.fill(exactly, contact("L"));
    assertThat(http.post("/composite/sobjects", records(false, exactly)).json()).hasSize(200);
  }

  @Test
  void updateAndDeleteWorkByIdWithPerRecordResults() {
    String a = emulator.insert("Contact", java.util.Map.of("LastName", "A"));
    String b = emulator.insert("Contact", java.util.Map.of("LastName", "B"));

    JsonNode updated = http.patch("/composite/sobjects", records(false,
        "{\"attributes\":{\"type\":\"Contact\"},\"id\":\"" + a + "\",\"FirstName\":\"Ann\"}",
        "{\"attributes\":{\"type\":\"Contact\"},\"FirstName\":\"NoId\"}")).json();
    JsonNode deleted = http.delete("/composite/sobjects?ids=" + b + ",001000000000000AAA&allOrNone=false").json();

    assertThat(updated.get(0).get("success").asBoolean()).isTrue();
    assertThat(updated.get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("MISSING_ARGUMENT");
    assertThat(emulator.record(a).orElseThrow()).containsEntry("FirstName", "Ann");
    assertThat(deleted.get(0).get("id").asText()).isEqualTo(b);
    assertThat(deleted.get(0).get("success").asBoolean()).isTrue();
    assertThat(deleted.get(1).get("success").asBoolean()).isFalse();
    assertThat(emulator.record(b).orElseThrow()).containsEntry("IsDeleted", true);
  }

  @Test
  void compositeResolvesReferencesAndCountsAsOneCall() {
    ObjectNode request = SalesforceHttp.JSON.createObjectNode();
    ArrayNode subrequests = request.putArray("compositeRequest");
    ObjectNode account = subrequests.addObject();
    account.put("method", "POST");
    account.put("url", "/services/data/v59.0/sobjects/Account");
    account.put("referenceId", "NewAccount");
    account.putObject("body").put("Name", "Acme");
    ObjectNode contact = subrequests.addObject();
    contact.put("method", "POST");
    contact.put("url", "/services/data/v59.0/sobjects/Contact");
    contact.put("referenceId", "NewContact");
    contact.putObject("body").put("LastName", "Lovelace").put("AccountId", "@{NewAccount.id}");
    ObjectNode read = subrequests.addObject();
    read.put("method", "GET");
    read.put("url", "/services/data/v59.0/query?q=SELECT+Id,AccountId+FROM+Contact");
    read.put("referenceId", "Found");
    ObjectNode patch = subrequests.addObject();
    patch.put("method", "PATCH");
    patch.put("url", "/services/data/v59.0/sobjects/Contact/@{Found.records[0].Id}");
    patch.put("referenceId", "Renamed");
    patch.putObject("body").put("FirstName", "Ada");

    JsonNode responses = http.post("/composite", request.toString()).json().get("compositeResponse");

    assertThat(responses).hasSize(4);
    String accountId = responses.get(0).get("body").get("id").asText();
    assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(201);
    assertThat(responses.get(0).get("httpHeaders").get("Location").asText()).endsWith("/Account/" + accountId);
    assertThat(responses.get(2).get("body").get("records").get(0).get("AccountId").asText()).isEqualTo(accountId);
    assertThat(responses.get(3).get("httpStatusCode").asInt()).isEqualTo(204);
    assertThat(responses.get(3).get("referenceId").asText()).isEqualTo("Renamed");
    String contactId = responses.get(1).get("body").get("id").asText();
    assertThat(emulator.record(contactId).orElseThrow()).containsEntry("FirstName", "Ada");
    assertThat(emulator.apiUsage()).isOne();
    assertThat(emulator.counters().requests(SalesforceCounters.COMPOSITE)).isOne();
    assertThat(emulator.counters().subrequests(SalesforceCounters.CREATE)).isEqualTo(2);
    assertThat(emulator.counters().subrequests(SalesforceCounters.QUERY)).isOne();
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isZero();
  }

  @Test
  void compositeRunsFiveCollectionsAndQueriesAsOneCallOfDailyUsage() {
    StringBuilder body = new StringBuilder("{\"allOrNone\":false,\"compositeRequest\":[");
    for (int i = 0; i < 4; i++) {
      body.append("{\"method\":\"POST\",\"url\":\"/services/data/v59.0/composite/sobjects\",\"referenceId\":\"c")
          .append(i).append("\",\"body\":").append(records(false, contact("N" + i + "a"), contact(null))).append("},");
    }
    body.append("{\"method\":\"GET\",\"url\":\"/services/data/v59.0/query?q=SELECT%20Id%20FROM%20Contact\",")
        .append("\"referenceId\":\"q\"}]}");

    SalesforceHttp.Answer answer = http.post("/composite", body.toString());

    JsonNode responses = answer.json().get("compositeResponse");
    assertThat(responses).hasSize(5);
    assertThat(responses.get(0).get("body").get(0).get("success").asBoolean()).isTrue();
    assertThat(responses.get(0).get("body").get(1).get("success").asBoolean()).isFalse();
    assertThat(responses.get(4).get("body").get("totalSize").asInt()).isEqualTo(4);
    assertThat(answer.header("Sforce-Limit-Info")).startsWith("api-usage=1/");
    assertThat(emulator.apiUsage()).isOne();
    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_CREATE)).isEqualTo(4);
    assertThat(emulator.counters().subrequests(SalesforceCounters.QUERY)).isOne();
    assertThat(emulator.counters().subrequestsByEndpoint()).hasSize(2);
    assertThat(emulator.counters().compositeCallsWith(SalesforceCounters.COLLECTION_CREATE)).isOne();
    assertThat(emulator.counters().compositeCallsWith(SalesforceCounters.QUERY)).isOne();
    assertThat(emulator.counters().compositeCallsWith(SalesforceCounters.COLLECTION_UPDATE)).isZero();
    emulator.counters().reset();
    assertThat(emulator.counters().compositeCallsWith(SalesforceCounters.COLLECTION_CREATE)).isZero();
  }

  @Test
  void compositeRejectsASixthCollectionOrQueryWithoutRunningAny() {
    StringBuilder body = new StringBuilder("{\"compositeRequest\":[");
    for (int i = 0; i < 3; i++) {
      body.append("{\"method\":\"POST\",\"url\":\"/services/data/v59.0/composite/sobjects\",\"referenceId\":\"c")
          .append(i).append("\",\"body\":").append(records(false, contact("N" + i))).append("},");
    }
    for (int i = 0; i < 3; i++) {
      body.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"url\":\"/services/data/v59.0/queryAll?q=SELECT%20Id")
          .append("%20FROM%20Contact\",\"referenceId\":\"q").append(i).append("\"}");
    }

    SalesforceHttp.Answer answer = http.post("/composite", body.append("]}").toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorCode()).isEqualTo("LIMIT_EXCEEDED");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
  }

  @Test
  void compositeAllOrNoneRollsBackAndHaltsTheOtherSubrequests() {
    String body = "{\"allOrNone\":true,\"compositeRequest\":["
        + "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Contact\",\"referenceId\":\"a\",\"body\":{\"LastName\":\"A\"}},"
        + "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Contact\",\"referenceId\":\"b\",\"body\":{\"FirstName\":\"B\"}},"
        + "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Contact\",\"referenceId\":\"c\",\"body\":{\"LastName\":\"C\"}}]}";

    JsonNode responses = http.post("/composite", body).json().get("compositeResponse");

    assertThat(responses).hasSize(3);
    assertThat(responses.get(0).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
    assertThat(responses.get(1).get("httpStatusCode").asInt()).isEqualTo(400);
    assertThat(responses.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(responses.get(2).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
  }

  @Test
  void compositeWithoutAllOrNoneKeepsGoingAndABrokenReferenceHalts() {
    String body = "{\"compositeRequest\":["
        + "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Contact\",\"referenceId\":\"bad\",\"body\":{}},"
        + "{\"method\":\"PATCH\",\"url\":\"/services/data/v59.0/sobjects/Contact/@{bad.id}\",\"referenceId\":\"dep\",\"body\":{}},"
        + "{\"method\":\"POST\",\"url\":\"/services/data/v59.0/sobjects/Contact\",\"referenceId\":\"ok\",\"body\":{\"LastName\":\"C\"}}]}";

    JsonNode responses = http.post("/composite", body).json().get("compositeResponse");

    assertThat(responses.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
    assertThat(responses.get(2).get("httpStatusCode").asInt()).isEqualTo(201);
  }

  @Test
  void compositeRejectsMoreThan25Subrequests() {
    StringBuilder body = new StringBuilder("{\"compositeRequest\":[");
    for (int i = 0; i < 26; i++) {
      body.append(i == 0 ? "" : ",").append("{\"method\":\"GET\",\"url\":\"/services/data/v59.0/limits\",\"referenceId\":\"r")
          .append(i).append("\"}");
    }
    SalesforceHttp.Answer answer = http.post("/composite", body.append("]}").toString());

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorCode()).isEqualTo("LIMIT_EXCEEDED");
  }
}
