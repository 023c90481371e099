package dev.crmkit.testkit.hubspot;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The emulator's objects of one type: ids are increasing numbers, the created and modified
 * timestamps and {@code hs_object_id} are kept by the store, and for contacts live emails
 * (primary and additional) are unique case-insensitively. Engagements need {@code hs_timestamp},
 * stored as an ISO-8601 instant whether it came as one or as epoch milliseconds. Merged-away
 * contacts resolve to their survivor, as HubSpot's reads do. Thread-safe: every method holds the
 * store's lock, and callers only ever see immutable snapshots.
 */
final class ObjectStore {
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);
  /** How long HubSpot's UI can restore a deleted record. */
  static final Duration RESTORE_WINDOW = Duration.ofDays(90);

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final String ADDITIONAL_EMAILS = "hs_additional_emails";
  private static final String MERGED_IDS = "hs_merged_object_ids";

  private final ObjectType type;
  private final Clock clock;
  private final NavigableMap<Long, CrmObject> byId = new TreeMap<>();
  private final Map<String, Long> liveIdByEmail = new HashMap<>();
  private final Map<Long, Long> mergedInto = new HashMap<>();
  private long nextId;

  ObjectStore(ObjectType type, Clock clock, long firstId) {
    this.type = type;
    this.clock = clock;
    this.nextId = firstId;
  }

  ObjectType type() {
    return type;
  }

  static String emailKey(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * @param properties values null or empty are left out, as HubSpot does
   * @throws ApiError 409 when a live contact already has the email, 400 when the email is invalid
   *     or an engagement has no valid {@code hs_timestamp}
   */
  synchronized CrmObject create(Map<String, String> properties) {
    Instant now = now();
    TreeMap<String, String> merged = new TreeMap<>();
    apply(merged, properties);
    if (type.isEngagement() && merged.get("hs_timestamp") == null) {
      throw new ApiError(400, "VALIDATION_ERROR",
          "Property values were not valid: [{\"isValid\":false,\"message\":\"hs_timestamp is required\","
              + "\"error\":\"REQUIRED_PROPERTY\",\"name\":\"hs_timestamp\"}]",
          Map.of("hs_timestamp", List.of("")));
    }
    String email = emailOf(merged);
    if (email != null) {
      requireFreeEmail(email, -1);
    }
    long id = nextId++;
    // HubSpot takes a creation date given on create (imports of older records); it is not stamped over.
    Instant created = merged.containsKey(type.createdProperty) ? givenCreated(merged.get(type.createdProperty)) : now;
    stamp(merged, id, created, now);
    CrmObject object = new CrmObject(id, Collections.unmodifiableSortedMap(merged), created, now, null);
    byId.put(id, object);
    index(object);
    return object;
  }

  /**
   * @param properties a null or empty value clears that property
   * @return the updated object, or null when no live object has the id
   * @throws ApiError 409 when another live contact has the new email, 400 when it is invalid
   */
  synchronized CrmObject update(long id, Map<String, String> properties) {
    CrmObject current = byId.get(id);
    if (current == null || current.archived()) {
      return null;
    }
    TreeMap<String, String> merged = new TreeMap<>(current.properties());
    apply(merged, properties);
    String oldEmail = current.property("email");
    String newEmail = emailOf(merged);
    if (newEmail != null && !newEmail.equals(oldEmail)) {
      requireFreeEmail(newEmail, id);
    }
    return replace(current, merged);
  }

  /** @return false when no live object has the id */
  synchronized boolean archive(long id) {
    CrmObject current = byId.get(id);
    if (current == null || current.archived()) {
      return false;
    }
    byId.put(id, new CrmObject(id, current.properties(), current.createdAt(), current.updatedAt(), now()));
    unindex(current);
    return true;
  }

  /**
   * Brings an archived object back, as HubSpot's UI can within {@link #RESTORE_WINDOW}.
   *
   * @return the live object, or null when no archived object has the id
   * @throws ApiError 400 when it was archived too long ago, 409 when a live contact took its email
   */
  synchronized CrmObject restore(long id) {
    CrmObject current = byId.get(id);
    if (current == null || !current.archived()) {
      return null;
    }
    if (current.archivedAt().plus(RESTORE_WINDOW).isBefore(clock.instant())) {
      throw ApiError.validation(type.singular + " " + id + " was deleted on " + TIMESTAMP.format(current.archivedAt())
          + ", more than " + RESTORE_WINDOW.toDays() + " days ago, and can no longer be restored");
    }
    for (String email : emails(current)) {
      requireFreeEmail(email, id);
    }
    return replace(current, new TreeMap<>(current.properties()));
  }

  /** Deletes permanently, live or archived. @return the deleted object, or null when none */
  synchronized CrmObject delete(long id) {
    CrmObject current = byId.remove(id);
    if (current != null && !current.archived()) {
      unindex(current);
    }
    mergedInto.values().removeIf(survivor -> survivor == id);
    return current;
  }

  /**
   * Merges {@code mergedId} into {@code primaryId}: blank primary properties are filled from the
   * merged object, its email joins {@code hs_additional_emails}, both ids' merge histories join
   * {@code hs_merged_object_ids}, and the merged id resolves to the survivor from then on.
   *
   * @return the survivor
   * @throws ApiError 400 when the ids are equal, 404 when either is not a live object
   */
  synchronized CrmObject merge(long primaryId, long mergedId) {
    if (primaryId == mergedId) {
      throw ApiError.validation("Cannot merge a " + type.singular.toLowerCase(Locale.ROOT)
          + " with itself: primaryObjectId and objectIdToMerge are both " + primaryId);
    }
    CrmObject primary = byId.get(primaryId);
    CrmObject merged = byId.get(mergedId);
    if (primary == null || primary.archived()) {
      throw ApiError.notFound(Long.toString(primaryId));
    }
    if (merged == null || merged.archived()) {
      throw ApiError.notFound(Long.toString(mergedId));
    }
    TreeMap<String, String> properties = new TreeMap<>(primary.properties());
    merged.properties().forEach(properties::putIfAbsent);
    Set<String> additional = new LinkedHashSet<>(split(primary.property(ADDITIONAL_EMAILS)));
    additional.addAll(split(merged.property(ADDITIONAL_EMAILS)));
    String mergedEmail = merged.property("email");
    if (mergedEmail != null && !mergedEmail.equals(properties.get("email"))) {
      additional.add(mergedEmail);
    }
    additional.remove(properties.get("email"));
    putJoined(properties, ADDITIONAL_EMAILS, additional);
    Set<String> mergedIds = new LinkedHashSet<>(split(primary.property(MERGED_IDS)));
    mergedIds.add(Long.toString(mergedId));
    mergedIds.addAll(split(merged.property(MERGED_IDS)));
    putJoined(properties, MERGED_IDS, mergedIds);
    byId.remove(mergedId);
    unindex(merged);
    mergedInto.replaceAll((from, to) -> to == mergedId ? primaryId : to);
    mergedInto.put(mergedId, primaryId);
    return replace(primary, properties);
  }

  /** @return the object with the id in the requested archive state, or null; merged ids resolve */
  synchronized CrmObject get(long id, boolean archived) {
    CrmObject object = byId.get(mergedInto.getOrDefault(id, id));
    return object != null && object.archived() == archived ? object : null;
  }

  /** @return the id a merged-away id resolves to (its survivor), or {@code id} itself */
  synchronized long resolve(long id) {
    return mergedInto.getOrDefault(id, id);
  }

  /** @return the live contact with the email, primary or additional (any case), or null */
  synchronized CrmObject findByEmail(String email) {
    Long id = liveIdByEmail.get(emailKey(email));
    return id == null ? null : byId.get(id);
  }

  /** @return up to {@code limit} objects in the archive state with ids from {@code fromId}, by id */
  synchronized List<CrmObject> page(boolean archived, long fromId, int limit) {
    List<CrmObject> page = new ArrayList<>(limit);
    for (CrmObject object : byId.tailMap(fromId, true).values()) {
      if (object.archived() == archived) {
        page.add(object);
        if (page.size() == limit) {
          break;
        }
      }
    }
    return page;
  }

  /** @return every live object, by id */
  synchronized List<CrmObject> live() {
    List<CrmObject> live = new ArrayList<>(byId.size());
    for (CrmObject object : byId.values()) {
      if (!object.archived()) {
        live.add(object);
      }
    }
    return live;
  }

  private CrmObject replace(CrmObject current, TreeMap<String, String> properties) {
    Instant now = now();
    stamp(properties, current.id(), current.createdAt(), now);
    CrmObject updated =
        new CrmObject(current.id(), Collections.unmodifiableSortedMap(properties), current.createdAt(), now, null);
    if (!current.archived()) {
      unindex(current);
    }
    byId.put(current.id(), updated);
    index(updated);
    return updated;
  }

  private String emailOf(Map<String, String> properties) {
    return type == ObjectType.CONTACTS ? properties.get("email") : null;
  }

  private List<String> emails(CrmObject object) {
    List<String> emails = new ArrayList<>();
    if (type == ObjectType.CONTACTS) {
      if (object.property("email") != null) {
        emails.add(object.property("email"));
      }
      emails.addAll(split(object.property(ADDITIONAL_EMAILS)));
    }
    return emails;
  }

  private void index(CrmObject object) {
    emails(object).forEach(email -> liveIdByEmail.put(email, object.id()));
  }

  private void unindex(CrmObject object) {
    emails(object).forEach(liveIdByEmail::remove);
  }

  private static List<String> split(String joined) {
    List<String> parts = new ArrayList<>();
    if (joined != null) {
      for (String part : joined.split(";")) {
        if (!part.isBlank()) {
          parts.add(part.trim());
        }
      }
    }
    return parts;
  }

  private static void putJoined(TreeMap<String, String> properties, String name, Set<String> values) {
    if (values.isEmpty()) {
      properties.remove(name);
    } else {
      properties.put(name, String.join(";", values));
    }
  }

  private void requireFreeEmail(String email, long selfId) {
    if (!EMAIL.matcher(email).matches()) {
      throw ApiError.invalidEmail(email);
    }
    Long existing = liveIdByEmail.get(email);
    if (existing != null && existing != selfId) {
      throw ApiError.conflict(existing);
    }
  }

  private void apply(TreeMap<String, String> target, Map<String, String> changes) {
    changes.forEach(
        (name, value) -> {
          if (value == null || value.isEmpty()) {
            target.remove(name);
          } else if (name.equals("email") && type == ObjectType.CONTACTS) {
            target.put(name, emailKey(value));
          } else if (name.equals("hs_timestamp") && type.isEngagement()) {
            target.put(name, timestamp(value));
          } else {
            target.put(name, value);
          }
        });
  }

  private static String timestamp(String value) {
    try {
      Instant instant = value.matches("-?\\d{1,15}")
          ? Instant.ofEpochMilli(Long.parseLong(value))
          : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.trim(), Instant::from);
      return TIMESTAMP.format(instant);
    } catch (DateTimeException e) {
      throw new ApiError(400, "VALIDATION_ERROR",
          "Property values were not valid: [{\"isValid\":false,\"message\":\"" + value
              + " was not a valid long or an ISO-8601 date-time\",\"error\":\"INVALID_DATE\",\"name\":\"hs_timestamp\"}]",
          Map.of("hs_timestamp", List.of(value)));
    }
  }

  private void stamp(TreeMap<String, String> properties, long id, Instant created, Instant modified) {
    properties.put("hs_object_id", Long.toString(id));
    properties.put(type.createdProperty, TIMESTAMP.format(created));
    properties.put(type.modifiedProperty, TIMESTAMP.format(modified));
  }

  private Instant givenCreated(String value) {
    try {
      return value.matches("-?\\d{1,15}")
          ? Instant.ofEpochMilli(Long.parseLong(value))
          : DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(value.trim(), Instant::from).truncatedTo(ChronoUnit.MILLIS);
    } catch (DateTimeException e) {
      throw ApiError.validation("Property values were not valid: " + type.createdProperty + " '" + value
          + "' was not a valid long or an ISO-8601 date-time");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
