package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorEngagementsTest {
  private static final String NOTES = "/crm/v3/objects/notes";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String engagement(String type, String contactId, int typeId, String... namesAndValues) {
    StringBuilder properties = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      properties.append(i == 0 ? "" : ",").append('"').append(namesAndValues[i]).append("\":\"")
          .append(namesAndValues[i + 1]).append('"');
    }
    String associations = contactId == null ? "" : ",\"associations\":[{\"to\":{\"id\":\"" + contactId
        + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":" + typeId + "}]}]";
    return "{\"properties\":{" + properties + "}" + associations + "}";
  }

  private String createNote(String contactId, String body, String timestamp) {
    HubSpotHttp.Answer created =
        http.post(NOTES, engagement("notes", contactId, 202, "hs_note_body", body, "hs_timestamp", timestamp));
    assertThat(created.status()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  @Test
  void createsANoteAssociatedToAContactWithTheEngagementManagedProperties() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer created =
        http.post(NOTES, engagement("notes", contact, 202, "hs_note_body", "Called back", "hs_timestamp", "1772359200000"));

    assertThat(created.status()).isEqualTo(201);
    JsonNode props = created.json().get("properties");
    assertThat(props.get("hs_note_body").asText()).isEqualTo("Called back");
    assertThat(props.get("hs_timestamp").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(props.get("hs_createdate").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(props.get("hs_lastmodifieddate").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(props.get("hs_object_id").asText()).isEqualTo(created.json().get("id").asText());
    assertThat(emulator.engagements(contact)).singleElement()
        .satisfies(e -> assertThat(e.type()).isEqualTo("notes"))
        .satisfies(e -> assertThat(e.properties()).containsEntry("hs_note_body", "Called back"));
    assertThat(emulator.counters().requests("POST /crm/v3/objects/notes")).isEqualTo(1);
  }

  @Test
  void everyEngagementTypeTakesItsOwnContactAssociationTypeId() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    Map<String, Integer> typeIds = Map.of("calls", 194, "emails", 198, "meetings", 200, "communications", 81);

    typeIds.forEach((type, typeId) -> assertThat(
        http.post("/crm/v3/objects/" + type, engagement(type, contact, typeId, "hs_timestamp", "2026-03-01T09:00:00Z"))
            .status()).as(type).isEqualTo(201));

    assertThat(emulator.engagements(contact)).extracting(HubSpotEngagement::type)
        .containsExactly("calls", "emails", "meetings", "communications");
  }

  @Test
  void aWrongAssociationTypeIdOrAnUnknownContactGets400AndCreatesNothing() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer wrongType = http.post(NOTES, engagement("notes", contact, 194, "hs_timestamp", "1772359200000"));
    HubSpotHttp.Answer unknownContact = http.post(NOTES, engagement("notes", "999", 202, "hs_timestamp", "1772359200000"));

    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(wrongType.json().get("message").asText()).contains("194");
    assertThat(unknownContact.status()).isEqualTo(400);
    assertThat(unknownContact.json().get("message").asText()).contains("999");
    assertThat(http.get(NOTES).json().get("results")).isEmpty();
  }

  @Test
  void anEngagementWithoutHsTimestampGets400NamingIt() {
    HubSpotHttp.Answer answer = http.post(NOTES, engagement("notes", null, 0, "hs_note_body", "x"));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(answer.json().get("message").asText()).contains("hs_timestamp");
    assertThat(http.post(NOTES, engagement("notes", null, 0, "hs_timestamp", "yesterday")).status()).isEqualTo(400);
  }

  @Test
  void readsUpdatesAndArchivesANote() {
    String id = createNote(null, "First", "2026-03-01T09:00:00Z");
    clock.advance(Duration.ofMinutes(1));

    HubSpotHttp.Answer updated = http.patch(NOTES + "/" + id, HubSpotHttp.properties("hs_note_body", "Second"));
    HubSpotHttp.Answer read = http.get(NOTES + "/" + id + "?properties=hs_note_body");

    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().get("properties").get("hs_lastmodifieddate").asText()).isEqualTo("2026-03-01T10:01:00.000Z");
    assertThat(read.json().get("properties").get("hs_note_body").asText()).isEqualTo("Second");
    assertThat(http.delete(NOTES + "/" + id).status()).isEqualTo(204);
    assertThat(http.get(NOTES + "/" + id).status()).isEqualTo(404);
    assertThat(http.get(NOTES + "/" + id + "?archived=true").json().get("archived").asBoolean()).isTrue();
    assertThat(emulator.counters().requests("PATCH /crm/v3/objects/notes/{noteId}")).isEqualTo(1);
  }

  @Test
  void readWithAssociationsListsTheAssociatedContacts() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    String note = createNote(contact, "x", "2026-03-01T09:00:00Z");

    JsonNode body = http.get(NOTES + "/" + note + "?associations=contacts").json();

    assertThat(body.get("associations").get("contacts").get("results").get(0).get("id").asText()).isEqualTo(contact);
    assertThat(body.get("associations").get("contacts").get("results").get(0).get("type").asText())
        .isEqualTo("note_to_contact");
  }

  @Test
  void listsNotesWithCursorPaging() {
    for (int i = 0; i < 3; i++) {
      createNote(null, "n" + i, "2026-03-01T09:00:00Z");
    }

    JsonNode first = http.get(NOTES + "?limit=2").json();
    String after = first.get("paging").get("next").get("after").asText();
    JsonNode second = http.get(NOTES + "?limit=2&after=" + after).json();

    assertThat(first.get("results")).hasSize(2);
    assertThat(second.get("results")).hasSize(1);
    assertThat(second.has("paging")).isFalse();
  }

  @Test
  void searchesNotesByAssociatedContactSortedByTimestamp() {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    String bob = emulator.seedContact(Map.of("email", "bob@example.com"));
    String late = createNote(ada, "late", "2026-03-01T09:30:00Z");
    String early = createNote(ada, "early", "2026-03-01T08:00:00Z");
    createNote(bob, "other", "2026-03-01T08:30:00Z");

    HubSpotHttp.Answer answer = http.post(NOTES + "/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"associations.contact\",\"operator\":\"EQ\",\"value\":\"" + ada + "\"}]}],"
        + "\"sorts\":[{\"propertyName\":\"hs_timestamp\",\"direction\":\"DESCENDING\"}],"
        + "\"properties\":[\"hs_note_body\",\"hs_timestamp\"],\"limit\":1}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("total").asInt()).isEqualTo(2);
    assertThat(answer.json().get("results").get(0).get("id").asText()).isEqualTo(late);
    String after = answer.json().get("paging").get("next").get("after").asText();
    JsonNode next = http.post(NOTES + "/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"associations.contact\",\"operator\":\"EQ\",\"value\":\"" + ada + "\"}]}],"
        + "\"sorts\":[{\"propertyName\":\"hs_timestamp\",\"direction\":\"DESCENDING\"}],\"limit\":1,\"after\":\""
        + after + "\"}").json();
    assertThat(next.get("results").get(0).get("id").asText()).isEqualTo(early);
    assertThat(emulator.counters().requests("POST /crm/v3/objects/notes/search")).isEqualTo(2);
  }

  @Test
  void searchesCallsByACustomIdempotencyKeyProperty() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    http.post("/crm/v3/objects/calls", engagement("calls", contact, 194,
        "hs_timestamp", "2026-03-01T09:00:00Z", "crmkit_idempotency_key", "k-1"));
    http.post("/crm/v3/objects/calls", engagement("calls", contact, 194,
        "hs_timestamp", "2026-03-01T09:00:00Z", "crmkit_idempotency_key", "k-2"));

    JsonNode found = http.post("/crm/v3/objects/calls/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"crmkit_idempotency_key\",\"operator\":\"EQ\",\"value\":\"k-2\"}]}],\"properties\":[\"crmkit_idempotency_key\"]}")
        .json();

    assertThat(found.get("total").asInt()).isEqualTo(1);
    assertThat(found.get("results").get(0).get("properties").get("crmkit_idempotency_key").asText()).isEqualTo("k-2");
  }

  @Test
  void anAssociationFilterWithAnotherOperatorOrABadIdGets400() {
    HubSpotHttp.Answer neq = http.post(NOTES + "/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"associations.contact\",\"operator\":\"NEQ\",\"value\":\"1\"}]}]}");
    HubSpotHttp.Answer badId = http.post(NOTES + "/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"associations.contact\",\"operator\":\"EQ\",\"value\":\"ada\"}]}]}");

    assertThat(neq.status()).isEqualTo(400);
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.json().get("message").asText()).contains("ada");
  }

  @Test
  void engagementSearchesUseTheSearchRateBudget() {
    try (HubSpotEmulator limited = HubSpotEmulator.builder().clock(clock).searchPerSecondLimit(1).build()) {
      HubSpotHttp limitedHttp = new HubSpotHttp(limited);

      assertThat(limitedHttp.post(NOTES + "/search", "{}").status()).isEqualTo(200);
      HubSpotHttp.Answer second = limitedHttp.post("/crm/v3/objects/meetings/search", "{}");

      assertThat(second.status()).isEqualTo(429);
      assertThat(second.json().get("policyName").asText()).isEqualTo("SECONDLY");
      assertThat(limitedHttp.get(NOTES).status()).isEqualTo(200);
    }
  }

  @Test
  void batchCreatesReadsAndArchivesNotes() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    String inputs = "{\"inputs\":[" + engagement("notes", contact, 202, "hs_timestamp", "1772359200000", "hs_note_body", "a")
        + "," + engagement("notes", null, 0, "hs_note_body", "no timestamp") + "]}";

    HubSpotHttp.Answer created = http.post(NOTES + "/batch/create", inputs);

    assertThat(created.status()).isEqualTo(207);
    assertThat(created.json().get("results")).hasSize(1);
    assertThat(created.json().get("errors").get(0).get("message").asText()).contains("hs_timestamp");
    String id = created.json().get("results").get(0).get("id").asText();
    JsonNode read = http.post(NOTES + "/batch/read", "{\"inputs\":[{\"id\":\"" + id + "\"}],\"properties\":[\"hs_note_body\"]}")
        .json();
    assertThat(read.get("results").get(0).get("properties").get("hs_note_body").asText()).isEqualTo("a");
    assertThat(http.post(NOTES + "/batch/archive", "{\"inputs\":[{\"id\":\"" + id + "\"}]}").status()).isEqualTo(204);
    assertThat(emulator.engagements(contact)).isEmpty();
  }
}
