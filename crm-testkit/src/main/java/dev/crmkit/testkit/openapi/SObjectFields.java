package dev.crmkit.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The fields each sObject type declares, case-insensitively as Salesforce compares field names:
 * those of the sObjects OpenAPI schemas ({@code ContactSObject} and so on) and those added from an
 * org's describe. Immutable once built.
 */
final class SObjectFields {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile Map<String, Set<String>> openApiFields;

  private final Map<String, Set<String>> byType;

  private SObjectFields(Map<String, Set<String>> byType) {
    Map<String, Set<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    byType.forEach((type, names) -> {
      Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      set.addAll(names);
      copy.put(type, Collections.unmodifiableSet(set));
    });
    this.byType = Collections.unmodifiableMap(copy);
  }

  /** The OpenAPI schemas' fields together with {@code extra} (type to field names). */
  static SObjectFields withOpenApi(Map<String, ? extends Collection<String>> extra) {
    Map<String, Set<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    openApi().forEach((type, names) -> all.computeIfAbsent(type, t -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
        .addAll(names));
    extra.forEach((type, names) -> all.computeIfAbsent(type, t -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER))
        .addAll(names));
    return new SObjectFields(all);
  }

  boolean knows(String type) {
    return byType.containsKey(type);
  }

  boolean declares(String type, String field) {
    return byType.getOrDefault(type, Set.of()).contains(field);
  }

  /** Whether any known type declares the field; for CSV job data, whose object the upload does not name. */
  boolean anyDeclares(String field) {
    return byType.values().stream().anyMatch(s -> s.contains(field));
  }

  /**
   * The field names of a describe answer ({@code GET /sobjects/{type}/describe}).
   *
   * @throws IllegalArgumentException when the text is not a describe answer
   */
  static Map.Entry<String, Set<String>> fromDescribe(String describeJson) {
    JsonNode root;
    try {
      root = JSON.readTree(describeJson);
    } catch (IOException e) {
      throw new IllegalArgumentException("describe must be the JSON of a describe answer: " + e.getMessage(), e);
    }
    if (!root.path("name").isTextual() || !root.path("fields").isArray()) {
      throw new IllegalArgumentException("describe must have \"name\" and \"fields\": "
          + describeJson.substring(0, Math.min(120, describeJson.length())));
    }
    Set<String> names = new TreeSet<>();
    root.get("fields").forEach(f -> names.add(f.path("name").asText()));
    names.remove("");
    return Map.entry(root.get("name").asText(), names);
  }

  private static Map<String, Set<String>> openApi() {
    Map<String, Set<String>> fields = openApiFields;
    if (fields != null) {
      return fields;
    }
    String resource = SalesforceOpenApi.RESOURCE_DIRECTORY + SalesforceOpenApi.DOCUMENT;
    try (InputStream in = SObjectFields.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + resource);
      }
      JsonNode schemas = JSON.readTree(in).path("components").path("schemas");
      Map<String, Set<String>> found = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      schemas.fields().forEachRemaining(e -> {
        if (e.getKey().endsWith("SObject")) {
          Set<String> names = new TreeSet<>();
          e.getValue().path("properties").fieldNames().forEachRemaining(names::add);
          names.remove("attributes");
          found.put(e.getKey().substring(0, e.getKey().length() - "SObject".length()), names);
        }
      });
      openApiFields = Collections.unmodifiableMap(found);
      return openApiFields;
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + resource, e);
    }
  }
}
