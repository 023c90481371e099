package dev.crmkit.testkit.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SalesforceEmulatorQueryTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(clock).pageSize(3).build();
  private final SalesforceHttp http = new SalesforceHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private String contact(String first, String last, String email) {
    Map<String, Object> fields = new java.util.LinkedHashMap<>();
    fields.put("FirstName", first);
    fields.put("LastName", last);
    fields.put("Email", email);
    return emulator.insert("Contact", fields);
  }

  private List<String> lastNames(String soql) {
    SalesforceHttp.Answer answer = http.query(soql);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    answer.json().get("records").forEach(r -> names.add(r.get("LastName").asText()));
    return names;
  }

  @Test
  void recordsCarryAttributesAndTheSelectedFieldsInOrder() {
    String id = contact("Ada", "Lovelace", "ada@example.com");

    JsonNode body = http.query("select email, Id from contact").json();

    assertThat(body.get("totalSize").asInt()).isEqualTo(1);
    assertThat(body.get("done").asBoolean()).isTrue();
    assertThat(body.has("nextRecordsUrl")).isFalse();
    JsonNode record = body.get("records").get(0);
    assertThat(record.get("attributes").get("url").asText()).isEqualTo("/services/data/v59.0/sobjects/Contact/" + id);
    assertThat(record.fieldNames()).toIterable().containsExactly("attributes", "Email", "Id");
  }

  @Test
  void comparisonsAndBooleanLogicFilter() {
    contact("Ada", "Lovelace", "ada@example.com");
    contact("Alan", "Turing", null);
    contact("Grace", "Hopper", "grace@example.com");

    assertThat(lastNames("SELECT LastName FROM Contact WHERE Email = 'ADA@example.com'")).containsExactly("Lovelace");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE Email = null")).containsExactly("Turing");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE Email != null ORDER BY LastName")).containsExactly("Hopper", "Lovelace");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE Email != 'ada@example.com' ORDER BY LastName"))
        .containsExactly("Hopper", "Turing");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName > 'Lovelace'")).containsExactly("Turing");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE (FirstName = 'Ada' OR FirstName = 'Alan') AND NOT Email = null"))
        .containsExactly("Lovelace");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName IN ('Turing', 'hopper') ORDER BY LastName DESC"))
        .containsExactly("Turing", "Hopper");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName NOT IN ('Turing')")).containsExactly("Lovelace", "Hopper");
  }

  @Test
  void likeMatchesWildcardsCaseInsensitivelyAndHonoursEscapes() {
    contact("A", "100% Pure", null);
    contact("B", "100 Pure", null);
    contact("C", "a_b", null);
    contact("D", "axb", null);

    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName LIKE '100%'")).containsExactly("100% Pure", "100 Pure");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName LIKE '100\\%%'")).containsExactly("100% Pure");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName LIKE 'A_B'")).containsExactly("a_b", "axb");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName LIKE 'a\\_b'")).containsExactly("a_b");
  }

  @Test
  void anEscapedQuoteIsDataNotSyntaxSoInjectionDoesNotMatch() {
    contact("Ada", "O'Brien", null);
    contact("Bob", "Smith", null);

    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName = 'O\\'Brien'")).containsExactly("O'Brien");
    // What a client sends when it escapes the input  x' OR LastName != '  correctly: one literal, no match.
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName = 'x\\' OR LastName != \\''")).isEmpty();
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName = 'back\\\\slash'")).isEmpty();
    // Unescaped, the same input breaks out of the literal: Salesforce parses it, and so do we.
    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName = 'x' OR LastName != ''")).hasSize(2);
  }

  @Test
  void stringEscapesDecodeToTheirCharacters() {
    emulator.insert("Contact", Map.of("LastName", "two\nlines \"quoted\" back\\slash"));

    assertThat(lastNames("SELECT LastName FROM Contact WHERE LastName = 'two\\nlines \\\"quoted\\\" back\\\\slash'"))
        .hasSize(1);
  }

  @Test
  void malformedQueriesAnswerMalformedQueryWithALocator() {
    assertError("SELECT FROM Contact", "MALFORMED_QUERY");
    assertError("SELECT Id FROM Contact WHERE", "MALFORMED_QUERY");
    assertError("SELECT Id FROM Contact WHERE LastName = 'unterminated", "MALFORMED_QUERY");
    assertError("SELECT Id FROM Contact WHERE LastName = 'bad \\q escape'", "MALFORMED_QUERY");
    assertError("SELECT Id FROM Contact WHERE LastName = 'a' AND FirstName = 'b' OR Email = null", "MALFORMED_QUERY");
    assertError("SELECT Id, Id FROM Contact", "MALFORMED_QUERY");
    assertError("SELECT Id FROM Contact LIMIT -1", "MALFORMED_QUERY");
    assertError("SELECT Id FROM Contact; DELETE", "MALFORMED_QUERY");
    assertError("", "MALFORMED_QUERY");
    SalesforceHttp.Answer answer = http.query("SELECT Id FROM Contact WHERE");
    assertThat(answer.json().get(0).get("message").asText()).contains("ERROR at Row:1:Column:29");
  }

  @Test
  void unknownNamesAndWrongLiteralTypesAreRejected() {
    assertError("SELECT Shoe_Size__c FROM Contact", "INVALID_FIELD");
    assertError("SELECT Id FROM Contact WHERE Nope = 'x'", "INVALID_FIELD");
    assertError("SELECT Account.Name FROM Contact", "INVALID_FIELD");
    assertError("SELECT Id FROM Widget__c", "INVALID_TYPE");
    assertError("SELECT Id FROM Contact WHERE CreatedDate > '2026-01-01T00:00:00Z'", "INVALID_QUERY_FILTER_OPERATOR");
    assertError("SELECT Id FROM Contact WHERE CreatedDate > 2026-01-01", "INVALID_QUERY_FILTER_OPERATOR");
    assertError("SELECT Id FROM Contact WHERE LastName = 5", "INVALID_QUERY_FILTER_OPERATOR");
    assertError("SELECT Id FROM Contact WHERE Total_Orders__c = '5'", "INVALID_QUERY_FILTER_OPERATOR");
    assertError("SELECT Id FROM Contact WHERE Id = 'not-an-id'", "INVALID_QUERY_FILTER_OPERATOR");
    assertError("SELECT Id FROM Contact WHERE Email > null", "INVALID_QUERY_FILTER_OPERATOR");
  }

  @Test
  void dateTimeDateAndRelativeLiteralsCompare() {
    String old = contact("A", "Old", null);
    clock.advance(Duration.ofDays(2));
    contact("B", "New", null);
    emulator.insert("Opportunity", Map.of("Name", "D", "StageName", "Prospecting", "CloseDate", "2026-04-01"));

    assertThat(lastNames("SELECT LastName FROM Contact WHERE CreatedDate > 2026-03-11T00:00:00Z")).containsExactly("New");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE CreatedDate <= 2026-03-10T12:00:00.000+0000")).containsExactly("Old");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE CreatedDate = TODAY")).containsExactly("New");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE CreatedDate = LAST_N_DAYS:1")).containsExactly("New");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE CreatedDate = LAST_N_DAYS:2")).containsExactly("Old", "New");
    assertThat(lastNames("SELECT LastName FROM Contact WHERE CreatedDate < TODAY")).containsExactly("Old");
    assertThat(http.query("SELECT Name FROM Opportunity WHERE CloseDate >= 2026-04-01").json().get("totalSize").asInt()).isOne();
    assertThat(lastNames("SELECT LastName FROM Contact WHERE Id = '" + old.substring(0, 15) + "'")).containsExactly("Old");
  }

  @Test
  void orderByHonoursDirectionAndNullsPlacementThenLimitAndOffset() {
    contact("A", "One", "b@example.com");
    contact("B", "Two", null);
    contact("C", "Three", "a@example.com");

    assertThat(lastNames("SELECT LastName FROM Contact ORDER BY Email")).containsExactly("Two", "Three", "One");
    assertThat(lastNames("SELECT LastName FROM Contact ORDER BY Email NULLS LAST")).containsExactly("Three", "One", "Two");
    assertThat(lastNames("SELECT LastName FROM Contact ORDER BY Email DESC")).containsExactly("One", "Three", "Two");
    assertThat(lastNames("SELECT LastName FROM Contact ORDER BY Email DESC NULLS FIRST")).containsExactly("Two", "One", "Three");
    assertThat(lastNames("SELECT LastName FROM Contact ORDER BY LastName LIMIT 2")).containsExactly("One", "Three");
    assertThat(lastNames("SELECT LastName FROM Contact ORDER BY LastName LIMIT 1 OFFSET 2")).containsExactly("Two");
  }

  @Test
  void countReturnsTheTotalWithNoRecords() {
    contact("A", "One", null);
    contact("B", "Two", null);

    JsonNode body = http.query("SELECT COUNT() FROM Contact WHERE FirstName = 'A'").json();

    assertThat(body.get("totalSize").asInt()).isOne();
    assertThat(body.get("records")).isEmpty();
  }

  @Test
  void largeResultsPageThroughNextRecordsUrlUntilDone() {
    for (int i = 0; i < 7; i++) {
      contact("F" + i, "L" + i, null);
    }

    JsonNode first = http.query("SELECT LastName FROM Contact ORDER BY LastName").json();
    String next = first.get("nextRecordsUrl").asText();
    JsonNode second = http.send("GET", next, null, null, emulator.accessToken()).json();
    JsonNode third = http.send("GET", second.get("nextRecordsUrl").asText(), null, null, emulator.accessToken()).json();

    assertThat(first.get("totalSize").asInt()).isEqualTo(7);
    assertThat(first.get("done").asBoolean()).isFalse();
    assertThat(next).matches("/services/data/v59\\.0/query/01g[A-Za-z0-9]{12}-3");
    assertThat(first.get("records")).hasSize(3);
    assertThat(second.get("records").get(0).get("LastName").asText()).isEqualTo("L3");
    assertThat(third.get("records")).hasSize(1);
    assertThat(third.get("done").asBoolean()).isTrue();
    assertThat(third.has("nextRecordsUrl")).isFalse();
    assertThat(emulator.counters().requests(SalesforceCounters.QUERY_MORE)).isEqualTo(2);
  }

  @Test
  void unknownOrIdleQueryLocatorsAreInvalid() {
    for (int i = 0; i < 4; i++) {
      contact("F" + i, "L" + i, null);
    }
    String next = http.query("SELECT LastName FROM Contact").json().get("nextRecordsUrl").asText();

    SalesforceHttp.Answer bogus = http.get("/query/01g000000000000-3");
    clock.advance(Duration.ofMinutes(16));
    SalesforceHttp.Answer idle = http.send("GET", next, null, null, emulator.accessToken());

    assertThat(bogus.status()).isEqualTo(400);
    assertThat(bogus.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
    assertThat(idle.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
  }

  @Test
  void theQueryOptionsHeaderSetsTheBatchSizeWithinSalesforcesBounds() {
    SalesforceEmulator big = SalesforceEmulator.builder().build();
    try {
      for (int i = 0; i < 250; i++) {
        big.insert("Contact", Map.of("LastName", "L" + i));
      }
      SalesforceHttp bigHttp = new SalesforceHttp(big);
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(
              big.baseUrl() + bigHttp.data("/query?q=SELECT+Id+FROM+Contact")))
          .header("Authorization", "Bearer " + big.accessToken())
          .header("Sforce-Query-Options", "batchSize=100")
          .build();
      JsonNode body = SalesforceHttp.JSON.readTree(client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body());

      assertThat(body.get("records")).hasSize(200);
      assertThat(body.get("nextRecordsUrl").asText()).endsWith("-200");
      assertThat(bigHttp.query("SELECT Id FROM Contact").json().get("records")).hasSize(250);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      big.close();
    }
  }

  @Test
  void queryAllAlsoReturnsDeletedAndMergedRecords() {
    String kept = contact("A", "Kept", null);
    String gone = contact("B", "Gone", null);
    String merged = contact("C", "Merged", null);
    emulator.delete(gone);
    emulator.merge(kept, merged);

    assertThat(lastNames("SELECT LastName FROM Contact")).containsExactly("Kept");
    JsonNode all = http.queryAll("SELECT LastName, IsDeleted, MasterRecordId FROM Contact WHERE IsDeleted = true "
        + "ORDER BY LastName").json();
    assertThat(all.get("totalSize").asInt()).isEqualTo(2);
    assertThat(all.get("records").get(0).get("LastName").asText()).isEqualTo("Gone");
    assertThat(all.get("records").get(0).get("MasterRecordId").isNull()).isTrue();
    assertThat(all.get("records").get(1).get("MasterRecordId").asText()).isEqualTo(kept);
    assertThat(emulator.counters().requests(SalesforceCounters.QUERY_ALL)).isOne();
  }

  private void assertError(String soql, String code) {
    SalesforceHttp.Answer answer = http.query(soql);
    assertThat(answer.status()).as(soql).isEqualTo(400);
    assertThat(answer.errorCode()).as(soql + " -> " + answer.text()).isEqualTo(code);
  }
}
