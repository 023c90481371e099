package dev.crmkit.http.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.crmkit.error.CrmException;
import java.util.Map;

/** The runtime's one Jackson mapper; Jackson types never leave this class. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private Json() {}

  /** A JSON object as nested maps and lists; empty for blank text. */
  public static Map<String, Object> readMap(String text) {
    if (text == null || text.isBlank()) {
      return Map.of();
    }
    try {
      return java.util.Collections.unmodifiableMap(MAPPER.readValue(text, MAP));
    } catch (JsonProcessingException e) {
      throw new CrmException("response body is not a JSON object: " + e.getOriginalMessage());
    }
  }

  /** A map, list or JSON string as JSON text; a string is passed through. */
  public static String write(Object body) {
    if (body instanceof String s) {
      return s;
    }
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw dev.crmkit.error.ValidationException.of("body", body.getClass().getName(), "cannot be written as JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * A value of maps, lists, strings, numbers and booleans as JSON text with every object's keys in
   * sorted order, so equal values always give the same text.
   *
   * @throws IllegalArgumentException when the value holds something else
   */
  public static String writeSorted(Object value) {
    try {
      return SORTED.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a JSON value: " + e.getOriginalMessage(), e);
    }
  }
}
