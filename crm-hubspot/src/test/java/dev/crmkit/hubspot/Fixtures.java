package dev.crmkit.hubspot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the HubSpot fixtures under src/test/resources/hubspot. */
final class Fixtures {
  private Fixtures() {}

  /** One published signature example of webhook_signature_examples.json. */
  record Example(String name, String source, String version, String clientSecret, String method, String uri,
      byte[] body, long timestamp, String signature) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** A contact shaped as HubSpot's SimplePublicObject. */
  record Contact(String id, Map<String, String> properties, String createdAt, String updatedAt, boolean archived,
      String archivedAt) {}

  static Contact contact(String scenario) {
    try {
      JsonNode root = JsonMapper.builder().build().readTree(bytes("contact_" + scenario + ".json"));
      Map<String, String> properties = new LinkedHashMap<>();
      root.get("properties").fields().forEachRemaining(
          e -> properties.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText()));
      return new Contact(root.get("id").asText(), properties, text(root, "createdAt"), text(root, "updatedAt"),
          root.get("archived").asBoolean(), text(root, "archivedAt"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static byte[] bytes(String file) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/hubspot/" + file)) {
      if (in == null) {
        throw new IllegalStateException("missing fixture hubspot/" + file);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Example> publishedExamples() {
    try {
      JsonNode root = JsonMapper.builder().build().readTree(bytes("webhook_signature_examples.json"));
      List<Example> out = new ArrayList<>();
      for (JsonNode e : root.get("examples")) {
        out.add(new Example(e.get("name").asText(), e.get("source").asText(), e.get("version").asText(),
            e.get("clientSecret").asText(), e.get("method").asText(), e.get("uri").asText(),
            e.get("body").asText().getBytes(StandardCharsets.UTF_8),
            e.path("timestamp").asLong(0), e.get("signature").asText()));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
