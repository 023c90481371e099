package dev.crmkit.hubspot.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import dev.crmkit.webhook.UnparsedItem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Parses HubSpot's webhook payload, a JSON array of event objects, into {@link ChangeEvent}s.
 * Elements that are not events are reported as {@link UnparsedItem}s, never dropped. Thread-safe.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks API</a>
 */
public final class EventParser {
  private static final String VENDOR = "hubspot";
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  /** Fields that become ChangeEvent components; every other scalar field goes to attributes. */
  private static final Set<String> MAPPED = Set.of(
      "eventId", "subscriptionType", "occurredAt", "objectId", "propertyName", "propertyValue",
      "attemptNumber", "mergedObjectIds");
  private static final Map<String, ChangeEventType> ACTIONS = Map.of(
      "creation", ChangeEventType.CREATED,
      "propertyChange", ChangeEventType.UPDATED,
      "deletion", ChangeEventType.DELETED,
      "privacyDeletion", ChangeEventType.PRIVACY_DELETED,
      "merge", ChangeEventType.MERGED,
      "restore", ChangeEventType.RESTORED,
      "associationChange", ChangeEventType.ASSOCIATION_CHANGED);

  private static final java.util.regex.Pattern PORTAL_ID = java.util.regex.Pattern.compile("0*[1-9][0-9]{0,18}");

  /** The events and the elements that could not be parsed, both in payload order. */
  public record Parsed(List<ChangeEvent> events, List<UnparsedItem> unparsed) {}

  /**
   * @param body the raw payload
   * @param appId when not {@code null}, events of another app are reported as unparsed
   * @throws ValidationException when the body is empty, not JSON, or not an array
   */
  public Parsed parse(byte[] body, Long appId) {
    JsonNode root = readArray(body);
    List<ChangeEvent> events = new ArrayList<>();
    List<UnparsedItem> unparsed = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode item = root.get(i);
      try {
        events.add(event(item, appId));
      } catch (ItemException | ValidationException e) {
        unparsed.add(new UnparsedItem(i, e.getMessage(), item.toString()));
      }
    }
    return new Parsed(events, unparsed);
  }

  /**
   * The portal (HubSpot account) every event of a delivery names, read before the delivery is verified,
   * to choose whose client secret verifies it.
   *
   * @param body the raw payload
   * @return the portal id in decimal, without leading zeros
   * @throws ValidationException naming {@code body} when the body is empty, not JSON or not an array,
   *     or holds no event; naming {@code portalId} when an event has none, one that is not a positive
   *     integer, or events name different portals (never the values: they are not yet verified)
   */
  public String portalId(byte[] body) {
    JsonNode root = readArray(body);
    if (root.isEmpty()) {
      throw invalid("[]", "holds no event, so names no portal");
    }
    String portal = null;
    for (int i = 0; i < root.size(); i++) {
      JsonNode id = root.get(i).get("portalId");
      String text = id == null || !(id.isIntegralNumber() || id.isTextual()) ? "" : id.asText().strip();
      if (!PORTAL_ID.matcher(text).matches()) {
        throw new ValidationException(VENDOR, List.of(new FieldError("portalId", null,
            "event " + i + " has no portalId that is a positive integer")));
      }
      String normalized = new java.math.BigInteger(text).toString();
      if (portal != null && !portal.equals(normalized)) {
        throw new ValidationException(VENDOR, List.of(new FieldError("portalId", null,
            "the events of one delivery name different portals (event " + i + ")")));
      }
      portal = normalized;
    }
    return portal;
  }

  private static JsonNode readArray(byte[] body) {
    if (body.length == 0 || new String(body, StandardCharsets.UTF_8).isBlank()) {
      throw invalid("", "empty; HubSpot sends a JSON array of events");
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw invalid(preview(body), "not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
    } catch (IOException e) {
      throw invalid(preview(body), "unreadable: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw invalid(preview(body), "expected a JSON array of events, got " + (root == null ? "nothing" : kind(root)));
    }
    return root;
  }

  private static ChangeEvent event(JsonNode item, Long appId) {
    if (!item.isObject()) {
      throw new ItemException("expected an event object, got " + kind(item));
    }
    String eventId = requiredScalar(item, "eventId");
    String rawType = requiredText(item, "subscriptionType");
    JsonNode occurred = item.get("occurredAt");
    if (occurred == null || !occurred.canConvertToLong() || !occurred.isIntegralNumber()) {
      throw new ItemException("occurredAt " + describe(occurred) + " is not milliseconds since the epoch");
    }
    if (appId != null && item.hasNonNull("appId") && !item.get("appId").asText().equals(appId.toString())) {
      throw new ItemException("appId '" + item.get("appId").asText() + "' is not this app's id '" + appId + "'");
    }
    int attempt = 0;
    JsonNode attemptNode = item.get("attemptNumber");
    if (attemptNode != null && !attemptNode.isNull()) {
      if (!attemptNode.canConvertToInt() || !attemptNode.isIntegralNumber() || attemptNode.asInt() < 0) {
        throw new ItemException("attemptNumber " + describe(attemptNode) + " is not a count of 0 or more");
      }
      attempt = attemptNode.asInt();
    }

    int dot = rawType.indexOf('.');
    String objectType = dot > 0 ? rawType.substring(0, dot) : null;
    ChangeEventType type = dot > 0 ? ACTIONS.getOrDefault(rawType.substring(dot + 1), ChangeEventType.UNKNOWN)
        : ChangeEventType.UNKNOWN;

    String objectId = optionalScalar(item, "objectId");
    List<String> mergedIds = List.of();
    if (type == ChangeEventType.MERGED) {
      Set<String> merged = new LinkedHashSet<>(ids(item, "mergedObjectIds"));
      String primary = optionalScalar(item, "primaryObjectId");
      String survivor = firstNonNull(optionalScalar(item, "newObjectId"), primary, objectId);
      if (primary != null) {
        merged.add(primary);
      }
      merged.remove(survivor);
      objectId = survivor;
      mergedIds = List.copyOf(merged);
    } else if (type == ChangeEventType.ASSOCIATION_CHANGED && objectId == null) {
      objectId = optionalScalar(item, "fromObjectId");
    }

    return new ChangeEvent(VENDOR, eventId, type, rawType, objectType, objectId,
        Instant.ofEpochMilli(occurred.asLong()),
        optionalScalar(item, "propertyName"), optionalScalar(item, "propertyValue"),
        mergedIds, attempt, attributes(item));
  }

  private static Map<String, String> attributes(JsonNode item) {
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> f : item.properties()) {
      if (!MAPPED.contains(f.getKey()) && f.getValue().isValueNode() && !f.getValue().isNull() && !f.getKey().isBlank()) {
        out.put(f.getKey(), f.getValue().asText());
      }
    }
    return out;
  }

  private static List<String> ids(JsonNode item, String field) {
    JsonNode node = item.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new ItemException(field + " " + describe(node) + " is not an array of ids");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode id : node) {
      if (!id.isIntegralNumber() && !(id.isTextual() && !id.asText().isBlank())) {
        throw new ItemException(field + " holds " + describe(id) + ", not an id");
      }
      out.add(id.asText());
    }
    return out;
  }

  private static String requiredScalar(JsonNode item, String field) {
    String value = optionalScalar(item, field);
    if (value == null) {
      throw new ItemException(field + " is missing");
    }
    return value;
  }

  private static String requiredText(JsonNode item, String field) {
    JsonNode node = item.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw new ItemException(field + " " + describe(node) + " is not a non-blank string");
    }
    return node.asText();
  }

  /** A number or string field as text; {@code null} when absent, null or blank. */
  private static String optionalScalar(JsonNode item, String field) {
    JsonNode node = item.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isValueNode()) {
      throw new ItemException(field + " " + describe(node) + " is not a number or string");
    }
    String text = node.asText();
    return text.isBlank() ? null : text;
  }

  private static String firstNonNull(String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  private static String describe(JsonNode node) {
    if (node == null) {
      return "(missing)";
    }
    String text = node.toString();
    return "'" + (text.length() <= 60 ? text : text.substring(0, 57) + "...") + "'";
  }

  private static String kind(JsonNode node) {
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String preview(byte[] body) {
    String s = new String(body, StandardCharsets.UTF_8);
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private static ValidationException invalid(String value, String message) {
    return new ValidationException(VENDOR, List.of(new FieldError("body", value, message)));
  }

  /** An element that is not a valid event; becomes an {@link UnparsedItem}. */
  private static final class ItemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ItemException(String message) {
      super(message, null, false, false);
    }
  }
}
