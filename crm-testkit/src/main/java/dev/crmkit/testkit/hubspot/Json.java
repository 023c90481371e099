package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import okio.ByteString;

/** Request parsing and response shapes shared by the emulator's APIs. Stateless. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** @throws ApiError 400 when the body is missing or not a JSON object */
  static JsonNode body(ByteString raw) {
    JsonNode node = parse(raw);
    if (!node.isObject()) {
      throw ApiError.validation("Invalid input JSON: the body must be a JSON object");
    }
    return node;
  }

  /** @throws ApiError 400 when the body is missing or not JSON */
  static JsonNode parse(ByteString raw) {
    if (raw == null || raw.size() == 0) {
      throw ApiError.validation("Invalid input JSON: the request has no body");
    }
    try {
      JsonNode node = MAPPER.readTree(raw.toByteArray());
      if (node == null) {
        throw ApiError.validation("Invalid input JSON: the request has no body");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiError.validation("Invalid input JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.validation("Invalid input JSON: " + e.getMessage());
    }
  }

  /** @return the "properties" object of a create or update input; values null or "" clear */
  static Map<String, String> properties(JsonNode input) {
    JsonNode node = input.path("properties");
    if (!node.isObject()) {
      throw ApiError.validation("properties must be a JSON object of strings, was " + node);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw ApiError.validation(
            "Property values must be strings; property " + field.getKey() + " was " + value);
      }
      properties.put(field.getKey(), value.isNull() ? null : value.asText());
    }
    return properties;
  }

  static boolean isId(String id) {
    return id != null && id.matches("\\d{1,18}");
  }

  /**
   * @param requested property names to show, each shown even when unset; null shows all set
   */
  static ObjectNode render(ObjectType type, CrmObject object, List<String> requested) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", Long.toString(object.id()));
    ObjectNode properties = node.putObject("properties");
    if (requested == null) {
      object.properties().forEach(properties::put);
    } else {
      Set<String> names = new TreeSet<>(requested);
      names.addAll(type.alwaysReturned());
      names.forEach(name -> properties.put(name, object.property(name)));
    }
    node.put("createdAt", timestamp(object.createdAt()));
    node.put("updatedAt", timestamp(object.updatedAt()));
    node.put("archived", object.archived());
    if (object.archived()) {
      node.put("archivedAt", timestamp(object.archivedAt()));
    }
    return node;
  }

  static String timestamp(Instant instant) {
    return ObjectStore.TIMESTAMP.format(instant);
  }

  static void nextPage(ObjectNode body, String after) {
    ObjectNode next = body.putObject("paging").putObject("next");
    next.put("after", after);
    next.put("link", "?after=" + after);
  }

  /** HubSpot's error body {@code {status:"error", message, correlationId, category, context}}. */
  static Reply error(ApiError error, String correlationId) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", "error");
    body.put("message", error.getMessage());
    body.put("correlationId", correlationId);
    body.put("category", error.category);
    if (!error.context.isEmpty()) {
      ObjectNode context = body.putObject("context");
      error.context.forEach((key, values) -> values.forEach(context.withArray(key)::add));
    }
    return new Reply(error.status, body);
  }
}
