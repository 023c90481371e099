package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorOpportunitiesTest {
  private static final String DEAL = "{\"Name\":\"Deal\",\"StageName\":\"Prospecting\",\"CloseDate\":\"2026-04-01\"";
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).build();
  private SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private void restart(SalesforceEmulator.Builder builder) {
    emulator.close();
    emulator = builder.clock(clock).build();
    http = new SalesforceHttp(emulator);
  }

  private static JsonNode field(JsonNode describe, String name) {
    for (JsonNode f : describe.get("fields")) {
      if (f.get("name").asText().equals(name)) {
        return f;
      }
    }
    return null;
  }

  @Test
  void aSingleCurrencyOrgHasNoCurrencyIsoCode() {
    SalesforceHttp.Answer refused = http.post("/sobjects/Opportunity", DEAL + ",\"CurrencyIsoCode\":\"EUR\"}");
    String id = http.create("Opportunity", DEAL + "}");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorCode()).isEqualTo("INVALID_FIELD");
    assertThat(field(http.get("/sobjects/Opportunity/describe").json(), "CurrencyIsoCode")).isNull();
    assertThat(emulator.record(id).orElseThrow()).doesNotContainKey("CurrencyIsoCode");
  }

  @Test
  void aMultiCurrencyOrgDefaultsToTheCorporateCurrencyAndRestrictsTheCodes() {
    restart(SalesforceEmulator.builder().multiCurrency(true));

    String defaulted = http.create("Opportunity", DEAL + "}");
    String euro = http.create("Opportunity", DEAL + ",\"CurrencyIsoCode\":\"EUR\",\"Amount\":12.5}");
    SalesforceHttp.Answer unknown = http.post("/sobjects/Opportunity", DEAL + ",\"CurrencyIsoCode\":\"XXX\"}");

    assertThat(emulator.record(defaulted).orElseThrow()).containsEntry("CurrencyIsoCode", "USD");
    assertThat(emulator.record(euro).orElseThrow()).containsEntry("CurrencyIsoCode", "EUR");
    assertThat(unknown.errorCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
    JsonNode currency = field(http.get("/sobjects/Opportunity/describe").json(), "CurrencyIsoCode");
    assertThat(currency.get("type").asText()).isEqualTo("picklist");
    assertThat(currency.get("picklistValues").get(0).get("value").asText()).isEqualTo("USD");
  }

  @Test
  void theIdempotencyKeyIsAUniqueExternalIdEvenInTheRecycleBin() {
    String first = http.create("Opportunity", DEAL + ",\"Crmkit_Idempotency_Key__c\":\"evt:1\"}");

    SalesforceHttp.Answer again = http.post("/sobjects/Opportunity", DEAL + ",\"Crmkit_Idempotency_Key__c\":\"EVT:1\"}");
    emulator.delete(first);
    SalesforceHttp.Answer afterDelete = http.post("/sobjects/Opportunity", DEAL + ",\"Crmkit_Idempotency_Key__c\":\"evt:1\"}");
    String other = http.create("Opportunity", DEAL + ",\"Crmkit_Idempotency_Key__c\":\"evt:2\"}");
    SalesforceHttp.Answer update = http.patch("/sobjects/Opportunity/" + other, "{\"Crmkit_Idempotency_Key__c\":\"evt:1\"}");

    assertThat(again.status()).isEqualTo(400);
    assertThat(again.errorCode()).isEqualTo("DUPLICATE_VALUE");
    assertThat(again.json().get(0).get("message").asText()).endsWith("record with id: " + first);
    assertThat(again.json().get(0).get("fields").get(0).asText()).isEqualTo("Crmkit_Idempotency_Key__c");
    assertThat(afterDelete.errorCode()).isEqualTo("DUPLICATE_VALUE");
    assertThat(update.errorCode()).isEqualTo("DUPLICATE_VALUE");
    JsonNode key = field(http.get("/sobjects/Opportunity/describe").json(), "Crmkit_Idempotency_Key__c");
    assertThat(key.get("unique").asBoolean()).isTrue();
    assertThat(key.get("externalId").asBoolean()).isTrue();
    assertThat(field(http.get("/sobjects/Opportunity/describe").json(), "Amount").get("scale").asInt()).isEqualTo(2);
  }

  @Test
  void aBadStageIsARestrictedPicklistError() {
    SalesforceHttp.Answer bad = http.post("/sobjects/Opportunity",
        "{\"Name\":\"Deal\",\"StageName\":\"Dreaming\",\"CloseDate\":\"2026-04-01\"}");

    assertThat(bad.errorCode()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
    assertThat(bad.json().get(0).get("fields").get(0).asText()).isEqualTo("StageName");
  }

  @Test
  void twoOrgsWithApartFirstRecordNumbersHandOutDifferentIds() {
    String here = http.create("Opportunity", DEAL + "}");
    restart(SalesforceEmulator.builder().firstRecordNumber(1_000_001));
    String there = http.create("Opportunity", DEAL + "}");

    assertThat(there).isNotEqualTo(here).startsWith("006");
    assertThat(SalesforceIds.wellFormed(there)).isTrue();
    assertThatThrownBy(() -> SalesforceEmulator.builder().firstRecordNumber(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
  }
}
