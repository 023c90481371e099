package dev.crmkit.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The structure a JSON request body must have, derived from a Postman example body (see {@link
 * #fromExample(JsonNode)}) and refined from Salesforce's documentation. Objects are closed: a key
 * the shape does not declare is a violation.
 */
sealed interface BodyShape {
  /** What a shape needs besides the value: the org's sObject fields, and a way to check nested requests. */
  interface Context {
    SObjectFields fields();

    /** Checks a composite subrequest as the request it stands for; the messages name their place. */
    List<String> checkSubrequest(String method, String url, JsonNode body, String where);
  }

  void check(JsonNode value, String at, List<String> violations, Context context);

  /**
   * The shape a Postman example body describes. Salesforce's examples mix values and type names: a
   * string {@code "Boolean"} stands for a boolean, {@code "A | B | C"} for one of those strings,
   * {@code "SObject[]"} for a list of records each naming its type in {@code attributes.type}, {@code
   * "Composite Subrequest[]"} and {@code "Subrequest[]"} for lists of composite and batch
   * subrequests; any other string is an example of a non-empty string. Every key of an example
   * object is required until a refinement says otherwise.
   */
  static BodyShape fromExample(JsonNode example) {
    if (example.isObject()) {
      Map<String, BodyShape> properties = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = example.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        properties.put(field.getKey(), fromExample(field.getValue()));
      }
      return new ObjectShape(properties, properties.keySet());
    }
    if (example.isArray()) {
      return new ArrayShape(example.isEmpty() ? new AnyShape() : fromExample(example.get(0)), 0);
    }
    if (example.isBoolean()) {
      return new BooleanShape();
    }
    if (example.isNumber()) {
      return new NumberShape();
    }
    String text = example.asText();
    switch (text) {
      case "Boolean":
        return new BooleanShape();
      case "SObject[]":
        return new ArrayShape(new RecordShape(null, IdRule.ANY), 200);
      case "Composite Subrequest[]":
        return new ArrayShape(compositeSubrequest(), 25);
      case "Subrequest[]":
        return new ArrayShape(batchSubrequest(), 25);
      default:
        if (text.contains(" | ")) {
          return new StringShape(new LinkedHashSet<>(List.of(text.split("\\s*\\|\\s*"))), null);
        }
        return new StringShape(null, null);
    }
  }

  /**
   * A composite subrequest: {@code method}, {@code url} and {@code referenceId} required, {@code body}
   * and {@code httpHeaders} optional; the body is checked as the request it stands for.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/requests_composite.htm">Salesforce: Composite subrequest</a>
   */
  static BodyShape compositeSubrequest() {
    return new SubrequestShape(true);
  }

  /**
   * A batch subrequest: {@code method} and {@code url} required; {@code richInput}, {@code
   * binaryPartName} and {@code binaryPartNameAlias} optional.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/requests_composite_batch.htm">Salesforce: Batch subrequest</a>
   */
  static BodyShape batchSubrequest() {
    return new SubrequestShape(false);
  }

  /** An object with these properties, of which {@code required} must be present; no others allowed. */
  record ObjectShape(Map<String, BodyShape> properties, Set<String> required) implements BodyShape {
    public ObjectShape {
      properties = new LinkedHashMap<>(properties);
      required = new LinkedHashSet<>(required);
    }

    /** This shape with the named keys optional. */
    ObjectShape optional(String... keys) {
      Set<String> now = new LinkedHashSet<>(required);
      now.removeAll(List.of(keys));
      return new ObjectShape(properties, now);
    }

    /** This shape with one more (or a replaced) key. */
    ObjectShape with(String key, BodyShape shape, boolean isRequired) {
      Map<String, BodyShape> now = new LinkedHashMap<>(properties);
      now.put(key, shape);
      Set<String> req = new LinkedHashSet<>(required);
      if (isRequired) {
        req.add(key);
      } else {
        req.remove(key);
      }
      return new ObjectShape(now, req);
    }

    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isObject()) {
        violations.add(at + ": " + kind(value) + " found, object expected");
        return;
      }
      for (String key : required) {
        if (!value.has(key)) {
          violations.add(at + ": required property '" + key + "' is missing");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        BodyShape shape = properties.get(field.getKey());
        if (shape == null) {
          violations.add(at + ": property '" + field.getKey() + "' is not declared (declared: "
              + String.join(", ", properties.keySet()) + ")");
        } else {
          shape.check(field.getValue(), at + "." + field.getKey(), violations, context);
        }
      }
    }
  }

  /** An array of items of one shape, with at most {@code max} items (0: no limit). */
  record ArrayShape(BodyShape items, int max) implements BodyShape {
    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isArray()) {
        violations.add(at + ": " + kind(value) + " found, array expected");
        return;
      }
      if (max > 0 && value.size() > max) {
        violations.add(at + ": " + value.size() + " items, at most " + max + " allowed");
      }
      for (int i = 0; i < value.size(); i++) {
        items.check(value.get(i), at + "[" + i + "]", violations, context);
      }
    }
  }

  /** A non-empty string, one of {@code values} when given, matching {@code pattern} when given. */
  record StringShape(Set<String> values, Pattern pattern) implements BodyShape {
    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isTextual()) {
        violations.add(at + ": " + kind(value) + " found, string expected");
      } else if (value.asText().isEmpty()) {
        violations.add(at + ": empty string, a value expected");
      } else if (values != null && !values.contains(value.asText())) {
        violations.add(at + ": '" + value.asText() + "' is not one of " + values);
      } else if (pattern != null && !pattern.matcher(value.asText()).matches()) {
        violations.add(at + ": '" + value.asText() + "' does not match " + pattern);
      }
    }
  }

  /** A JSON boolean (not the string "true"). */
  record BooleanShape() implements BodyShape {
    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isBoolean()) {
        violations.add(at + ": " + kind(value) + " found, boolean expected");
      }
    }
  }

  /** A JSON number. */
  record NumberShape() implements BodyShape {
    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isNumber()) {
        violations.add(at + ": " + kind(value) + " found, number expected");
      }
    }
  }

  /** Any JSON value; used where Salesforce documents the value as varying. */
  record AnyShape() implements BodyShape {
    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
    }
  }

  /** An object of string values (headers). */
  record StringMapShape() implements BodyShape {
    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isObject()) {
        violations.add(at + ": " + kind(value) + " found, object expected");
        return;
      }
      value.fields().forEachRemaining(e -> {
        if (!e.getValue().isTextual()) {
          violations.add(at + "." + e.getKey() + ": " + kind(e.getValue()) + " found, string expected");
        }
      });
    }
  }

  /** Whether a record may, must or must not carry its {@code Id}. */
  enum IdRule { ANY, REQUIRED, FORBIDDEN }

  /**
   * One sObject record: its type from {@code type} when given (the path names it), else from its
   * {@code attributes.type}, which is then required; every other key must be a field of that type
   * (the sObjects OpenAPI schema or the org's describe, see {@link SObjectFields}) with a scalar
   * or null value.
   */
  record RecordShape(String type, IdRule id) implements BodyShape {
    private static final Set<String> ATTRIBUTES = Set.of("type", "url", "referenceId");

    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      if (!value.isObject()) {
        violations.add(at + ": " + kind(value) + " found, an sObject record expected");
        return;
      }
      String recordType = type;
      JsonNode attributes = value.get("attributes");
      if (attributes != null) {
        if (!attributes.isObject()) {
          violations.add(at + ".attributes: " + kind(attributes) + " found, object expected");
        } else {
          attributes.fieldNames().forEachRemaining(name -> {
            if (!ATTRIBUTES.contains(name)) {
              violations.add(at + ".attributes: property '" + name + "' is not declared (declared: type, url,"
                  + " referenceId)");
            }
          });
          if (attributes.path("type").isTextual() && !attributes.path("type").asText().isEmpty()) {
            recordType = recordType == null ? attributes.get("type").asText() : recordType;
          }
        }
      }
      if (recordType == null) {
        violations.add(at + ": required property 'attributes.type' is missing (each record names its sObject type)");
        return;
      }
      boolean hasId = value.has("Id") || value.has("id");
      if (id == IdRule.REQUIRED && !hasId) {
        violations.add(at + ": required property 'Id' is missing (an update names the record)");
      } else if (id == IdRule.FORBIDDEN && hasId) {
        violations.add(at + ": property 'Id' is not allowed (a create must not name an id)");
      }
      if (!context.fields().knows(recordType)) {
        violations.add(at + ": no field list for sObject " + recordType
            + " (neither the sObjects OpenAPI nor a given describe declares it)");
        return;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String name = field.getKey();
        if (name.equals("attributes") || (id != IdRule.FORBIDDEN && name.equals("Id"))) {
          continue;
        }
        if (!context.fields().declares(recordType, name)) {
          violations.add(at + "." + name + ": " + recordType + " has no field " + name
              + " (neither the sObjects OpenAPI schema nor the org's describe declares it)");
        } else if (field.getValue().isContainerNode()) {
          violations.add(at + "." + name + ": " + kind(field.getValue()) + " found, a field value expected");
        }
      }
    }
  }

  /** A composite or batch subrequest; see {@link #compositeSubrequest()}, {@link #batchSubrequest()}. */
  record SubrequestShape(boolean composite) implements BodyShape {
    private static final Set<String> METHODS = new LinkedHashSet<>(List.of("GET", "POST", "PUT", "PATCH", "DELETE"));
    private static final Pattern URL = Pattern.compile("/services/data/v\\d{2,3}\\.\\d/\\S*");
    private static final Pattern REFERENCE_ID = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    @Override
    public void check(JsonNode value, String at, List<String> violations, Context context) {
      ObjectShape shape = composite
          ? new ObjectShape(Map.of("method", new StringShape(METHODS, null), "url", new StringShape(null, URL),
              "referenceId", new StringShape(null, REFERENCE_ID), "body", new AnyShape(),
              "httpHeaders", new StringMapShape()), Set.of("method", "url", "referenceId"))
          : new ObjectShape(Map.of("method", new StringShape(METHODS, null), "url", new StringShape(null, null),
              "richInput", new AnyShape(), "binaryPartName", new StringShape(null, null),
              "binaryPartNameAlias", new StringShape(null, null)), Set.of("method", "url"));
      int before = violations.size();
      shape.check(value, at, violations, context);
      if (violations.size() > before || !composite) {
        return;
      }
      violations.addAll(context.checkSubrequest(value.get("method").asText(), value.get("url").asText(),
          value.get("body"), at));
    }
  }

  static String kind(JsonNode value) {
    if (value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isNumber()) {
      return "number";
    }
    return value.isArray() ? "array" : "object";
  }
}
