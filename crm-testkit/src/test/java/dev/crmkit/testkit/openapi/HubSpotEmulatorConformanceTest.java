package dev.crmkit.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the HubSpot emulator with raw HTTP over every contacts operation it serves and checks
 * that the requests sent and the emulator's answers conform to HubSpot's contacts spec. When the
 * emulator learns an operation (merge, gdpr-delete, notes, the OAuth token endpoint), add its
 * rows to {@link #calls}.
 */
class HubSpotEmulatorConformanceTest {
  private static final OpenApiSpec SPEC =
      HubSpotOpenApi.builder()
          .rejectUndeclaredRequestProperties(true)
          .rejectUndeclaredResponseProperties(true)
          .build();
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String CONTACTS = "/crm/v3/objects/contacts";

  private final RecordingInterceptor recorder = new RecordingInterceptor();
  private final OkHttpClient client = new OkHttpClient.Builder().addInterceptor(recorder).build();
  private HubSpotEmulator emulator;

  /** One request of the table; {@code {ada}} and {@code {grace}} stand for seeded contact ids. */
  private record Call(String method, String path, String body, int status) {}

  @BeforeEach
  void start() {
    emulator = HubSpotEmulator.builder().rateLimits(false).build();
  }

  @AfterEach
  void stop() {
    emulator.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  private static List<Call> calls() {
    return List.of(
        new Call("POST", CONTACTS,
            "{\"properties\":{\"email\":\"new@example.com\",\"firstname\":\"New\"},\"associations\":[]}", 201),
        new Call("POST", CONTACTS,
            "{\"properties\":{\"email\":\"ada@example.com\"},\"associations\":[]}", 409),
        new Call("GET", CONTACTS + "/{ada}", null, 200),
        new Call("GET", CONTACTS + "/{ada}?properties=email&properties=lastname&archived=false", null, 200),
        new Call("GET", CONTACTS + "/ada%40example.com?idProperty=email", null, 200),
        new Call("GET", CONTACTS + "/999999", null, 404),
        new Call("PATCH", CONTACTS + "/{ada}", "{\"properties\":{\"lastname\":\"Lovelace\"}}", 200),
        new Call("GET", CONTACTS + "?limit=1", null, 200),
        new Call("GET", CONTACTS + "?limit=2&properties=email", null, 200),
        new Call("POST", CONTACTS + "/search",
            "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"email\",\"operator\":\"EQ\","
                + "\"value\":\"ada@example.com\"}]}],\"sorts\":[\"createdate\"],"
                + "\"properties\":[\"email\",\"lastname\"],\"limit\":10,\"after\":\"0\"}", 200),
        new Call("POST", CONTACTS + "/batch/read",
            "{\"inputs\":[{\"id\":\"{ada}\"},{\"id\":\"{grace}\"}],\"properties\":[\"email\"],"
                + "\"propertiesWithHistory\":[]}", 200),
        new Call("POST", CONTACTS + "/batch/read?archived=false",
            "{\"inputs\":[{\"id\":\"{ada}\"},{\"id\":\"888888\"}],\"properties\":[\"email\"],"
                + "\"propertiesWithHistory\":[]}", 207),
        new Call("POST", CONTACTS + "/batch/read",
            "{\"inputs\":[{\"id\":\"grace@example.com\"}],\"idProperty\":\"email\",\"properties\":[],"
                + "\"propertiesWithHistory\":[]}", 200),
        new Call("POST", CONTACTS + "/batch/create",
            "{\"inputs\":[{\"properties\":{\"email\":\"b1@example.com\"},\"associations\":[]}]}", 201),
        new Call("POST", CONTACTS + "/batch/create",
            "{\"inputs\":[{\"properties\":{\"email\":\"b2@example.com\"},\"associations\":[]},"
                + "{\"properties\":{\"email\":\"ada@example.com\"},\"associations\":[]}]}", 207),
        new Call("POST", CONTACTS + "/batch/update",
            "{\"inputs\":[{\"id\":\"{grace}\",\"properties\":{\"firstname\":\"Grace\"}}]}", 200),
        new Call("POST", CONTACTS + "/batch/update",
            "{\"inputs\":[{\"id\":\"{grace}\",\"properties\":{\"firstname\":\"G\"}},"
                + "{\"id\":\"777777\",\"properties\":{\"firstname\":\"X\"}}]}", 207),
        new Call("POST", CONTACTS + "/batch/upsert",
            "{\"inputs\":[{\"id\":\"grace@example.com\",\"idProperty\":\"email\","
                + "\"properties\":{\"lastname\":\"Hopper\"}},"
                + "{\"id\":\"up@example.com\",\"idProperty\":\"email\",\"properties\":{\"firstname\":\"Up\"}}]}",
            200),
        new Call("POST", CONTACTS + "/batch/archive", "{\"inputs\":[{\"id\":\"{grace}\"}]}", 204),
        new Call("DELETE", CONTACTS + "/{ada}", null, 204),
        new Call("GET", CONTACTS + "/{ada}?archived=true", null, 200));
  }

  @Test
  void everyContactsRequestAndAnswerConformsToTheContactsSpec() throws IOException {
    Map<String, String> ids = Map.of(
        "{ada}", emulator.seedContact(Map.of("email", "ada@example.com", "firstname", "Ada")),
        "{grace}", emulator.seedContact(Map.of("email", "grace@example.com")));
    List<String> statuses = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    for (Call call : calls()) {
      String path = call.path();
      String body = call.body();
      for (Map.Entry<String, String> id : ids.entrySet()) {
        path = path.replace(id.getKey(), id.getValue());
        body = body == null ? null : body.replace(id.getKey(), id.getValue());
      }
      expected.add(call.method() + " " + call.path() + " -> " + call.status());
      statuses.add(call.method() + " " + call.path() + " -> " + send(call.method(), path, body));
    }

    assertThat(statuses).containsExactlyElementsOf(expected);
    ConformanceReport report = SPEC.report(recorder.exchanges());
    assertThat(report.violations())
        .as(report.toString())
        .filteredOn(v -> !HubSpotOpenApi.isKnownDeparture(v))
        .isEmpty();
    assertThat(report.uncoveredRequests()).isEmpty();
    assertThat(report.exercisedOperations()).containsExactly(
        "DELETE /crm/v3/objects/contacts/{contactId}",
        "GET /crm/v3/objects/contacts",
        "GET /crm/v3/objects/contacts/{contactId}",
        "PATCH /crm/v3/objects/contacts/{contactId}",
        "POST /crm/v3/objects/contacts",
        "POST /crm/v3/objects/contacts/batch/archive",
        "POST /crm/v3/objects/contacts/batch/create",
        "POST /crm/v3/objects/contacts/batch/read",
        "POST /crm/v3/objects/contacts/batch/update",
        "POST /crm/v3/objects/contacts/batch/upsert",
        "POST /crm/v3/objects/contacts/search");
  }

  private int send(String method, String path, String body) throws IOException {
    Request request = new Request.Builder()
        .url(emulator.baseUrl() + path)
        .header("Authorization", "Bearer " + emulator.accessToken())
        .method(method, body == null ? null : RequestBody.create(body, JSON))
        .build();
    try (Response response = client.newCall(request).execute()) {
      return response.code();
    }
  }
}
