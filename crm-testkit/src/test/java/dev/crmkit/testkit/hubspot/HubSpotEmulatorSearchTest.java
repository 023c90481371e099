package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorSearchTest {
  private static final String SEARCH = "/crm/v3/objects/contacts/search";

  private final HubSpotEmulator emulator = HubSpotEmulator.builder().rateLimits(false).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @BeforeEach
  void seed() {
    emulator.seedContact(Map.of("email", "ada@example.com", "firstname", "Ada", "age", "36"));
    emulator.seedContact(Map.of("email", "bob@shop.example.org", "firstname", "Bob", "age", "9"));
    emulator.seedContact(Map.of("email", "cy@example.com", "firstname", "Cy", "age", "100"));
    emulator.seedContact(Map.of("firstname", "Dee"));
  }

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String filter(String property, String operator, String value) {
    return "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\""
        + property
        + "\",\"operator\":\""
        + operator
        + "\""
        + (value == null ? "" : ",\"value\":\"" + value + "\"")
        + "}]}],\"properties\":[\"firstname\"]}";
  }

  private List<String> firstnames(String request) {
    HubSpotHttp.Answer answer = http.post(SEARCH, request);
    assertThat(answer.status()).as(answer.text()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    answer.json().get("results").forEach(r -> names.add(r.get("properties").get("firstname").asText()));
    return names;
  }

  @Test
  void eqOnEmailIgnoresCaseAndAnswersTotalAndResults() {
    HubSpotHttp.Answer answer = http.post(SEARCH, filter("email", "EQ", "ADA@example.com"));

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("total").asInt()).isEqualTo(1);
    assertThat(answer.json().get("results").get(0).get("properties").get("firstname").asText())
        .isEqualTo("Ada");
    assertThat(answer.json().has("paging")).isFalse();
    assertThat(emulator.counters().requests(HubSpotCounters.SEARCH)).isEqualTo(1);
  }

  @Test
  void neqMatchesEveryContactWithoutThatValueIncludingOnesWithoutTheProperty() {
    assertThat(firstnames(filter("firstname", "NEQ", "bob"))).containsExactly("Ada", "Cy", "Dee");
  }

  @Test
  void rangeOperatorsCompareNumbersAsNumbers() {
    assertThat(firstnames(filter("age", "GT", "36"))).containsExactly("Cy");
    assertThat(firstnames(filter("age", "GTE", "36"))).containsExactly("Ada", "Cy");
    assertThat(firstnames(filter("age", "LT", "36"))).containsExactly("Bob");
    assertThat(firstnames(filter("age", "LTE", "36"))).containsExactly("Ada", "Bob");
  }

  @Test
  void hasPropertyAndNotHasPropertySplitTheContacts() {
    assertThat(firstnames(filter("email", "HAS_PROPERTY", null))).containsExactly("Ada", "Bob", "Cy");
    assertThat(firstnames(filter("email", "NOT_HAS_PROPERTY", null))).containsExactly("Dee");
  }

  @Test
  void containsTokenMatchesWholeTokensAndWildcards() {
    assertThat(firstnames(filter("email", "CONTAINS_TOKEN", "*@example.com"))).containsExactly("Ada", "Cy");
    assertThat(firstnames(filter("firstname", "CONTAINS_TOKEN", "bo*"))).containsExactly("Bob");
    assertThat(firstnames(filter("firstname", "CONTAINS_TOKEN", "bo"))).isEmpty();
  }

  @Test
  void filterGroupsAreOredAndFiltersInAGroupAreAnded() {
    String request =
        "{\"filterGroups\":["
            + "{\"filters\":[{\"propertyName\":\"age\",\"operator\":\"GT\",\"value\":\"10\"},"
            + "{\"propertyName\":\"age\",\"operator\":\"LT\",\"value\":\"50\"}]},"
            + "{\"filters\":[{\"propertyName\":\"firstname\",\"operator\":\"EQ\",\"value\":\"Dee\"}]}],"
            + "\"properties\":[\"firstname\"]}";

    assertThat(firstnames(request)).containsExactly("Ada", "Dee");
  }

  @Test
  void sortsByAPropertyDescendingWithUnsetValuesLast() {
    String request =
        "{\"sorts\":[{\"propertyName\":\"age\",\"direction\":\"DESCENDING\"}],\"properties\":[\"firstname\"]}";

    assertThat(firstnames(request)).containsExactly("Cy", "Ada", "Bob", "Dee");
  }

  @Test
  void pagesWithAfterAndKeepsTheTotal() {
    JsonNode first = http.post(SEARCH, "{\"limit\":3,\"properties\":[\"firstname\"]}").json();
    String after = first.get("paging").get("next").get("after").asText();
    JsonNode second =
        http.post(SEARCH, "{\"limit\":3,\"after\":\"" + after + "\",\"properties\":[\"firstname\"]}").json();

    assertThat(first.get("total").asInt()).isEqualTo(4);
    assertThat(first.get("results")).hasSize(3);
    assertThat(second.get("total").asInt()).isEqualTo(4);
    assertThat(second.get("results")).hasSize(1);
    assertThat(second.get("results").get(0).get("properties").get("firstname").asText()).isEqualTo("Dee");
    assertThat(second.has("paging")).isFalse();
  }

  @Test
  void rejectsALimitAboveTwoHundredAnUnknownOperatorAndTwoSorts() {
    HubSpotHttp.Answer tooMany = http.post(SEARCH, "{\"limit\":201}");
    assertThat(tooMany.status()).isEqualTo(400);
    assertThat(tooMany.json().get("message").asText()).contains("201");

    HubSpotHttp.Answer operator = http.post(SEARCH, filter("age", "ROUGHLY", "3"));
    assertThat(operator.status()).isEqualTo(400);
    assertThat(operator.json().get("message").asText()).contains("ROUGHLY");

    HubSpotHttp.Answer sorts = http.post(SEARCH, "{\"sorts\":[\"age\",\"email\"]}");
    assertThat(sorts.status()).isEqualTo(400);
    assertThat(sorts.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
  }

  @Test
  void aRangeFilterWithoutAValueAnswers400NamingTheProperty() {
    HubSpotHttp.Answer answer = http.post(SEARCH, filter("age", "GT", null));

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asText()).contains("age").contains("GT");
  }

  @Test
  void archivedContactsAreNotFound() {
    String id = emulator.seedContact(Map.of("email", "gone@example.com", "firstname", "Gone"));
    http.delete("/crm/v3/objects/contacts/" + id);

    assertThat(firstnames(filter("firstname", "EQ", "Gone"))).isEmpty();
  }

  @Test
  void pagingBeyondTenThousandResultsAnswers400LikeHubSpot() {
    for (int i = 0; i < 10_001; i++) {
      emulator.seedContact(Map.of("firstname", "n" + i));
    }

    JsonNode lastAllowed = http.post(SEARCH, "{\"limit\":200,\"after\":\"9900\"}").json();
    assertThat(lastAllowed.get("total").asInt()).isEqualTo(10_005);
    assertThat(lastAllowed.get("results")).hasSize(100);
    assertThat(lastAllowed.get("paging").get("next").get("after").asText()).isEqualTo("10000");

    HubSpotHttp.Answer beyond = http.post(SEARCH, "{\"limit\":100,\"after\":\"10000\"}");
    assertThat(beyond.status()).isEqualTo(400);
    assertThat(beyond.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
    assertThat(beyond.json().get("message").asText()).contains("10000");
  }
}
