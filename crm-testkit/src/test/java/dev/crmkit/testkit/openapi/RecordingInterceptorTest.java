package dev.crmkit.testkit.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RecordingInterceptorTest {
  private final MockWebServer server = new MockWebServer();
  private final RecordingInterceptor recorder = new RecordingInterceptor();
  private final OkHttpClient client = new OkHttpClient.Builder().addInterceptor(recorder).build();

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() {
    server.close();
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  @Test
  void recordsMethodUrlBodiesAndStatusAndLeavesTheResponseReadable() throws Exception {
    server.enqueue(new MockResponse.Builder().code(201)
        .addHeader("Content-Type", "application/json").body("{\"id\":\"7\"}").build());
    Request request = new Request.Builder()
        .url(server.url("/crm/v3/objects/contacts?limit=5"))
        .post(RequestBody.create("{\"properties\":{}}", MediaType.get("application/json")))
        .build();

    try (Response response = client.newCall(request).execute()) {
      assertThat(response.body().string()).isEqualTo("{\"id\":\"7\"}");
    }

    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getBody().utf8()).isEqualTo("{\"properties\":{}}");
    assertThat(recorder.exchanges()).containsExactly(new HttpExchange(
        "POST", server.url("/crm/v3/objects/contacts?limit=5").toString(),
        "application/json; charset=utf-8", "{\"properties\":{}}",
        201, "application/json", "{\"id\":\"7\"}"));
  }

  @Test
  void recordsBodilessExchangesAndForgetsThemOnClear() throws Exception {
    server.enqueue(new MockResponse.Builder().code(204).build());
    try (Response response = client.newCall(new Request.Builder()
        .url(server.url("/crm/v3/objects/contacts/7")).delete().build()).execute()) {
      assertThat(response.code()).isEqualTo(204);
    }

    assertThat(server.takeRequest().getMethod()).isEqualTo("DELETE");
    assertThat(recorder.exchanges()).singleElement().satisfies(exchange -> {
      assertThat(exchange.method()).isEqualTo("DELETE");
      assertThat(exchange.requestBody()).isEmpty();
      assertThat(exchange.responseBody()).isEmpty();
      assertThat(HubSpotOpenApi.spec().check(exchange)).isEmpty();
    });
    recorder.clear();
    assertThat(recorder.exchanges()).isEmpty();
  }
}
