package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.DealStage;
import dev.crmkit.DealStatus;
import dev.crmkit.Pipeline;
import dev.crmkit.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deals through the generic objects API, the deal pipelines API, and deal associations. */
class HubSpotEmulatorDealsTest {
  private static final Pipeline REPAIRS = new Pipeline("repairs", "Repairs", List.of(
      DealStage.open("booked", "Booked"), DealStage.open("inwork", "In work"),
      new DealStage("done", "Done", DealStatus.WON), new DealStage("cancelled", "Cancelled", DealStatus.LOST)));

  private final HubSpotEmulator emulator = HubSpotEmulator.builder().rateLimits(false).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);
  private final String contact = emulator.seedContact(Map.of("email", "ada@example.com"));

  @AfterEach
  void stop() {
    emulator.close();
  }

  private HubSpotHttp.Answer create(String properties) {
    return http.post("/crm/v3/objects/deals", "{\"properties\":" + properties + ",\"associations\":[{\"to\":{\"id\":\""
        + contact + "\"},\"types\":[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":3}]}]}");
  }

  @Test
  void theDefaultPipelineHasHubSpotsStagesLabelsAndProbabilities() {
    JsonNode body = http.get("/crm/v3/pipelines/deals").json();

    assertThat(body.get("results")).hasSize(1);
    JsonNode p = body.get("results").get(0);
    assertThat(p.get("id").asText()).isEqualTo("default");
    assertThat(p.get("label").asText()).isEqualTo("Sales Pipeline");
    List<String> stages = new ArrayList<>();
    p.get("stages").forEach(s -> stages.add(s.get("id").asText() + "|" + s.get("label").asText() + "|"
        + s.get("metadata").get("probability").asText() + "|" + s.get("metadata").get("isClosed").asText()));
    assertThat(stages).containsExactly(
        "appointmentscheduled|Appointment Scheduled|0.2|false",
        "qualifiedtobuy|Qualified To Buy|0.4|false",
        "presentationscheduled|Presentation Scheduled|0.6|false",
        "decisionmakerboughtin|Decision Maker Bought-In|0.8|false",
        "contractsent|Contract Sent|0.9|false",
        "closedwon|Closed Won|1.0|true",
        "closedlost|Closed Lost|0.0|true");
    assertThat(p.get("stages").get(0).get("metadata").get("probability").isTextual()).as("HubSpot sends strings")
        .isTrue();
    assertThat(emulator.counters().requests(HubSpotCounters.PIPELINES)).isEqualTo(1);
  }

  @Test
  void onePipelineItsStagesAndOneStageAlsoByObjectTypeId() {
    emulator.addDealPipeline(REPAIRS);

    assertThat(http.get("/crm/v3/pipelines/0-3").json().get("results")).hasSize(2);
    JsonNode repairs = http.get("/crm/v3/pipelines/deals/repairs").json();
    assertThat(repairs.get("displayOrder").asInt()).isEqualTo(1);
    assertThat(repairs.get("stages").get(1).get("metadata").get("probability").asText()).isEqualTo("0.67");
    assertThat(http.get("/crm/v3/pipelines/deals/repairs/stages").json().get("results")).hasSize(4);
    JsonNode done = http.get("/crm/v3/pipelines/deals/repairs/stages/done").json();
    assertThat(done.get("metadata").get("isClosed").asText()).isEqualTo("true");
    assertThat(done.get("metadata").get("probability").asText()).isEqualTo("1.0");
    assertThat(http.get("/crm/v3/pipelines/deals/renewals").status()).isEqualTo(404);
    assertThat(http.get("/crm/v3/pipelines/deals/repairs/stages/closedwon").status()).isEqualTo(404);
    assertThat(http.get("/crm/v3/pipelines/widgets").status()).isEqualTo(400);
  }

  @Test
  void addingAPipelineWhoseIdLabelOrStageIsTakenIsRefused() {
    emulator.addDealPipeline(REPAIRS);
    assertThatThrownBy(() -> emulator.addDealPipeline(REPAIRS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> emulator.addDealPipeline(new Pipeline("other", "Other", List.of(
        DealStage.open("a", "A"), new DealStage("closedwon", "W", DealStatus.WON),
        new DealStage("l", "L", DealStatus.LOST))))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closedwon");
  }

  @Test
  void createPutsADealInTheDefaultPipelineAndAssociatesItBothWays() {
    HubSpotHttp.Answer created = create("{\"dealname\":\"Spring\",\"dealstage\":\"qualifiedtobuy\",\"amount\":\"10.5\"}");

    assertThat(created.status()).isEqualTo(201);
    String id = created.json().get("id").asText();
    JsonNode props = created.json().get("properties");
    assertThat(props.get("pipeline").asText()).isEqualTo("default");
    assertThat(props.get("createdate").isTextual()).isTrue();
    assertThat(props.get("hs_lastmodifieddate").isTextual()).isTrue();
    assertThat(emulator.dealContactIds(id)).containsExactly(contact);
    JsonNode fromContact = http.get("/crm/v4/objects/contacts/" + contact + "/associations/deals").json();
    assertThat(fromContact.get("results").get(0).get("toObjectId").asText()).isEqualTo(id);
    assertThat(fromContact.get("results").get(0).get("associationTypes").get(0).get("typeId").asInt()).isEqualTo(4);
    JsonNode read = http.get("/crm/v3/objects/deals/" + id + "?associations=contacts").json();
    assertThat(read.get("properties").get("dealname").asText()).isEqualTo("Spring");
    assertThat(read.get("associations").get("contacts").get("results").get(0).get("id").asText()).isEqualTo(contact);
    assertThat(read.get("associations").get("contacts").get("results").get(0).get("type").asText())
        .isEqualTo("deal_to_contact");
    assertThat(http.get("/crm/v3/objects/0-3/" + id).json().get("id").asText()).as("by objectTypeId").isEqualTo(id);
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE_DEAL)).isEqualTo(1);
    assertThat(emulator.counters().requests(HubSpotCounters.READ_DEAL)).isEqualTo(2);
  }

  @Test
  void anUnknownStageOrPipelineIsHubSpotsValidationError() {
    HubSpotHttp.Answer badStage = create("{\"dealname\":\"x\",\"dealstage\":\"closedwonn\"}");
    HubSpotHttp.Answer badPipeline = create("{\"dealname\":\"x\",\"dealstage\":\"booked\",\"pipeline\":\"repairs\"}");
    HubSpotHttp.Answer noStage = create("{\"dealname\":\"x\"}");

    assertThat(badStage.status()).isEqualTo(400);
    assertThat(badStage.json().get("status").asText()).isEqualTo("error");
    assertThat(badStage.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(badStage.json().get("message").asText()).startsWith("Property values were not valid: [{")
        .contains("\"error\":\"INVALID_OPTION\"", "\"name\":\"dealstage\"", "closedwonn");
    assertThat(badStage.json().get("correlationId").isTextual()).isTrue();
    assertThat(badPipeline.json().get("message").asText()).contains("\"name\":\"pipeline\"");
    assertThat(noStage.json().get("message").asText()).contains("REQUIRED_PROPERTY", "\"name\":\"dealstage\"");
    assertThat(emulator.liveDealCount()).isZero();

    emulator.addDealPipeline(REPAIRS);
    assertThat(create("{\"dealname\":\"x\",\"dealstage\":\"booked\",\"pipeline\":\"repairs\"}").status()).isEqualTo(201);
    // A stage of another pipeline is not a stage of the deal's pipeline.
    assertThat(create("{\"dealname\":\"x\",\"dealstage\":\"closedwon\",\"pipeline\":\"repairs\"}").status())
        .isEqualTo(400);
  }

  @Test
  void updatesAreCheckedAgainstTheDealsPipelineAfterTheWrite() {
    emulator.addDealPipeline(REPAIRS);
    String id = create("{\"dealname\":\"x\",\"dealstage\":\"appointmentscheduled\"}").json().get("id").asText();

    assertThat(http.patch("/crm/v3/objects/deals/" + id, "{\"properties\":{\"dealstage\":\"closedwon\"}}").status())
        .isEqualTo(200);
    // Moving to another pipeline without one of its stages leaves the deal at a stage the pipeline lacks.
    HubSpotHttp.Answer moved = http.patch("/crm/v3/objects/deals/" + id, "{\"properties\":{\"pipeline\":\"repairs\"}}");
    assertThat(moved.status()).isEqualTo(400);
    assertThat(moved.json().get("message").asText()).contains("\"name\":\"dealstage\"");
    assertThat(http.patch("/crm/v3/objects/deals/" + id,
        "{\"properties\":{\"pipeline\":\"repairs\",\"dealstage\":\"done\"}}").status()).isEqualTo(200);
    assertThat(http.patch("/crm/v3/objects/deals/" + id, "{\"properties\":{\"dealstage\":\"\"}}").status())
        .as("dealstage cannot be cleared").isEqualTo(400);
    assertThat(http.patch("/crm/v3/objects/deals/" + id, "{\"properties\":{\"amount\":\"ten\"}}").json()
        .get("message").asText()).contains("\"name\":\"amount\"");
    assertThat(http.patch("/crm/v3/objects/deals/" + id, "{\"properties\":{\"hubspot_owner_id\":\"alice\"}}").status())
        .isEqualTo(400);
    assertThat(emulator.dealProperties(id).orElseThrow()).containsEntry("pipeline", "repairs")
        .containsEntry("dealstage", "done").doesNotContainKeys("amount", "hubspot_owner_id");
  }

  @Test
  void currenciesTheAccountLacksAreRefused() {
    try (HubSpotEmulator eur = HubSpotEmulator.builder().rateLimits(false).dealCurrencies("EUR").build()) {
      String c = eur.seedContact(Map.of("email", "a@example.com"));
      assertThat(eur.seedDeal(Map.of("dealname", "x", "dealstage", "closedwon", "deal_currency_code", "EUR"), c))
          .isNotBlank();
      assertThatThrownBy(() -> eur.seedDeal(Map.of("dealname", "x", "dealstage", "closedwon",
          "deal_currency_code", "USD"), c))
          .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.getMessage())
              .contains("deal_currency_code", "is not a part of the current effective currency codes"));
    }
    assertThatThrownBy(() -> HubSpotEmulator.builder().dealCurrencies()).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dealsSearchBatchReadAndArchiveThroughTheGenericObjectsApi() {
    String a = create("{\"dealname\":\"alpha\",\"dealstage\":\"closedwon\",\"crmkit_idempotency_key\":\"k1\"}")
        .json().get("id").asText();
    String b = create("{\"dealname\":\"beta\",\"dealstage\":\"closedlost\"}").json().get("id").asText();

    JsonNode found = http.post("/crm/v3/objects/deals/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"crmkit_idempotency_key\",\"operator\":\"EQ\",\"value\":\"k1\"}]}],\"limit\":10}").json();
    assertThat(found.get("total").asInt()).isEqualTo(1);
    assertThat(found.get("results").get(0).get("id").asText()).isEqualTo(a);
    JsonNode byContact = http.post("/crm/v3/objects/deals/search", "{\"filterGroups\":[{\"filters\":[{\"propertyName\":"
        + "\"associations.contact\",\"operator\":\"EQ\",\"value\":\"" + contact + "\"}]}]}").json();
    assertThat(byContact.get("total").asInt()).isEqualTo(2);
    JsonNode batch = http.post("/crm/v3/objects/deals/batch/read", "{\"inputs\":[{\"id\":\"" + a + "\"},{\"id\":\""
        + b + "\"}],\"properties\":[\"dealname\"]}").json();
    assertThat(batch.get("results")).hasSize(2);

    assertThat(http.delete("/crm/v3/objects/deals/" + b).status()).isEqualTo(204);
    assertThat(http.get("/crm/v3/objects/deals/" + b).status()).isEqualTo(404);
    assertThat(emulator.liveDealCount()).isEqualTo(1);
    assertThat(http.post("/crm/v3/objects/deals/batch/upsert", "{\"inputs\":[]}").status())
        .as("deals have no unique property to upsert by").isEqualTo(404);
  }

  @Test
  void theV4AssociationsApiLinksAndUnlinksDealsAndContacts() {
    String deal = emulator.seedDeal(Map.of("dealname", "x", "dealstage", "contractsent"), null);
    assertThat(emulator.dealContactIds(deal)).isEmpty();

    HubSpotHttp.Answer put = http.send("PUT", "/crm/v4/objects/deals/" + deal + "/associations/default/contacts/"
        + contact, null, emulator.accessToken());

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.json().get("results").get(0).get("associationSpec").get("associationTypeId").asInt()).isEqualTo(3);
    assertThat(put.json().get("results").get(1).get("associationSpec").get("associationTypeId").asInt()).isEqualTo(4);
    assertThat(emulator.dealContactIds(deal)).containsExactly(contact);
    assertThat(http.send("DELETE", "/crm/v4/objects/contacts/" + contact + "/associations/deals/" + deal, null,
        emulator.accessToken()).status()).isEqualTo(204);
    assertThat(emulator.dealContactIds(deal)).isEmpty();
  }

  @Test
  void aMergeMovesTheMergedContactsDeals() {
    String other = emulator.seedContact(Map.of("email", "lovelace@example.com"));
    String deal = emulator.seedDeal(Map.of("dealname", "x", "dealstage", "contractsent"), other);

    emulator.mergeContacts(contact, other);

    assertThat(emulator.dealContactIds(deal)).containsExactly(contact);
  }

  @Test
  void injectedFaultsHitDealAndPipelineRoutesLikeContactRoutes() {
    emulator.faults().failNext(1, 503).dropNext(1).malformedNext(1);

    assertThat(http.get("/crm/v3/pipelines/deals").status()).isEqualTo(503);
    assertThatThrownBy(() -> create("{\"dealname\":\"x\",\"dealstage\":\"closedwon\"}"))
        .isInstanceOf(java.io.UncheckedIOException.class);
    assertThat(http.get("/crm/v3/objects/deals/1").text()).startsWith("{\"id\": \"1\"");
    assertThat(emulator.liveDealCount()).isZero();
    assertThat(http.get("/crm/v3/pipelines/deals").status()).isEqualTo(200);
  }

  @Test
  void seedDealRefusesWhatHubSpotRefuses() {
    assertThatThrownBy(() -> emulator.seedDeal(Map.of("dealname", "x", "dealstage", "nope"), contact))
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors().get(0).field()).isEqualTo("dealstage"));
    assertThatThrownBy(() -> emulator.seedDeal(Map.of("dealname", "x", "dealstage", "closedwon"), "424242"))
        .isInstanceOf(dev.crmkit.error.NotFoundException.class);
  }
}
