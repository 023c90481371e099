package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Custom fields, audit fields on create and record numbering: what an org's admin sets up. */
class SalesforceEmulatorOrgSetupTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<SalesforceEmulator> emulators = new ArrayList<>();

  private SalesforceHttp start(SalesforceEmulator.Builder builder) {
    SalesforceEmulator emulator = builder.clock(clock).build();
    emulators.add(emulator);
    return new SalesforceHttp(emulator);
  }

  @AfterEach
  void stop() {
    emulators.forEach(SalesforceEmulator::close);
  }

  @Test
  void customFieldsAreDescribedWrittenQueriedAndLengthChecked() {
    SalesforceHttp http = start(SalesforceEmulator.builder().customTextField("Contact", "Loyalty_Id__c", 5)
        .customDateTimeField("Task", "Occurred_At__c").customLongTextAreaField("Task", "Notes__c", 1000));

    JsonNode describe = http.get("/sobjects/Contact/describe").json();
    List<String> types = new ArrayList<>();
    describe.get("fields").forEach(f -> {
      if (f.get("name").asText().equals("Loyalty_Id__c")) {
        types.add(f.get("type").asText() + "/" + f.get("length").asInt());
      }
    });
    assertThat(types).containsExactly("string/5");

    String id = http.create("Contact", "{\"LastName\":\"Lovelace\",\"Loyalty_Id__c\":\"L-1\"}");
    JsonNode rows = http.query("SELECT Id, Loyalty_Id__c FROM Contact WHERE Loyalty_Id__c = 'L-1'").json().get("records");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("Id").asText()).isEqualTo(id);
    assertThat(http.post("/sobjects/Contact", "{\"LastName\":\"Long\",\"Loyalty_Id__c\":\"L-1234\"}").errorCode())
        .isEqualTo("STRING_TOO_LONG");

    String task = http.create("Task", "{\"Subject\":\"x\",\"Occurred_At__c\":\"2026-02-01T08:00:00.000+0000\","
        + "\"Notes__c\":\"long text\"}");
    JsonNode read = http.get("/sobjects/Task/" + task).json();
    assertThat(read.get("Occurred_At__c").asText()).isEqualTo("2026-02-01T08:00:00.000+0000");
    assertThat(read.get("Notes__c").asText()).isEqualTo("long text");
  }

  @Test
  void aCustomFieldOfOneOrgIsUnknownInAnother() {
    start(SalesforceEmulator.builder().customTextField("Contact", "Loyalty_Id__c", 20));
    SalesforceHttp plain = start(SalesforceEmulator.builder());

    assertThat(plain.post("/sobjects/Contact", "{\"LastName\":\"L\",\"Loyalty_Id__c\":\"x\"}").errorCode())
        .isEqualTo("INVALID_FIELD");
  }

  @Test
  void badCustomFieldDefinitionsAreRefusedNamingTheValue() {
    SalesforceEmulator.Builder b = SalesforceEmulator.builder();
    assertThatThrownBy(() -> b.customTextField("Contact", "Loyalty", 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Loyalty'");
    assertThatThrownBy(() -> b.customTextField("Contact", "Email", 20)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.customTextField("OpportunityStage", "X__c", 20))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OpportunityStage");
    assertThatThrownBy(() -> b.customTextField("Contact", "X__c", 256)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.customLongTextAreaField("Task", "X__c", 100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.customTextField(null, "X__c", 20)).isInstanceOf(NullPointerException.class);
    b.customTextField("Contact", "Twice__c", 20);
    assertThatThrownBy(() -> b.customTextField("Contact", "TWICE__c", 20)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.firstRecordNumber(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void createdDateIsSettableOnCreateOnlyWithAuditFieldsOn() {
    String body = "{\"LastName\":\"Old\",\"CreatedDate\":\"2024-01-02T03:04:05.000+0000\"}";
    SalesforceHttp off = start(SalesforceEmulator.builder());
    assertThat(off.post("/sobjects/Contact", body).errorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");

    SalesforceHttp on = start(SalesforceEmulator.builder().auditFieldsOnCreate(true));
    String id = on.create("Contact", body);
    JsonNode read = on.get("/sobjects/Contact/" + id).json();
    assertThat(read.get("CreatedDate").asText()).isEqualTo("2024-01-02T03:04:05.000+0000");
    assertThat(read.get("LastModifiedDate").asText()).isEqualTo("2026-03-01T10:00:00.000+0000");
    assertThat(on.patch("/sobjects/Contact/" + id, "{\"CreatedDate\":\"2024-01-01T00:00:00.000+0000\"}").errorCode())
        .isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
    assertThat(on.post("/sobjects/Contact", "{\"LastName\":\"Future\",\"CreatedDate\":\"2027-01-01T00:00:00.000+0000\"}")
        .errorCode()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
  }

  @Test
  void twoOrgsNumberedApartHandOutDifferentIds() {
    SalesforceHttp first = start(SalesforceEmulator.builder());
    SalesforceHttp second = start(SalesforceEmulator.builder().firstRecordNumber(1_000_001));

    assertThat(second.create("Contact", "{\"LastName\":\"B\"}")).isNotEqualTo(first.create("Contact", "{\"LastName\":\"A\"}"));
  }
}
