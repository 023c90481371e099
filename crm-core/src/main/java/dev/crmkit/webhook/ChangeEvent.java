package dev.crmkit.webhook;

import dev.crmkit.error.ValidationException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One change a vendor reported through a webhook, after its signature was verified. Immutable;
 * the collections are unmodifiable.
 *
 * @param vendor provider name of the sender, such as {@code "hubspot"}; required
 * @param eventId the vendor's id of this event, unique per vendor account; the sync inbox dedupes
 *     by it; required
 * @param type what happened; required
 * @param rawType the vendor's own name of the event, such as {@code "contact.propertyChange"};
 *     required
 * @param objectType the kind of record, in the vendor's words, such as {@code "contact"}; {@code
 *     null} when the vendor does not say
 * @param objectId the vendor's id of the record; for {@link ChangeEventType#MERGED} the surviving
 *     record; {@code null} when the vendor does not say
 * @param occurredAt when the change happened at the vendor; {@code null} when the vendor does not say
 * @param propertyName the changed property for {@link ChangeEventType#UPDATED} when the vendor
 *     names one, else {@code null}
 * @param propertyValue the property's new value as text; {@code null} when not given or cleared
 * @param mergedIds for {@link ChangeEventType#MERGED}: the ids that were merged into {@link
 *     #objectId()} and no longer exist on their own; empty otherwise; {@code null} reads as empty
 * @param attemptNumber how many times the vendor tried to deliver this event before, 0 on the
 *     first delivery; at least 0
 * @param attributes further scalar fields of the event as the vendor named them (such as {@code
 *     portalId}, {@code changeSource}, {@code associationType}), as text, sorted by name; {@code
 *     null} reads as empty
 */
public record ChangeEvent(
    String vendor,
    String eventId,
    ChangeEventType type,
    String rawType,
    String objectType,
    String objectId,
    Instant occurredAt,
    String propertyName,
    String propertyValue,
    List<String> mergedIds,
    int attemptNumber,
    Map<String, String> attributes) {

  /** @throws ValidationException naming the first missing or malformed component */
  public ChangeEvent {
    require(vendor, "vendor");
    require(eventId, "eventId");
    if (type == null) {
      throw ValidationException.of("type", null, "a change event needs a type");
    }
    require(rawType, "rawType");
    if (attemptNumber < 0) {
      throw ValidationException.of("attemptNumber", Integer.toString(attemptNumber), "must be 0 or more");
    }
    if (mergedIds != null && mergedIds.stream().anyMatch(id -> id == null || id.isBlank())) {
      throw ValidationException.of("mergedIds", mergedIds.toString(), "a merged id must not be blank");
    }
    mergedIds = mergedIds == null ? List.of() : List.copyOf(mergedIds);
    attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(checkedAttributes(attributes));
  }

  /** True when crmkit did not recognize the vendor's event type ({@link ChangeEventType#UNKNOWN}). */
  public boolean unknown() {
    return type == ChangeEventType.UNKNOWN;
  }

  private static TreeMap<String, String> checkedAttributes(Map<String, String> attributes) {
    TreeMap<String, String> out = new TreeMap<>();
    attributes.forEach((name, value) -> {
      if (name == null || name.isBlank() || value == null) {
        throw ValidationException.of("attributes", name, "an attribute needs a name and a value");
      }
      out.put(name, value);
    });
    return out;
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ValidationException.of(field, value, "a change event needs a " + field);
    }
  }
}
