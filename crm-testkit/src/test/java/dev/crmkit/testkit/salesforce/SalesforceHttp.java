package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** A plain {@link HttpClient} pointed at an emulator, as a Salesforce client would use it. */
final class SalesforceHttp {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final SalesforceEmulator emulator;
  private String token;

  SalesforceHttp(SalesforceEmulator emulator) {
    this.emulator = emulator;
    this.token = emulator.accessToken();
  }

  /** One answer: status, headers and the raw and parsed body (missing when empty). */
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

    /** @return the first error's errorCode of a REST error body */
    String errorCode() {
      return json().get(0).get("errorCode").asText();
    }
  }

  void useToken(String token) {
    this.token = token;
  }

  /** @param path after {@code /services/data/vXX.X}, such as {@code /sobjects/Contact} */
  String data(String path) {
    return "/services/data/" + emulator.apiVersion() + path;
  }

  Answer get(String path) {
    return send("GET", data(path), null, "application/json", token);
  }

  Answer query(String soql) {
    return get("/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
  }

  Answer queryAll(String soql) {
    return get("/queryAll?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
  }

  Answer post(String path, String json) {
    return send("POST", data(path), json, "application/json", token);
  }

  Answer patch(String path, String json) {
    return send("PATCH", data(path), json, "application/json", token);
  }

  Answer delete(String path) {
    return send("DELETE", data(path), null, "application/json", token);
  }

  /** @return the id of a new record, failing the test when the create did not answer 201 */
  String create(String type, String json) {
    Answer answer = post("/sobjects/" + type, json);
    if (answer.status() != 201) {
      throw new AssertionError("create " + type + " answered " + answer.status() + ": " + answer.text());
    }
    return answer.json().get("id").asText();
  }

  /** @param path the full path; {@code token} null sends no Authorization header */
  Answer send(String method, String path, String body, String contentType, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
