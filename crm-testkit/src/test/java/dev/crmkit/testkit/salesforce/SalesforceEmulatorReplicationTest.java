package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorReplicationTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:30Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).contactEmailDuplicateRule(true).build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void getUpdatedListsRecordsChangedInTheWindowIgnoringSeconds() {
    String before = emulator.insert("Contact", Map.of("LastName", "Before"));
    clock.advance(Duration.ofMinutes(10));
    String during = emulator.insert("Contact", Map.of("LastName", "During"));
    clock.advance(Duration.ofMinutes(10));
    emulator.update(before, Map.of("FirstName", "Touched"));

    JsonNode body = http.get("/sobjects/Contact/updated/?start=2026-03-10T12:05:59%2B00:00&end=2026-03-10T12:15:00Z").json();

    assertThat(ids(body.get("ids"))).containsExactly(during);
    assertThat(body.get("latestDateCovered").asText()).isEqualTo("2026-03-10T12:15:00.000+0000");
    // The minute still running (12:20:30 now) is not covered yet: the next call starting at
    // latestDateCovered picks its changes up once it is over.
    JsonNode now = http.get("/sobjects/Contact/updated/?start=2026-03-10T12:15:00Z&end=2026-03-10T13:00:00Z").json();
    assertThat(now.get("ids")).isEmpty();
    assertThat(now.get("latestDateCovered").asText()).isEqualTo("2026-03-10T12:20:00.000+0000");
    clock.advance(Duration.ofMinutes(1));
    JsonNode later = http.get("/sobjects/Contact/updated/?start=" + now.get("latestDateCovered").asText().replace("+", "%2B")
        + "&end=2026-03-10T13:00:00Z").json();
    assertThat(ids(later.get("ids"))).containsExactly(before);
  }

  @Test
  void getUpdatedRejectsWindowsBeyond30DaysOrBackwards() {
    SalesforceHttp.Answer tooOld = http.get("/sobjects/Contact/updated/?start=2026-02-01T00:00:00Z&end=2026-03-10T00:00:00Z");
    SalesforceHttp.Answer backwards = http.get("/sobjects/Contact/updated/?start=2026-03-10T00:00:00Z&end=2026-03-09T00:00:00Z");
    SalesforceHttp.Answer missing = http.get("/sobjects/Contact/updated/?start=2026-03-10T00:00:00Z");

    assertThat(tooOld.status()).isEqualTo(400);
    assertThat(tooOld.errorCode()).isEqualTo("INVALID_REPLICATION_DATE");
    assertThat(backwards.errorCode()).isEqualTo("INVALID_REPLICATION_DATE");
    assertThat(missing.errorCode()).isEqualTo("INVALID_REPLICATION_DATE");
  }

  @Test
  void getDeletedListsRecycleBinEntriesWithTheirDatesWithin15Days() {
    String gone = emulator.insert("Contact", Map.of("LastName", "Gone"));
    emulator.insert("Contact", Map.of("LastName", "Kept"));
    clock.advance(Duration.ofMinutes(3));
    http.delete("/sobjects/Contact/" + gone);
    JsonNode sameMinute = http.get("/sobjects/Contact/deleted/?start=2026-03-10T12:00:00Z&end=2026-03-10T13:00:00Z").json();
    clock.advance(Duration.ofSeconds(30));

    JsonNode body = http.get("/sobjects/Contact/deleted/?start=2026-03-10T12:00:00Z&end=2026-03-10T13:00:00Z").json();
    SalesforceHttp.Answer tooOld = http.get("/sobjects/Contact/deleted/?start=2026-02-20T00:00:00Z&end=2026-03-10T13:00:00Z");

    assertThat(body.get("deletedRecords")).hasSize(1);
    assertThat(body.get("deletedRecords").get(0).get("id").asText()).isEqualTo(gone);
    assertThat(body.get("deletedRecords").get(0).get("deletedDate").asText()).isEqualTo("2026-03-10T12:03:30.000+0000");
    assertThat(body.get("earliestDateAvailable").asText()).isEqualTo("2026-02-23T12:04:00.000+0000");
    assertThat(body.get("latestDateCovered").asText()).isEqualTo("2026-03-10T12:04:00.000+0000");
    assertThat(sameMinute.get("deletedRecords")).isEmpty();
    assertThat(sameMinute.get("latestDateCovered").asText()).isEqualTo("2026-03-10T12:03:00.000+0000");
    assertThat(tooOld.errorCode()).isEqualTo("INVALID_REPLICATION_DATE");
  }

  @Test
  void undeleteBringsARecordBackAndOutOfTheDeletedFeed() {
    String id = emulator.insert("Contact", Map.of("LastName", "Back"));
    emulator.delete(id);

    emulator.undelete(id);

    assertThat(http.get("/sobjects/Contact/" + id).status()).isEqualTo(200);
    assertThat(http.get("/sobjects/Contact/deleted/?start=2026-03-10T12:00:00Z&end=2026-03-10T13:00:00Z").json()
        .get("deletedRecords")).isEmpty();
    assertThatThrownBy(() -> emulator.undelete(id)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> emulator.undelete(SalesforceIds.of("003", 99))).isInstanceOf(NotFoundException.class);
  }

  @Test
  void mergeFillsTheMasterMovesChildrenAndBinsTheLoserWithMasterRecordId() {
    String master = emulator.insert("Contact", Map.of("LastName", "Master", "Email", "m@example.com"));
    String loser = emulator.insert("Contact", Map.of("LastName", "Loser", "Phone", "+441234"));
    String task = emulator.insert("Task", Map.of("WhoId", loser, "Subject", "Call"));

    emulator.merge(master, loser);

    assertThat(emulator.record(master).orElseThrow()).containsEntry("Phone", "+441234").containsEntry("LastName", "Master");
    assertThat(emulator.record(task).orElseThrow()).containsEntry("WhoId", master);
    assertThat(emulator.record(loser).orElseThrow()).containsEntry("IsDeleted", true).containsEntry("MasterRecordId", master);
    assertThatThrownBy(() -> emulator.merge(master, master)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> emulator.merge(master, task)).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> emulator.merge(master, loser)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void theDuplicateRuleBlocksASecondContactWithTheSameEmail() {
    String first = http.create("Contact", "{\"LastName\":\"A\",\"Email\":\"Ada@Example.com\"}");

    SalesforceHttp.Answer duplicate = http.post("/sobjects/Contact", "{\"LastName\":\"B\",\"Email\":\"ada@example.com\"}");

    assertThat(duplicate.status()).isEqualTo(400);
    JsonNode error = duplicate.json().get(0);
    assertThat(error.get("errorCode").asText()).isEqualTo("DUPLICATES_DETECTED");
    assertThat(error.get("message").asText()).isEqualTo("Use one of these records?");
    JsonNode result = error.get("duplicateResult");
    assertThat(result.get("allowSave").asBoolean()).isFalse();
    assertThat(result.get("duplicateRule").asText()).isEqualTo("Standard_Contact_Duplicate_Rule");
    assertThat(result.get("matchResults").get(0).get("matchRecords").get(0).get("record").get("Id").asText()).isEqualTo(first);
    String other = http.create("Contact", "{\"LastName\":\"B\",\"Email\":\"b@example.com\"}");
    assertThat(http.patch("/sobjects/Contact/" + other, "{\"Email\":\"ADA@example.com\"}").errorCode())
        .isEqualTo("DUPLICATES_DETECTED");
    http.delete("/sobjects/Contact/" + first);
    assertThat(http.patch("/sobjects/Contact/" + other, "{\"Email\":\"ada@example.com\"}").status()).isEqualTo(204);
  }

  @Test
  void duplicatesInACollectionFailPerRecordWithTheDuplicateResult() {
    http.create("Contact", "{\"LastName\":\"A\",\"Email\":\"ada@example.com\"}");

    JsonNode results = http.post("/composite/sobjects", "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},"
        + "\"LastName\":\"B\",\"Email\":\"ada@example.com\"}]}").json();

    JsonNode error = results.get(0).get("errors").get(0);
    assertThat(error.get("statusCode").asText()).isEqualTo("DUPLICATES_DETECTED");
    assertThat(error.has("duplicateResult")).isTrue();
  }

  private static List<String> ids(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(id -> out.add(id.asText()));
    return out;
  }
}
