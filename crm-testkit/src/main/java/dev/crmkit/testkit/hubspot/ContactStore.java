package dev.crmkit.testkit.hubspot;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The emulator's contacts: ids are increasing numbers, live emails are unique case-insensitively,
 * and {@code hs_object_id}, {@code createdate} and {@code lastmodifieddate} are kept by the store.
 * Thread-safe: every method holds the store's lock, and callers only ever see immutable snapshots.
 */
final class ContactStore {
  static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX", Locale.ROOT).withZone(ZoneOffset.UTC);

  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

  private final Clock clock;
  private final NavigableMap<Long, Contact> byId = new TreeMap<>();
  private final Map<String, Long> liveIdByEmail = new HashMap<>();
  private long nextId = 1;

  ContactStore(Clock clock) {
    this.clock = clock;
  }

  static String emailKey(String email) {
    return email.trim().toLowerCase(Locale.ROOT);
  }

  /**
   * @param properties values null or empty are left out, as HubSpot does
   * @throws ApiError 409 when a live contact already has the email, 400 when the email is invalid
   */
  synchronized Contact create(Map<String, String> properties) {
    Instant now = now();
    TreeMap<String, String> merged = new TreeMap<>();
    apply(merged, properties);
    String email = merged.get("email");
    if (email != null) {
      requireFreeEmail(email, -1);
    }
    long id = nextId++;
    // HubSpot takes a createdate given on create (imports of older records); it is not stamped over.
    Instant created = givenCreatedate(merged.get("createdate"), now);
    stamp(merged, id, created, now);
    Contact contact = new Contact(id, Collections.unmodifiableSortedMap(merged), created, now, null);
    byId.put(id, contact);
    if (email != null) {
      liveIdByEmail.put(email, id);
    }
    return contact;
  }

  /**
   * @param properties a null or empty value clears that property
   * @return the updated contact, or null when no live contact has the id
   * @throws ApiError 409 when another live contact has the new email, 400 when it is invalid
   */
  synchronized Contact update(long id, Map<String, String> properties) {
    Contact current = byId.get(id);
    if (current == null || current.archived()) {
      return null;
    }
    TreeMap<String, String> merged = new TreeMap<>(current.properties());
    apply(merged, properties);
    String oldEmail = current.property("email");
    String newEmail = merged.get("email");
    if (newEmail != null && !newEmail.equals(oldEmail)) {
      requireFreeEmail(newEmail, id);
    }
    Instant now = now();
    stamp(merged, id, current.createdAt(), now);
    Contact updated =
        new Contact(id, Collections.unmodifiableSortedMap(merged), current.createdAt(), now, null);
    byId.put(id, updated);
    if (oldEmail != null) {
      liveIdByEmail.remove(oldEmail);
    }
    if (newEmail != null) {
      liveIdByEmail.put(newEmail, id);
    }
    return updated;
  }

  /** @return false when no live contact has the id */
  synchronized boolean archive(long id) {
    Contact current = byId.get(id);
    if (current == null || current.archived()) {
      return false;
    }
    Instant now = now();
    byId.put(
        id, new Contact(id, current.properties(), current.createdAt(), current.updatedAt(), now));
    String email = current.property("email");
    if (email != null) {
      liveIdByEmail.remove(email);
    }
    return true;
  }

  /** @return the contact with the id in the requested archive state, or null */
  synchronized Contact get(long id, boolean archived) {
    Contact contact = byId.get(id);
    return contact != null && contact.archived() == archived ? contact : null;
  }

  /** @return the live contact with the email (any case), or null */
  synchronized Contact findByEmail(String email) {
    Long id = liveIdByEmail.get(emailKey(email));
    return id == null ? null : byId.get(id);
  }

  /** @return up to {@code limit} contacts in the archive state with ids from {@code fromId}, by id */
  synchronized List<Contact> page(boolean archived, long fromId, int limit) {
    List<Contact> page = new ArrayList<>(limit);
    for (Contact contact : byId.tailMap(fromId, true).values()) {
      if (contact.archived() == archived) {
        page.add(contact);
        if (page.size() == limit) {
          break;
        }
      }
    }
    return page;
  }

  /** @return every live contact, by id */
  synchronized List<Contact> live() {
    List<Contact> live = new ArrayList<>(byId.size());
    for (Contact contact : byId.values()) {
      if (!contact.archived()) {
        live.add(contact);
      }
    }
    return live;
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

  private static void apply(TreeMap<String, String> target, Map<String, String> changes) {
    changes.forEach(
        (name, value) -> {
          if (value == null || value.isEmpty()) {
            target.remove(name);
          } else if (name.equals("email")) {
            target.put(name, emailKey(value));
          } else {
            target.put(name, value);
          }
        });
  }

  private static void stamp(TreeMap<String, String> properties, long id, Instant created, Instant modified) {
    properties.put("hs_object_id", Long.toString(id));
    properties.put("createdate", TIMESTAMP.format(created));
    properties.put("lastmodifieddate", TIMESTAMP.format(modified));
  }

  private static Instant givenCreatedate(String value, Instant fallback) {
    if (value == null) {
      return fallback;
    }
    try {
      return value.matches("\\d{1,18}")
          ? Instant.ofEpochMilli(Long.parseLong(value))
          : Instant.parse(value).truncatedTo(ChronoUnit.MILLIS);
    } catch (java.time.format.DateTimeParseException e) {
      throw ApiError.validation("Property values were not valid: createdate '" + value + "' is not a date-time");
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
