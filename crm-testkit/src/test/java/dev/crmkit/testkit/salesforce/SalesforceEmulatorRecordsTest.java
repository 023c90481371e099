package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorRecordsTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00.250Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void createAnswers201WithASaveResultALocationAndTheLimitHeader() {
    SalesforceHttp.Answer created = http.post("/sobjects/Contact",
        "{\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"Email\":\"ada@example.com\"}");

    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    String id = body.get("id").asText();
    assertThat(id).hasSize(18).startsWith("003");
    assertThat(body.get("success").asBoolean()).isTrue();
    assertThat(body.get("errors")).isEmpty();
    assertThat(created.header("Location")).isEqualTo("/services/data/v59.0/sobjects/Contact/" + id);
    assertThat(created.header("Sforce-Limit-Info")).isEqualTo("api-usage=1/100000");
    assertThat(created.header("Content-Type")).startsWith("application/json");
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isEqualTo(1);
  }

  @Test
  void readReturnsAttributesEveryFieldAndSalesforceTimestamps() {
    String id = http.create("Contact", "{\"FirstName\":\"Ada\",\"LastName\":\"Lovelace\",\"Total_Revenue__c\":12.5,"
        + "\"Email_Opt_In__c\":true,\"Preferred_Channel__c\":\"WhatsApp\"}");

    SalesforceHttp.Answer read = http.get("/sobjects/Contact/" + id);

    assertThat(read.status()).isEqualTo(200);
    JsonNode body = read.json();
    assertThat(body.get("attributes").get("type").asText()).isEqualTo("Contact");
    assertThat(body.get("attributes").get("url").asText()).isEqualTo("/services/data/v59.0/sobjects/Contact/" + id);
    assertThat(body.get("Id").asText()).isEqualTo(id);
    assertThat(body.get("Name").asText()).isEqualTo("Ada Lovelace");
    assertThat(body.get("Email").isNull()).isTrue();
    assertThat(body.get("IsDeleted").asBoolean()).isFalse();
    assertThat(body.get("Total_Revenue__c").decimalValue()).isEqualByComparingTo("12.5");
    assertThat(body.get("Email_Opt_In__c").asBoolean()).isTrue();
    assertThat(body.get("SMS_Opt_In__c").asBoolean()).isFalse();
    assertThat(body.get("Preferred_Channel__c").asText()).isEqualTo("WhatsApp");
    assertThat(body.get("CreatedDate").asText()).isEqualTo("2026-03-01T10:00:00.000+0000");
    assertThat(body.get("SystemModstamp").asText()).isEqualTo("2026-03-01T10:00:00.000+0000");
    assertThat(body.get("OwnerId").asText()).startsWith("005");
  }

  @Test
  void readWithFieldsReturnsOnlyThoseAndAcceptsA15CharacterId() {
    String id = http.create("Contact", "{\"LastName\":\"Lovelace\",\"Email\":\"ada@example.com\"}");

    JsonNode body = http.get("/sobjects/Contact/" + id.substring(0, 15) + "?fields=Email,lastname").json();

    assertThat(body.get("Email").asText()).isEqualTo("ada@example.com");
    assertThat(body.get("LastName").asText()).isEqualTo("Lovelace");
    assertThat(body.has("FirstName")).isFalse();
  }

  @Test
  void aMissingRequiredFieldAnswersRequiredFieldMissingNamingIt() {
    SalesforceHttp.Answer answer = http.post("/sobjects/Contact", "{\"FirstName\":\"Ada\"}");

    assertThat(answer.status()).isEqualTo(400);
    JsonNode error = answer.json().get(0);
    assertThat(error.get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(error.get("message").asText()).isEqualTo("Required fields are missing: [LastName]");
    assertThat(error.get("fields")).extracting(JsonNode::asText).containsExactly("LastName");
    assertThat(http.query("SELECT Id FROM Contact").json().get("totalSize").asInt()).isZero();
  }

  @Test
  void requiredFieldsOfEachTypeAreEnforced() {
    assertThat(http.post("/sobjects/Lead", "{\"LastName\":\"L\"}").json().get(0).get("fields").get(0).asText())
        .isEqualTo("Company");
    assertThat(http.post("/sobjects/Account", "{}").json().get(0).get("fields").get(0).asText()).isEqualTo("Name");
    assertThat(http.post("/sobjects/Opportunity", "{\"Name\":\"Deal\"}").json().get(0).get("fields"))
        .extracting(JsonNode::asText).containsExactly("StageName", "CloseDate");
    assertThat(http.post("/sobjects/Note", "{\"Title\":\"t\"}").json().get(0).get("fields").get(0).asText())
        .isEqualTo("ParentId");
  }

  @Test
  void unknownReadOnlyAndMalformedValuesAreRejectedInSalesforcesShape() {
    SalesforceHttp.Answer unknown = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"Shoe_Size__c\":42}");
    SalesforceHttp.Answer readOnly = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"CreatedDate\":\"2020-01-01T00:00:00Z\"}");
    SalesforceHttp.Answer badEmail = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"Email\":\"not an email\"}");
    SalesforceHttp.Answer tooLong = http.post("/sobjects/Contact", "{\"LastName\":\"" + "x".repeat(81) + "\"}");
    SalesforceHttp.Answer badPicklist = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"Preferred_Channel__c\":\"Fax\"}");
    SalesforceHttp.Answer badBoolean = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"SMS_Opt_In__c\":\"yes\"}");
    SalesforceHttp.Answer badJson = http.post("/sobjects/Contact", "{\"LastName\":");

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.errorCode()).isEqualTo("INVALID_FIELD");
    assertThat(unknown.json().get(0).get("message").asText()).contains("Shoe_Size__c");
    assertThat(readOnly.errorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
    assertThat(readOnly.json().get(0).get("fields").get(0).asText()).isEqualTo("CreatedDate");
    assertThat(badEmail.errorCode()).isEqualTo("INVALID_EMAIL_ADDRESS");
    assertThat(tooLong.errorCode()).isEqualTo("STRING_TOO_LONG");
    assertThat(badPicklist.errorCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
    assertThat(badBoolean.errorCode()).isEqualTo("JSON_PARSER_ERROR");
    assertThat(badJson.errorCode()).isEqualTo("JSON_PARSER_ERROR");
    assertThat(http.query("SELECT COUNT() FROM Contact").json().get("totalSize").asInt()).isZero();
  }

  @Test
  void aReferenceToTheWrongTypeIsAMalformedId() {
    String account = http.create("Account", "{\"Name\":\"Acme\"}");
    String contact = http.create("Contact", "{\"LastName\":\"L\",\"AccountId\":\"" + account + "\"}");

    SalesforceHttp.Answer wrongType = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"AccountId\":\"" + contact + "\"}");
    SalesforceHttp.Answer notAnId = http.post("/sobjects/Contact", "{\"LastName\":\"L\",\"AccountId\":\"abc\"}");

    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.errorCode()).isEqualTo("MALFORMED_ID");
    assertThat(wrongType.json().get(0).get("fields").get(0).asText()).isEqualTo("AccountId");
    assertThat(notAnId.errorCode()).isEqualTo("MALFORMED_ID");
  }

  @Test
  void patchAnswers204AndMovesLastModifiedButNotCreated() {
    String id = http.create("Contact", "{\"LastName\":\"Lovelace\"}");
    clock.advance(Duration.ofMinutes(5));

    SalesforceHttp.Answer patched = http.patch("/sobjects/Contact/" + id, "{\"Email\":\"ada@example.com\",\"FirstName\":\"Ada\"}");

    assertThat(patched.status()).isEqualTo(204);
    assertThat(patched.text()).isEmpty();
    Map<String, Object> record = emulator.record(id).orElseThrow();
    assertThat(record).containsEntry("Email", "ada@example.com").containsEntry("Name", "Ada Lovelace");
    assertThat(record.get("CreatedDate")).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
    assertThat(record.get("LastModifiedDate")).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
    assertThat(record.get("SystemModstamp")).isEqualTo(Instant.parse("2026-03-01T10:05:00Z"));
  }

  @Test
  void clearingARequiredFieldIsRejected() {
    String id = http.create("Contact", "{\"LastName\":\"Lovelace\"}");

    SalesforceHttp.Answer answer = http.patch("/sobjects/Contact/" + id, "{\"LastName\":null}");

    assertThat(answer.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(emulator.record(id).orElseThrow()).containsEntry("LastName", "Lovelace");
  }

  @Test
  void deleteSendsTheRecordToTheRecycleBin() {
    String id = http.create("Contact", "{\"LastName\":\"Lovelace\"}");

    assertThat(http.delete("/sobjects/Contact/" + id).status()).isEqualTo(204);

    SalesforceHttp.Answer read = http.get("/sobjects/Contact/" + id);
    assertThat(read.status()).isEqualTo(404);
    assertThat(read.errorCode()).isEqualTo("NOT_FOUND");
    SalesforceHttp.Answer again = http.delete("/sobjects/Contact/" + id);
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.errorCode()).isEqualTo("ENTITY_IS_DELETED");
    assertThat(http.patch("/sobjects/Contact/" + id, "{\"FirstName\":\"A\"}").errorCode()).isEqualTo("ENTITY_IS_DELETED");
    assertThat(emulator.record(id).orElseThrow()).containsEntry("IsDeleted", true);
  }

  @Test
  void pathIdsThatAreNotIdsOrOfAnotherTypeAreRejected() {
    String account = http.create("Account", "{\"Name\":\"Acme\"}");

    SalesforceHttp.Answer notAnId = http.get("/sobjects/Contact/nope");
    SalesforceHttp.Answer otherType = http.get("/sobjects/Contact/" + account);
    SalesforceHttp.Answer unknownType = http.get("/sobjects/Widget__c/" + account);
    SalesforceHttp.Answer missing = http.get("/sobjects/Contact/" + SalesforceIds.of("003", 999_999));

    assertThat(notAnId.status()).isEqualTo(404);
    assertThat(notAnId.errorCode()).isEqualTo("NOT_FOUND");
    assertThat(otherType.status()).isEqualTo(400);
    assertThat(otherType.errorCode()).isEqualTo("MALFORMED_ID");
    assertThat(unknownType.status()).isEqualTo(404);
    assertThat(missing.status()).isEqualTo(404);
  }

  @Test
  void describeListsFieldsWithTypesLengthsAndTheStagePicklist() {
    JsonNode contact = http.get("/sobjects/Contact/describe").json();
    JsonNode opportunity = http.get("/sobjects/Opportunity/describe").json();

    assertThat(contact.get("keyPrefix").asText()).isEqualTo("003");
    JsonNode lastName = field(contact, "LastName");
    assertThat(lastName.get("type").asText()).isEqualTo("string");
    assertThat(lastName.get("length").asInt()).isEqualTo(80);
    assertThat(lastName.get("nillable").asBoolean()).isFalse();
    assertThat(field(contact, "Email").get("type").asText()).isEqualTo("email");
    assertThat(field(contact, "Total_Revenue__c").get("type").asText()).isEqualTo("currency");
    assertThat(field(contact, "Total_Revenue__c").get("custom").asBoolean()).isTrue();
    assertThat(field(contact, "AccountId").get("referenceTo").get(0).asText()).isEqualTo("Account");
    assertThat(field(contact, "CreatedDate").get("createable").asBoolean()).isFalse();
    List<String> stages = new ArrayList<>();
    field(opportunity, "StageName").get("picklistValues").forEach(v -> stages.add(v.get("value").asText()));
    assertThat(stages).startsWith("Prospecting").endsWith("Closed Won", "Closed Lost").hasSize(10);
  }

  @Test
  void opportunityStagesCarryClosedAndWonFlagsAndDriveTheOpportunity() {
    JsonNode stages = http.query("SELECT MasterLabel, IsClosed, IsWon FROM OpportunityStage WHERE IsClosed = true "
        + "ORDER BY SortOrder").json();
    String won = http.create("Opportunity", "{\"Name\":\"Deal\",\"StageName\":\"Closed Won\",\"CloseDate\":\"2026-04-01\","
        + "\"Amount\":1500.50}");

    assertThat(stages.get("totalSize").asInt()).isEqualTo(2);
    assertThat(stages.get("records").get(0).get("MasterLabel").asText()).isEqualTo("Closed Won");
    assertThat(stages.get("records").get(0).get("IsWon").asBoolean()).isTrue();
    assertThat(stages.get("records").get(1).get("IsWon").asBoolean()).isFalse();
    Map<String, Object> deal = emulator.record(won).orElseThrow();
    assertThat(deal).containsEntry("IsClosed", true).containsEntry("IsWon", true);
    assertThat((BigDecimal) deal.get("Probability")).isEqualByComparingTo("100");
    assertThat(http.post("/sobjects/OpportunityStage", "{\"MasterLabel\":\"x\"}").status()).isEqualTo(400);
  }

  @Test
  void activitiesGetDefaultsAndDerivedFields() {
    String contact = http.create("Contact", "{\"LastName\":\"L\"}");
    String task = http.create("Task", "{\"WhoId\":\"" + contact + "\",\"Subject\":\"Call\",\"TaskSubtype\":\"Call\","
        + "\"CallDurationInSeconds\":90,\"CallType\":\"Inbound\",\"ActivityDate\":\"2026-03-02\"}");
    String event = http.create("Event", "{\"WhoId\":\"" + contact + "\",\"Subject\":\"Meet\","
        + "\"StartDateTime\":\"2026-03-02T09:00:00Z\",\"DurationInMinutes\":45}");
    SalesforceHttp.Answer noEnd = http.post("/sobjects/Event", "{\"StartDateTime\":\"2026-03-02T09:00:00Z\"}");

    assertThat(task).startsWith("00T");
    assertThat(event).startsWith("00U");
    Map<String, Object> taskRecord = emulator.record(task).orElseThrow();
    assertThat(taskRecord).containsEntry("Status", "Not Started").containsEntry("Priority", "Normal")
        .containsEntry("IsClosed", false);
    assertThat(emulator.record(event).orElseThrow().get("EndDateTime")).isEqualTo(Instant.parse("2026-03-02T09:45:00Z"));
    assertThat(noEnd.errorCode()).isEqualTo("REQUIRED_FIELD_MISSING");
    assertThat(http.create("Note", "{\"ParentId\":\"" + contact + "\",\"Title\":\"t\",\"Body\":\"b\"}")).startsWith("002");
    assertThat(http.create("Lead", "{\"LastName\":\"L\",\"Company\":\"C\"}")).startsWith("00Q");
  }

  @Test
  void hooksValidateLikeTheApiAndReportWithCrmkitErrors() {
    String id = emulator.insert("contact", Map.of("LastName", "Lovelace", "Total_Orders__c", 3));

    assertThat(emulator.record(id).orElseThrow().get("Total_Orders__c")).isEqualTo(new BigDecimal("3"));
    assertThatThrownBy(() -> emulator.insert("Contact", Map.of("FirstName", "Ada")))
        .isInstanceOf(ValidationException.class).hasMessageContaining("LastName");
    assertThatThrownBy(() -> emulator.insert("Widget", Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Widget");
    assertThatThrownBy(() -> emulator.update(SalesforceIds.of("003", 77), Map.of("LastName", "x")))
        .isInstanceOf(NotFoundException.class);
    assertThat(emulator.counters().totalRequests()).isZero();
    assertThat(emulator.apiUsage()).isZero();
  }

  private static JsonNode field(JsonNode describe, String name) {
    for (JsonNode field : describe.get("fields")) {
      if (field.get("name").asText().equals(name)) {
        return field;
      }
    }
    throw new AssertionError("no field " + name);
  }

  @Test
  void hooksActAsTheUiUserAndRequestsAsTheIntegrationUser() {
    String viaApi = http.create("Contact", "{\"LastName\":\"Api\"}");
    String viaUi = emulator.insert("Contact", Map.of("LastName", "Ui"));
    String edited = http.create("Contact", "{\"LastName\":\"Edited\"}");
    emulator.update(edited, Map.of("FirstName", "By hand"));

    assertThat(emulator.userId()).isNotEqualTo(emulator.uiUserId()).startsWith("005");
    assertThat(emulator.uiUserId()).hasSize(18).startsWith("005");
    assertThat(emulator.record(viaApi).orElseThrow())
        .containsEntry("CreatedById", emulator.userId()).containsEntry("LastModifiedById", emulator.userId());
    assertThat(emulator.record(viaUi).orElseThrow()).containsEntry("CreatedById", emulator.uiUserId())
        .containsEntry("OwnerId", emulator.uiUserId()).containsEntry("LastModifiedById", emulator.uiUserId());
    assertThat(emulator.record(edited).orElseThrow())
        .containsEntry("CreatedById", emulator.userId()).containsEntry("LastModifiedById", emulator.uiUserId());
    http.patch("/sobjects/Contact/" + viaUi, "{\"FirstName\":\"Synced\"}");
    assertThat(emulator.record(viaUi).orElseThrow()).containsEntry("LastModifiedById", emulator.userId());
  }

  @Test
  void liveCountCountsRecordsOfATypeOutsideTheRecycleBin() {
    String a = emulator.insert("Contact", Map.of("LastName", "A"));
    emulator.insert("Contact", Map.of("LastName", "B"));
    emulator.insert("Account", Map.of("Name", "Acme"));
    emulator.delete(a);

    assertThat(emulator.liveCount("contact")).isEqualTo(1);
    assertThat(emulator.liveCount("Account")).isEqualTo(1);
    assertThat(emulator.liveCount("Lead")).isZero();
    assertThatThrownBy(() -> emulator.liveCount("Widget")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Widget");
  }
}
