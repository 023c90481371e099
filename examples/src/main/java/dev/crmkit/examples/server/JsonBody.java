package dev.crmkit.examples.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A JSON request body read field by field, each problem a 400 {@link ApiError} that names the field
 * by its path ({@code settings.baseUrl}, {@code rules[2].flow}). Unknown fields are refused rather
 * than ignored, so a misspelt {@code "shedule"} is an error instead of a silent default.
 */
final class JsonBody {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The longest text value taken from a body, in characters. */
  static final int MAX_TEXT = 8_192;

  private final ObjectNode node;
  private final String path;

  private JsonBody(ObjectNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * The body as a JSON object; an empty body is an empty object.
   *
   * @throws ApiError 400 naming {@code body} when it is not UTF-8 JSON or not an object
   */
  static JsonBody parse(byte[] body) {
    if (body.length == 0) {
      return new JsonBody(MAPPER.createObjectNode(), "");
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw ApiError.badField("body", "malformed JSON" + where + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiError.badField("body", "unreadable body: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      return new JsonBody(MAPPER.createObjectNode(), "");
    }
    if (!tree.isObject()) {
      throw ApiError.badField("body", "must be a JSON object, was " + kind(tree));
    }
    return new JsonBody((ObjectNode) tree, "");
  }

  /**
   * Refuses any field not named.
   *
   * @return this
   * @throws ApiError 400 naming the first unknown field
   */
  JsonBody only(String... fields) {
    Set<String> known = new TreeSet<>(Arrays.asList(fields));
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ApiError.badField(path + name, "unknown field; known: " + String.join(", ", known));
      }
    }
    return this;
  }

  /** Whether the field is present and not null. */
  boolean has(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  /**
   * A text field.
   *
   * @return the value stripped, or null when absent or null and not required
   * @throws ApiError 400 when required and absent, blank when required, not a string, or longer than
   *     {@link #MAX_TEXT}
   */
  String text(String field, boolean required) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      if (required) {
        throw ApiError.badField(path + field, "is required");
      }
      return null;
    }
    if (!v.isTextual()) {
      throw ApiError.badField(path + field, "must be a string, was " + kind(v));
    }
    String s = v.textValue().strip();
    if (required && s.isEmpty()) {
      throw ApiError.badField(path + field, "must not be blank");
    }
    if (s.length() > MAX_TEXT) {
      throw ApiError.badField(path + field, "must be at most " + MAX_TEXT + " characters, was " + s.length());
    }
    return s;
  }

  /**
   * One of an enum's constants, written in lower case ({@code "real_time"} for {@code REAL_TIME}).
   *
   * @return the constant, or null when absent or null and not required
   * @throws ApiError 400 naming the field and the accepted values
   */
  <E extends Enum<E>> E choice(String field, Class<E> type, boolean required) {
    String s = text(field, required);
    if (s == null) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(s)) {
        return e;
      }
    }
    throw ApiError.badField(path + field, "must be one of " + Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")) + ", was '" + clip(s) + "'");
  }

  /**
   * An object of scalar values, each as text ({@code 25} and {@code true} become {@code "25"} and
   * {@code "true"}); a null value stays null (for an update: remove the key).
   *
   * @param echoValues whether a message may quote a bad value; false for credentials
   * @return the map in the order given, or null when the field is absent or null
   * @throws ApiError 400 naming {@code field.key} when a value is an object or array, or too long
   */
  Map<String, String> strings(String field, boolean echoValues) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw ApiError.badField(path + field, "must be an object of strings, was " + kind(v));
    }
    Map<String, String> map = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String name = path + field + "." + e.getKey();
      JsonNode value = e.getValue();
      if (value.isContainerNode()) {
        throw ApiError.badField(name, "must be a string, number or boolean, was " + kind(value));
      }
      String text = value.isNull() ? null : value.asText();
      if (text != null && text.length() > MAX_TEXT) {
        throw ApiError.badField(name, "must be at most " + MAX_TEXT + " characters, was " + text.length()
            + (echoValues ? "" : " (value not shown)"));
      }
      map.put(e.getKey(), text);
    }
    return map;
  }

  /**
   * A whole number.
   *
   * @return the value, or null when absent or null
   * @throws ApiError 400 when it is not an integral number
   */
  Long whole(String field) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw ApiError.badField(path + field, "must be a whole number, was " + kind(v));
    }
    return v.longValue();
  }

  /**
   * An array of objects, each read as a body of its own whose fields are named {@code field[i].name}.
   *
   * @param max the most elements taken
   * @throws ApiError 400 when absent, not an array, longer than {@code max}, or an element is not an object
   */
  List<JsonBody> objects(String field, int max) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw ApiError.badField(path + field, "is required");
    }
    if (!v.isArray()) {
      throw ApiError.badField(path + field, "must be an array, was " + kind(v));
    }
    if (v.size() > max) {
      throw ApiError.badField(path + field, "must hold at most " + max + " elements, held " + v.size());
    }
    List<JsonBody> list = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      JsonNode e = v.get(i);
      String name = path + field + "[" + i + "]";
      if (!e.isObject()) {
        throw ApiError.badField(name, "must be an object, was " + kind(e));
      }
      list.add(new JsonBody((ObjectNode) e, name + "."));
    }
    return list;
  }

  private static String kind(JsonNode v) {
    return v.getNodeType().name().toLowerCase(Locale.ROOT);
  }

  private static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
