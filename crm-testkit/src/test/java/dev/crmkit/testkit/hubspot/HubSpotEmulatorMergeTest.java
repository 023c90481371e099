package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorMergeTest {
  private static final String CONTACTS = "/crm/v3/objects/contacts";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String merge(String primary, String merged) {
    return "{\"primaryObjectId\":\"" + primary + "\",\"objectIdToMerge\":\"" + merged + "\"}";
  }

  @Test
  void mergeKeepsThePrimaryIdFillsBlanksAndRecordsTheMergedContact() {
    String primary = emulator.seedContact(Map.of("email", "ada@example.com", "firstname", "Ada"));
    String merged = emulator.seedContact(Map.of("email", "ada.l@example.com", "firstname", "A.", "phone", "+44123"));
    http.post("/crm/v3/objects/notes", "{\"properties\":{\"hs_timestamp\":\"1772359200000\"},\"associations\":[{\"to\":"
        + "{\"id\":\"" + merged + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]}]}");
    clock.advance(Duration.ofMinutes(5));

    HubSpotHttp.Answer answer = http.post(CONTACTS + "/merge", merge(primary, merged));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode props = answer.json().get("properties");
    assertThat(answer.json().get("id").asText()).isEqualTo(primary);
    assertThat(props.get("firstname").asText()).isEqualTo("Ada");
    assertThat(props.get("phone").asText()).isEqualTo("+44123");
    assertThat(props.get("email").asText()).isEqualTo("ada@example.com");
    assertThat(props.get("hs_additional_emails").asText()).isEqualTo("ada.l@example.com");
    assertThat(props.get("hs_merged_object_ids").asText()).isEqualTo(merged);
    assertThat(props.get("lastmodifieddate").asText()).isEqualTo("2026-03-01T10:05:00.000Z");
    assertThat(http.get(CONTACTS).json().get("results")).hasSize(1);
    assertThat(http.post(CONTACTS + "/search", "{}").json().get("total").asInt()).isEqualTo(1);
    assertThat(http.get(CONTACTS + "/" + merged).json().get("id").asText()).isEqualTo(primary);
    assertThat(emulator.engagements(primary)).hasSize(1);
    assertThat(emulator.counters().requests(HubSpotCounters.MERGE)).isEqualTo(1);
  }

  @Test
  void mergeHistoriesJoinWithSemicolons() {
    String a = emulator.seedContact(Map.of("email", "a@example.com"));
    String b = emulator.seedContact(Map.of("email", "b@example.com"));
    String c = emulator.seedContact(Map.of("email", "c@example.com"));

    http.post(CONTACTS + "/merge", merge(b, c));
    JsonNode survivor = http.post(CONTACTS + "/merge", merge(a, b)).json();

    assertThat(survivor.get("properties").get("hs_merged_object_ids").asText()).isEqualTo(b + ";" + c);
    assertThat(survivor.get("properties").get("hs_additional_emails").asText()).isEqualTo("c@example.com;b@example.com");
    assertThat(http.get(CONTACTS + "/" + c).json().get("id").asText()).isEqualTo(a);
    assertThat(http.post(CONTACTS, HubSpotHttp.properties("email", "c@example.com")).status()).isEqualTo(409);
  }

  @Test
  void mergingAContactWithItselfGets400AndAnUnknownIdGets404() {
    String a = emulator.seedContact(Map.of("email", "a@example.com"));

    HubSpotHttp.Answer same = http.post(CONTACTS + "/merge", merge(a, a));
    HubSpotHttp.Answer unknown = http.post(CONTACTS + "/merge", merge(a, "999"));
    HubSpotHttp.Answer notAnId = http.post(CONTACTS + "/merge", "{\"primaryObjectId\":\"" + a + "\"}");

    assertThat(same.status()).isEqualTo(400);
    assertThat(same.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    assertThat(notAnId.status()).isEqualTo(400);
    assertThat(notAnId.json().get("message").asText()).contains("objectIdToMerge");
  }

  @Test
  void gdprDeleteRemovesTheContactForGoodAndFreesItsEmail() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer deleted = http.post(CONTACTS + "/gdpr-delete", "{\"objectId\":\"" + id + "\"}");

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(http.get(CONTACTS + "/" + id).status()).isEqualTo(404);
    assertThat(http.get(CONTACTS + "/" + id + "?archived=true").status()).isEqualTo(404);
    assertThat(http.post(CONTACTS, HubSpotHttp.properties("email", "ada@example.com")).status()).isEqualTo(201);
    assertThat(emulator.counters().requests(HubSpotCounters.GDPR_DELETE)).isEqualTo(1);
  }

  @Test
  void gdprDeleteTakesAnEmailAndAnswers404ForAnUnknownContact() {
    emulator.seedContact(Map.of("email", "ada@example.com"));

    assertThat(http.post(CONTACTS + "/gdpr-delete", "{\"objectId\":\"ADA@example.com\",\"idProperty\":\"email\"}").status())
        .isEqualTo(204);
    assertThat(emulator.liveContactCount()).isZero();
    assertThat(http.post(CONTACTS + "/gdpr-delete", "{\"objectId\":\"42\"}").status()).isEqualTo(404);
  }

  @Test
  void hooksReadCountUpdateRestoreAndMergeWithoutRequests() {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com", "firstname", "Ada"));
    String bob = emulator.seedContact(Map.of("email", "bob@example.com"));
    clock.advance(Duration.ofMinutes(1));

    Map<String, String> updated = emulator.updateContact(ada, Map.of("firstname", "Augusta"));
    assertThat(updated).containsEntry("firstname", "Augusta").containsEntry("lastmodifieddate", "2026-03-01T10:01:00.000Z");
    assertThat(emulator.contactProperties(ada)).hasValueSatisfying(p -> assertThat(p).containsEntry("firstname", "Augusta"));
    assertThat(emulator.liveContactCount()).isEqualTo(2);

    http.delete(CONTACTS + "/" + bob);
    assertThat(emulator.liveContactCount()).isEqualTo(1);
    assertThat(emulator.restoreContact(bob)).containsEntry("email", "bob@example.com");
    assertThat(http.get(CONTACTS + "/" + bob).status()).isEqualTo(200);

    assertThat(emulator.mergeContacts(ada, bob)).containsEntry("hs_additional_emails", "bob@example.com");
    assertThat(emulator.contactProperties(bob)).hasValueSatisfying(p -> assertThat(p).containsEntry("hs_object_id", ada));
    assertThat(emulator.counters().requests(HubSpotCounters.UPDATE)).isZero();
  }

  @Test
  void hooksRejectUnknownIdsExpiredRestoresAndTakenEmails() {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    String bob = emulator.seedContact(Map.of("email", "bob@example.com"));

    assertThatThrownBy(() -> emulator.updateContact("999", Map.of("firstname", "x"))).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> emulator.updateContact(ada, Map.of("email", "bob@example.com")))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> emulator.restoreContact(ada)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> emulator.mergeContacts(ada, ada)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("mergedId");
    assertThat(emulator.contactProperties("999")).isEmpty();

    http.delete(CONTACTS + "/" + bob);
    clock.advance(Duration.ofDays(91));
    assertThatThrownBy(() -> emulator.restoreContact(bob)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("90 days");
  }
}
