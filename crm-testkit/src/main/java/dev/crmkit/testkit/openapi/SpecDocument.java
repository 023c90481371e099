package dev.crmkit.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** One parsed OpenAPI 3 document: its operations and the literal path prefix they share. */
final class SpecDocument {
  private static final Set<String> METHODS =
      Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
  private static final int MAX_REF_HOPS = 32;

  final String name;
  final String iri;
  final JsonNode root;
  final List<String> rootSegments;
  final List<Operation> operations;

  SpecDocument(String name, JsonNode root) {
    this.name = name;
    this.iri = "https://openapi.crmkit.dev/" + name.replaceAll("[^A-Za-z0-9._-]", "_");
    this.root = root;
    if (!root.path("openapi").asText("").startsWith("3.")) {
      throw new IllegalArgumentException(
          "document '" + name + "' is not an OpenAPI 3 document (its \"openapi\" field is not 3.x)");
    }
    JsonNode paths = root.path("paths");
    if (!paths.isObject() || paths.isEmpty()) {
      throw new IllegalArgumentException("document '" + name + "' declares no paths");
    }
    List<Operation> found = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> path = it.next();
      for (Iterator<String> methods = path.getValue().fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (METHODS.contains(method)) {
          found.add(new Operation(this, method.toUpperCase(Locale.ROOT), path.getKey()));
        }
      }
    }
    this.operations = List.copyOf(found);
    this.rootSegments = commonLiteralPrefix(found);
  }

  /** Whether a request path lies under this document's shared prefix, e.g. /crm/v3/objects/contacts. */
  boolean covers(List<String> segments) {
    return segments.size() >= rootSegments.size()
        && segments.subList(0, rootSegments.size()).equals(rootSegments);
  }

  /** The node at a JSON pointer, following {@code $ref}s within this document. */
  Located resolve(String pointer) {
    String at = pointer;
    JsonNode node = root.at(at);
    for (int hops = 0; node.path("$ref").isTextual(); hops++) {
      String ref = node.get("$ref").asText();
      if (!ref.startsWith("#") || hops == MAX_REF_HOPS) {
        throw new IllegalStateException(name + ": cannot follow $ref " + ref + " at " + at);
      }
      at = ref.substring(1);
      node = root.at(at);
    }
    if (node.isMissingNode()) {
      throw new IllegalStateException(name + ": nothing at " + at);
    }
    return new Located(at, node);
  }

  /** A node and the JSON pointer it was found at. */
  record Located(String pointer, JsonNode node) {
    Located child(String... steps) {
      StringBuilder at = new StringBuilder(pointer);
      JsonNode node = this.node;
      for (String step : steps) {
        at.append('/').append(escape(step));
        node = node.path(step);
      }
      return new Located(at.toString(), node);
    }
  }

  static String escape(String step) {
    return step.replace("~", "~0").replace("/", "~1");
  }

  /**
   * A copy of this document in which every object schema that declares {@code properties} but no
   * {@code additionalProperties} (and combines no others through allOf/oneOf/anyOf) is closed.
   */
  JsonNode closedCopy() {
    JsonNode copy = root.deepCopy();
    copy.path("components").path("schemas").forEach(SpecDocument::close);
    for (JsonNode pathItem : copy.path("paths")) {
      for (JsonNode operation : pathItem) {
        closeContent(operation.path("requestBody"));
        operation.path("responses").forEach(SpecDocument::closeContent);
      }
    }
    copy.path("components").path("requestBodies").forEach(SpecDocument::closeContent);
    copy.path("components").path("responses").forEach(SpecDocument::closeContent);
    return copy;
  }

  private static void closeContent(JsonNode holder) {
    holder.path("content").forEach(media -> close(media.path("schema")));
  }

  private static void close(JsonNode schema) {
    if (!(schema instanceof ObjectNode object) || object.has("$ref")) {
      return;
    }
    boolean composed = object.has("allOf") || object.has("oneOf") || object.has("anyOf");
    if (object.get("properties") instanceof ObjectNode properties) {
      if (!composed && !object.has("additionalProperties")) {
        object.put("additionalProperties", false);
      }
      properties.forEach(SpecDocument::close);
    }
    close(object.path("additionalProperties"));
    close(object.path("items"));
    close(object.path("not"));
    for (String keyword : List.of("allOf", "oneOf", "anyOf")) {
      object.path(keyword).forEach(SpecDocument::close);
    }
  }

  private static List<String> commonLiteralPrefix(List<Operation> operations) {
    List<String> prefix = null;
    for (Operation operation : operations) {
      List<String> literal = new ArrayList<>();
      for (String segment : operation.segments()) {
        if (segment.startsWith("{")) {
          break;
        }
        literal.add(segment);
      }
      if (prefix == null) {
        prefix = literal;
      } else {
        int same = 0;
        while (same < prefix.size() && same < literal.size() && prefix.get(same).equals(literal.get(same))) {
          same++;
        }
        prefix = new ArrayList<>(prefix.subList(0, same));
      }
    }
    return List.copyOf(prefix);
  }
}
