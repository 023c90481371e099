package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.HubSpotHttp.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.error.ValidationException;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorContactsTest {
  private static final String CONTACTS = "/crm/v3/objects/contacts";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final HubSpotEmulator emulator = HubSpotEmulator.builder().clock(clock).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void createAnswers201WithASimplePublicObjectAndTheManagedProperties() {
    HubSpotHttp.Answer created =
        http.post(CONTACTS, properties("email", "Ada@Example.com", "firstname", "Ada"));

    assertThat(created.status()).isEqualTo(201);
    JsonNode body = created.json();
    assertThat(body.get("id").asText()).isEqualTo("1");
    assertThat(body.get("createdAt").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(body.get("updatedAt").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(body.get("archived").asBoolean()).isFalse();
    assertThat(body.has("archivedAt")).isFalse();
    JsonNode props = body.get("properties");
    assertThat(props.get("email").asText()).isEqualTo("ada@example.com");
    assertThat(props.get("firstname").asText()).isEqualTo("Ada");
    assertThat(props.get("hs_object_id").asText()).isEqualTo("1");
    assertThat(props.get("createdate").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(props.get("lastmodifieddate").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(created.header("Content-Type")).startsWith("application/json");
    assertThat(emulator.counters().requests(HubSpotCounters.CREATE)).isEqualTo(1);
  }

  @Test
  void idsAreIncreasingNumericStrings() {
    String first = http.post(CONTACTS, properties("firstname", "A")).json().get("id").asText();
    String second = http.post(CONTACTS, properties("firstname", "B")).json().get("id").asText();

    assertThat(Long.parseLong(second)).isGreaterThan(Long.parseLong(first));
  }

  @Test
  void readReturnsTheDefaultPropertiesWithNullForUnsetOnes() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com", "phone", "+441234"));

    HubSpotHttp.Answer read = http.get(CONTACTS + "/" + id);

    assertThat(read.status()).isEqualTo(200);
    JsonNode props = read.json().get("properties");
    assertThat(props.get("email").asText()).isEqualTo("ada@example.com");
    assertThat(props.get("firstname").isNull()).isTrue();
    assertThat(props.has("phone")).isFalse();
    assertThat(emulator.counters().requests(HubSpotCounters.READ)).isEqualTo(1);
  }

  @Test
  void readReturnsOnlyTheRequestedPropertiesPlusTheManagedOnes() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com", "phone", "+441234"));

    JsonNode props = http.get(CONTACTS + "/" + id + "?properties=phone").json().get("properties");

    assertThat(props.fieldNames())
        .toIterable()
        .containsExactlyInAnyOrder("phone", "hs_object_id", "createdate", "lastmodifieddate");
  }

  @Test
  void readByEmailIgnoresCase() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer read = http.get(CONTACTS + "/ADA@example.COM?idProperty=email");

    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().get("id").asText()).isEqualTo(id);
  }

  @Test
  void readOfAnUnknownIdAnswers404WithAHubSpotErrorBody() {
    HubSpotHttp.Answer read = http.get(CONTACTS + "/999");

    assertThat(read.status()).isEqualTo(404);
    JsonNode body = read.json();
    assertThat(body.get("status").asText()).isEqualTo("error");
    assertThat(body.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    assertThat(body.get("correlationId").asText()).isEqualTo(read.header("X-HubSpot-Correlation-Id"));
    assertThat(body.get("message").asText()).isNotBlank();
  }

  @Test
  void patchChangesPropertiesClearsEmptyOnesAndMovesLastModified() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com", "firstname", "Ada"));
    clock.advance(Duration.ofMinutes(5));

    HubSpotHttp.Answer patched =
        http.patch(CONTACTS + "/" + id, properties("lastname", "Lovelace", "firstname", ""));

    assertThat(patched.status()).isEqualTo(200);
    JsonNode body = patched.json();
    assertThat(body.get("properties").get("lastname").asText()).isEqualTo("Lovelace");
    assertThat(body.get("properties").has("firstname")).isFalse();
    assertThat(body.get("updatedAt").asText()).isEqualTo("2026-03-01T10:05:00.000Z");
    assertThat(body.get("properties").get("lastmodifieddate").asText())
        .isEqualTo("2026-03-01T10:05:00.000Z");
    assertThat(body.get("createdAt").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
    assertThat(emulator.counters().requests(HubSpotCounters.UPDATE)).isEqualTo(1);
  }

  @Test
  void patchOfAnUnknownIdAnswers404() {
    assertThat(http.patch(CONTACTS + "/42", properties("firstname", "X")).status()).isEqualTo(404);
  }

  @Test
  void createWithAnEmailThatExistsInAnyCaseAnswers409NamingTheExistingId() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer clash = http.post(CONTACTS, properties("email", "ADA@EXAMPLE.COM"));

    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.json().get("status").asText()).isEqualTo("error");
    assertThat(clash.json().get("category").asText()).isEqualTo("CONFLICT");
    assertThat(clash.json().get("message").asText()).isEqualTo("CrmObject already exists. Existing ID: " + id);
    assertThat(http.get(CONTACTS).json().get("results")).hasSize(1);
  }

  @Test
  void patchToAnotherContactsEmailAnswers409AndChangesNothing() {
    String ada = emulator.seedContact(Map.of("email", "ada@example.com"));
    String bob = emulator.seedContact(Map.of("email", "bob@example.com"));

    HubSpotHttp.Answer clash = http.patch(CONTACTS + "/" + bob, properties("email", "ada@example.com"));

    assertThat(clash.status()).isEqualTo(409);
    assertThat(clash.json().get("message").asText()).isEqualTo("CrmObject already exists. Existing ID: " + ada);
    assertThat(http.get(CONTACTS + "/" + bob).json().get("properties").get("email").asText())
        .isEqualTo("bob@example.com");
  }

  @Test
  void createWithAnInvalidEmailAnswers400NamingTheValue() {
    HubSpotHttp.Answer invalid = http.post(CONTACTS, properties("email", "not-an-email"));

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(invalid.json().get("message").asText()).contains("not-an-email").contains("INVALID_EMAIL");
  }

  @Test
  void createWithoutABodyOrWithBrokenJsonAnswers400() {
    assertThat(http.post(CONTACTS, "").status()).isEqualTo(400);
    HubSpotHttp.Answer broken = http.post(CONTACTS, "{\"properties\": ");
    assertThat(broken.status()).isEqualTo(400);
    assertThat(broken.json().get("message").asText()).startsWith("Invalid input JSON");
  }

  @Test
  void createWithANonStringPropertyValueAnswers400NamingTheProperty() {
    HubSpotHttp.Answer invalid = http.post(CONTACTS, "{\"properties\":{\"tags\":[\"a\"]}}");

    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.json().get("message").asText()).contains("tags");
  }

  @Test
  void deleteArchivesSoTheContactLeavesReadsAndListsAndFreesItsEmail() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com"));
    clock.advance(Duration.ofSeconds(30));

    HubSpotHttp.Answer deleted = http.delete(CONTACTS + "/" + id);

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.text()).isEmpty();
    assertThat(http.get(CONTACTS + "/" + id).status()).isEqualTo(404);
    assertThat(http.get(CONTACTS).json().get("results")).isEmpty();
    JsonNode archived = http.get(CONTACTS + "/" + id + "?archived=true").json();
    assertThat(archived.get("archived").asBoolean()).isTrue();
    assertThat(archived.get("archivedAt").asText()).isEqualTo("2026-03-01T10:00:30.000Z");
    JsonNode archivedList = http.get(CONTACTS + "?archived=true").json().get("results");
    assertThat(archivedList).hasSize(1);
    assertThat(http.post(CONTACTS, properties("email", "ada@example.com")).status()).isEqualTo(201);
    assertThat(emulator.counters().requests(HubSpotCounters.ARCHIVE)).isEqualTo(1);
  }

  @Test
  void theArchivedListQuirkLeavesOutArchivedAndArchivedAtOnlyThere() {
    try (HubSpotEmulator quirky = HubSpotEmulator.builder().clock(clock).archivedListWithoutArchiveFields(true).build()) {
      HubSpotHttp q = new HubSpotHttp(quirky);
      String id = quirky.seedContact(Map.of("email", "ada@example.com"));
      q.delete(CONTACTS + "/" + id);

      JsonNode item = q.get(CONTACTS + "?archived=true").json().get("results").get(0);
      JsonNode single = q.get(CONTACTS + "/" + id + "?archived=true").json();

      assertThat(item.get("id").asText()).isEqualTo(id);
      assertThat(item.has("archivedAt")).isFalse();
      assertThat(item.has("archived")).isFalse();
      assertThat(item.get("updatedAt").asText()).isNotBlank();
      assertThat(single.get("archived").asBoolean()).isTrue();
      assertThat(single.has("archivedAt")).isTrue();
    }
  }

  @Test
  void listPagesByAfterCursorUntilNoNextPage() {
    for (int i = 0; i < 7; i++) {
      emulator.seedContact(Map.of("email", "p" + i + "@example.com"));
    }
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    do {
      JsonNode page =
          http.get(CONTACTS + "?limit=3&properties=email" + (after == null ? "" : "&after=" + after)).json();
      page.get("results").forEach(c -> seen.add(c.get("properties").get("email").asText()));
      after = page.path("paging").path("next").path("after").asText(null);
      pages++;
    } while (after != null);

    assertThat(pages).isEqualTo(3);
    assertThat(seen)
        .containsExactly(
            "p0@example.com", "p1@example.com", "p2@example.com", "p3@example.com",
            "p4@example.com", "p5@example.com", "p6@example.com");
    assertThat(emulator.counters().requests(HubSpotCounters.LIST)).isEqualTo(3);
  }

  @Test
  void listRejectsALimitAboveTheCapAndABadCursor() {
    HubSpotHttp.Answer tooMany = http.get(CONTACTS + "?limit=101");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("message").asText()).contains("limit").contains("101");

    HubSpotHttp.Answer badCursor = http.get(CONTACTS + "?after=abc");
    assertThat(badCursor.status()).isEqualTo(400);
    assertThat(badCursor.json().get("message").asText()).contains("after").contains("abc");
  }

  @Test
  void concurrentCreatesWithOneEmailStoreExactlyOneContact() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        statuses.add(pool.submit(() -> http.post(CONTACTS, properties("email", "race@example.com")).status()));
      }
      List<Integer> seen = new ArrayList<>();
      for (Future<Integer> status : statuses) {
        seen.add(status.get(30, TimeUnit.SECONDS));
      }

      assertThat(seen).containsOnly(201, 409);
      assertThat(seen).filteredOn(status -> status == 201).hasSize(1);
      assertThat(emulator.counters().requests(HubSpotCounters.CREATE)).isEqualTo(16);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anUnknownPathAnswers404AndCountsAsOther() {
    assertThat(http.get("/crm/v3/objects/widgets").status()).isEqualTo(404);
    assertThat(emulator.counters().requests(HubSpotCounters.UNKNOWN)).isEqualTo(1);
  }

  @Test
  void seedingAClashingEmailThrowsValidationExceptionNamingEmail() {
    emulator.seedContact(Map.of("email", "ada@example.com"));

    assertThatThrownBy(
            () -> emulator.seedContact(Map.of("email", "ADA@example.com")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("email");
  }
}
