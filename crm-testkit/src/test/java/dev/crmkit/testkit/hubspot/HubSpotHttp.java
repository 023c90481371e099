package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A plain {@link HttpClient} pointed at an emulator, as a HubSpot client would use it. */
final class HubSpotHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HubSpotEmulator emulator;

  HubSpotHttp(HubSpotEmulator emulator) {
    this.emulator = emulator;
  }

  /** One answer: status, headers and the raw and parsed body (missing when empty or not JSON). */
  record Answer(int status, HttpHeaders headers, String text) {
    JsonNode json() {
      if (text.isEmpty()) {
        return MissingNode.getInstance();
      }
      try {
        return JSON.readTree(text);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Answer get(String path) {
    return send("GET", path, null, emulator.accessToken());
  }

  Answer post(String path, String json) {
    return send("POST", path, json, emulator.accessToken());
  }

  Answer patch(String path, String json) {
    return send("PATCH", path, json, emulator.accessToken());
  }

  Answer delete(String path) {
    return send("DELETE", path, null, emulator.accessToken());
  }

  /** @param token null sends no Authorization header */
  Answer send(String method, String path, String json, String token) {
    try {
      return sendOrFail(method, path, json, token);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Answer sendOrFail(String method, String path, String json, String token) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /** @return a create body {@code {"properties": {...}}} from name/value pairs */
  static String properties(String... namesAndValues) {
    var properties = JSON.createObjectNode();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      properties.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    var body = JSON.createObjectNode();
    body.set("properties", properties);
    return body.toString();
  }
}
