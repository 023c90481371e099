package dev.crmkit.testkit.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HubSpotEmulatorBatchTest {
  private static final String BATCH = "/crm/v3/objects/contacts/batch/";

  private final HubSpotEmulator emulator = HubSpotEmulator.builder().rateLimits(false).build();
  private final HubSpotHttp http = new HubSpotHttp(emulator);

  @AfterEach
  void stop() {
    emulator.close();
  }

  private static String createInputs(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "{\"properties\":{\"email\":\"c" + i + "@example.com\"}}")
        .collect(Collectors.joining(",", "{\"inputs\":[", "]}"));
  }

  @Test
  void batchCreateOfOneHundredAnswers201WithEveryResult() {
    HubSpotHttp.Answer answer = http.post(BATCH + "create", createInputs(100));

    assertThat(answer.status()).isEqualTo(201);
    JsonNode body = answer.json();
    assertThat(body.get("status").asText()).isEqualTo("COMPLETE");
    assertThat(body.get("results")).hasSize(100);
    assertThat(body.has("startedAt")).isTrue();
    assertThat(body.has("completedAt")).isTrue();
    assertThat(body.has("errors")).isFalse();
    assertThat(emulator.counters().requests(HubSpotCounters.BATCH_CREATE)).isEqualTo(1);
  }

  @Test
  void everyBatchEndpointRejectsMoreThanOneHundredInputsAndStoresNothing() {
    for (String operation : new String[] {"create", "read", "update", "upsert", "archive"}) {
      HubSpotHttp.Answer answer = http.post(BATCH + operation, createInputs(101));

      assertThat(answer.status()).as(operation).isEqualTo(400);
      assertThat(answer.json().get("category").asText()).isEqualTo("VALIDATION_ERROR");
      assertThat(answer.json().get("message").asText()).contains("100").contains("101");
    }
    assertThat(http.get("/crm/v3/objects/contacts").json().get("results")).isEmpty();
  }

  @Test
  void batchCreateWithOneClashingEmailAnswers207WithAnErrorForThatInputOnly() {
    String existing = emulator.seedContact(Map.of("email", "taken@example.com"));

    HubSpotHttp.Answer answer =
        http.post(
            BATCH + "create",
            "{\"inputs\":[{\"properties\":{\"email\":\"new@example.com\"}},"
                + "{\"properties\":{\"email\":\"TAKEN@example.com\"},\"objectWriteTraceId\":\"t2\"}]}");

    assertThat(answer.status()).isEqualTo(207);
    JsonNode body = answer.json();
    assertThat(body.get("results")).hasSize(1);
    assertThat(body.get("numErrors").asInt()).isEqualTo(1);
    JsonNode error = body.get("errors").get(0);
    assertThat(error.get("status").asText()).isEqualTo("error");
    assertThat(error.get("category").asText()).isEqualTo("CONFLICT");
    assertThat(error.get("message").asText()).isEqualTo("CrmObject already exists. Existing ID: " + existing);
    assertThat(error.get("context").get("objectWriteTraceId").get(0).asText()).isEqualTo("t2");
  }

  @Test
  void batchReadAnswers207NamingTheMissingIds() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer answer =
        http.post(BATCH + "read", "{\"inputs\":[{\"id\":\"" + id + "\"},{\"id\":\"777\"}],\"properties\":[\"email\"]}");

    assertThat(answer.status()).isEqualTo(207);
    assertThat(answer.json().get("results")).hasSize(1);
    JsonNode error = answer.json().get("errors").get(0);
    assertThat(error.get("category").asText()).isEqualTo("OBJECT_NOT_FOUND");
    assertThat(error.get("context").get("ids").get(0).asText()).isEqualTo("777");
  }

  @Test
  void batchReadByEmailAnswers200WhenAllAreFound() {
    emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer answer =
        http.post(BATCH + "read", "{\"idProperty\":\"email\",\"inputs\":[{\"id\":\"Ada@example.com\"}],\"properties\":[]}");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.json().get("results").get(0).get("properties").get("email").asText())
        .isEqualTo("ada@example.com");
  }

  @Test
  void batchUpdateAppliesFoundInputsAndReports207ForMissingOnes() {
    String id = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer answer =
        http.post(
            BATCH + "update",
            "{\"inputs\":[{\"id\":\"" + id + "\",\"properties\":{\"firstname\":\"Ada\"}},"
                + "{\"id\":\"555\",\"properties\":{\"firstname\":\"X\"}}]}");

    assertThat(answer.status()).isEqualTo(207);
    assertThat(answer.json().get("results").get(0).get("properties").get("firstname").asText()).isEqualTo("Ada");
    assertThat(answer.json().get("errors").get(0).get("context").get("ids").get(0).asText()).isEqualTo("555");
    assertThat(http.get("/crm/v3/objects/contacts/" + id).json().get("properties").get("firstname").asText())
        .isEqualTo("Ada");
  }

  @Test
  void batchUpdateWithADuplicateIdAnswers400() {
    HubSpotHttp.Answer answer =
        http.post(
            BATCH + "update",
            "{\"inputs\":[{\"id\":\"1\",\"properties\":{}},{\"id\":\"1\",\"properties\":{}}]}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asText()).contains("Duplicate IDs");
  }

  @Test
  void batchUpsertByEmailCreatesNewContactsAndUpdatesExistingOnes() {
    String existing = emulator.seedContact(Map.of("email", "ada@example.com"));

    HubSpotHttp.Answer answer =
        http.post(
            BATCH + "upsert",
            "{\"inputs\":[{\"id\":\"ADA@example.com\",\"idProperty\":\"email\",\"properties\":{\"firstname\":\"Ada\"}},"
                + "{\"id\":\"bob@example.com\",\"idProperty\":\"email\",\"properties\":{\"firstname\":\"Bob\"}}]}");

    assertThat(answer.status()).isEqualTo(200);
    JsonNode results = answer.json().get("results");
    assertThat(results.get(0).get("id").asText()).isEqualTo(existing);
    assertThat(results.get(0).get("new").asBoolean()).isFalse();
    assertThat(results.get(1).get("new").asBoolean()).isTrue();
    assertThat(results.get(1).get("properties").get("email").asText()).isEqualTo("bob@example.com");
    assertThat(emulator.counters().requests(HubSpotCounters.BATCH_UPSERT)).isEqualTo(1);
  }

  @Test
  void batchUpsertWithoutTheEmailIdPropertyAnswers400() {
    HubSpotHttp.Answer answer =
        http.post(BATCH + "upsert", "{\"inputs\":[{\"id\":\"1\",\"properties\":{\"firstname\":\"A\"}}]}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asText()).contains("idProperty");
  }

  @Test
  void batchArchiveAnswers204AndArchivesEveryKnownId() {
    String a = emulator.seedContact(Map.of("email", "a@example.com"));
    String b = emulator.seedContact(Map.of("email", "b@example.com"));

    HubSpotHttp.Answer answer =
        http.post(BATCH + "archive", "{\"inputs\":[{\"id\":\"" + a + "\"},{\"id\":\"" + b + "\"},{\"id\":\"999\"}]}");

    assertThat(answer.status()).isEqualTo(204);
    assertThat(http.get("/crm/v3/objects/contacts").json().get("results")).isEmpty();
    assertThat(http.get("/crm/v3/objects/contacts?archived=true").json().get("results")).hasSize(2);
  }

  @Test
  void batchWithoutAnInputsArrayAnswers400() {
    HubSpotHttp.Answer answer = http.post(BATCH + "create", "{\"inputs\":{}}");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.json().get("message").asText()).contains("inputs");
  }
}
