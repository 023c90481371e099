package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorAssociationsTest {
  private final HubSpotEmulator emulator = HubSpotEmulator.start();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String note() {
    return http.post("/crm/v3/objects/notes", "{\"properties\":{\"hs_timestamp\":\"1772359200000\"}}")
        .json().get("id").asText();
  }

  @Test
  void putDefaultAssociatesBothWaysWithTheHubSpotDefinedTypeIds() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    String note = note();

    HubSpotHttp.Answer put = http.send("PUT",
        "/crm/v4/objects/notes/" + note + "/associations/default/contacts/" + contact, null, emulator.accessToken());

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("status").asText()).isEqualTo("COMPLETE");
    assertThat(put.json().get("results").get(0).get("associationSpec").get("associationTypeId").asInt()).isEqualTo(202);
    JsonNode fromContact = http.get("/crm/v4/objects/contacts/" + contact + "/associations/notes").json();
    assertThat(fromContact.get("results").get(0).get("toObjectId").asLong()).isEqualTo(Long.parseLong(note));
    JsonNode type = fromContact.get("results").get(0).get("associationTypes").get(0);
    assertThat(type.get("category").asText()).isEqualTo("HUBSPOT_DEFINED");
    assertThat(type.get("typeId").asInt()).isEqualTo(201);
    assertThat(type.get("label").isNull()).isTrue();
    assertThat(emulator.counters().requests(HubSpotCounters.ASSOCIATE_DEFAULT)).isEqualTo(1);
    assertThat(emulator.counters().requests(HubSpotCounters.ASSOCIATIONS_LIST)).isEqualTo(1);
  }

  @Test
  void listPagesByTheAssociatedRecordId() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    for (int i = 0; i < 3; i++) {
      http.send("PUT", "/crm/v4/objects/contacts/" + contact + "/associations/default/notes/" + note(), null,
          emulator.accessToken());
    }

    JsonNode first = http.get("/crm/v4/objects/contacts/" + contact + "/associations/notes?limit=2").json();
    String after = first.get("paging").get("next").get("after").asText();
    JsonNode second = http.get("/crm/v4/objects/contacts/" + contact + "/associations/notes?limit=2&after=" + after).json();

    assertThat(first.get("results")).hasSize(2);
    assertThat(second.get("results")).hasSize(1);
    assertThat(second.has("paging")).isFalse();
  }

  @Test
  void deleteRemovesTheAssociationBothWays() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));
    String note = note();
    http.send("PUT", "/crm/v4/objects/notes/" + note + "/associations/default/contacts/" + contact, null,
        emulator.accessToken());

    HubSpotHttp.Answer deleted = http.delete("/crm/v4/objects/contacts/" + contact + "/associations/notes/" + note);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(http.get("/crm/v4/objects/notes/" + note + "/associations/contacts").json().get("results")).isEmpty();
    assertThat(emulator.engagements(contact)).isEmpty();
    assertThat(emulator.counters().requests(HubSpotCounters.DISASSOCIATE)).isEqualTo(1);
  }

  @Test
  void associationsToAMergedAwayContactLandOnTheSurvivor() {
    String survivor = emulator.seedContact(Map.of("email", "ada@example.com"));
    String mergedAway = emulator.seedContact(Map.of("email", "ada.l@example.com"));
    emulator.mergeContacts(survivor, mergedAway);
    String put = note();
    http.send("PUT", "/crm/v4/objects/notes/" + put + "/associations/default/contacts/" + mergedAway, null,
        emulator.accessToken());
    String created = http.post("/crm/v3/objects/notes", "{\"properties\":{\"hs_timestamp\":\"1772359200000\"},"
        + "\"associations\":[{\"to\":{\"id\":\"" + mergedAway + "\"},\"types\":[{\"associationCategory\":"
        + "\"HUBSPOT_DEFINED\",\"associationTypeId\":202}]}]}").json().get("id").asText();

    assertThat(emulator.engagements(survivor)).extracting(HubSpotEngagement::id).containsExactly(put, created);
    JsonNode fromNote = http.get("/crm/v4/objects/notes/" + put + "/associations/contacts").json();
    assertThat(fromNote.get("results").get(0).get("toObjectId").asText()).isEqualTo(survivor);
    JsonNode viaMergedId = http.get("/crm/v4/objects/contacts/" + mergedAway + "/associations/notes").json();
    assertThat(viaMergedId.get("results")).hasSize(2);

    http.delete("/crm/v4/objects/contacts/" + mergedAway + "/associations/notes/" + put);

    assertThat(emulator.engagements(survivor)).extracting(HubSpotEngagement::id).containsExactly(created);
  }

  @Test
  void associatingAMissingRecordGets404AndAnUnknownTypeGets400() {
    String contact = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer missing = http.send("PUT",
        "/crm/v4/objects/notes/77/associations/default/contacts/" + contact, null, emulator.accessToken());
    HubSpotHttp.Answer unknownType = http.get("/crm/v4/objects/widgets/1/associations/contacts");
    HubSpotHttp.Answer noDefault = http.send("PUT",
        "/crm/v4/objects/notes/" + note() + "/associations/default/calls/1", null, emulator.accessToken());

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    assertThat(unknownType.status()).isEqualTo(400);
    assertThat(unknownType.json().get("message").asText()).contains("widgets");
    assertThat(noDefault.status()).isEqualTo(404);
  }
}
