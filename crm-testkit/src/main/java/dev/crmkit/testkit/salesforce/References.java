package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Composite references: {@code @{referenceId.path}} in a subrequest's URL or body takes a value
 * from an earlier subrequest's response body, where path is dotted names and {@code [n]} indexes,
 * such as {@code @{NewContact.id}} or {@code @{Found.records[0].Id}}. Stateless.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm">Composite</a>
 */
final class References {
  private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+])*)}");
  private static final Pattern STEP = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)]");

  private References() {}

  /** @throws SfError 400 PROCESSING_HALTED when a reference names no earlier value */
  static String resolve(String text, Map<String, JsonNode> bodies) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, Matcher.quoteReplacement(value(m, bodies)));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** @return a copy of the JSON with every reference inside string values resolved */
  static JsonNode resolve(JsonNode node, Map<String, JsonNode> bodies) {
    if (node.isTextual()) {
      return TextNode.valueOf(resolve(node.asText(), bodies));
    }
    if (node.isObject()) {
      ObjectNode copy = RestApi.MAPPER.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), resolve(e.getValue(), bodies)));
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = RestApi.MAPPER.createArrayNode();
      node.forEach(item -> copy.add(resolve(item, bodies)));
      return copy;
    }
    return node;
  }

  private static String value(Matcher reference, Map<String, JsonNode> bodies) {
    JsonNode node = bodies.get(reference.group(1));
    Matcher step = STEP.matcher(reference.group(2));
    while (node != null && step.find()) {
      node = step.group(1) != null ? node.get(step.group(1)) : node.get(Integer.parseInt(step.group(2)));
    }
    if (node == null || node.isNull() || node.isContainerNode()) {
      throw new SfError(400, "PROCESSING_HALTED", "Invalid reference specified. No value for "
          + reference.group(1) + reference.group(2) + " found in " + reference.group(1)
          + ". Provided referenceId ('" + reference.group(1) + "') must start with a letter or a number, and it can "
          + "contain only letters, numbers and underscores ('_').");
    }
    return node.asText();
  }
}
