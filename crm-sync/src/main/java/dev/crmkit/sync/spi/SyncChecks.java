package dev.crmkit.sync.spi;

import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.webhook.ChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Argument checks shared by the {@code SyncStore} implementations; each throws a {@link ValidationException}. */
public final class SyncChecks {
  /** Longest record id, event id or lease owner accepted. */
  public static final int MAX_ID = 255;
  /** Most rows one list call returns. */
  public static final int MAX_LIMIT = 1000;

  private SyncChecks() {}

  /**
   * The value when it is non-blank and at most {@code max} characters.
   *
   * @throws ValidationException naming {@code field} otherwise
   */
  public static String id(String value, String field, int max) {
    if (value == null || value.isBlank()) {
      throw ValidationException.of(field, value, "must not be blank");
    }
    if (value.length() > max) {
      throw ValidationException.of(field, Validation.abbreviate(value), "longer than " + max + " characters");
    }
    return value;
  }

  private static void optionalId(String value, String field) {
    if (value != null && value.length() > MAX_ID) {
      throw ValidationException.of(field, Validation.abbreviate(value), "longer than " + MAX_ID + " characters");
    }
  }

  /** {@link #id(String, String, int)} with {@link #MAX_ID}. */
  public static String id(String value, String field) {
    return id(value, field, MAX_ID);
  }

  /**
   * A batch of ids for a lookup: 0 to 1000, none null, each a valid id.
   *
   * @return the distinct ids in first-seen order
   * @throws ValidationException naming {@code field}
   */
  public static java.util.Set<String> ids(java.util.Collection<String> ids, String field) {
    if (ids == null || ids.size() > 1000) {
      throw ValidationException.of(field, ids == null ? null : ids.size() + " ids", "must be 0 to 1000 ids");
    }
    java.util.Set<String> out = new java.util.LinkedHashSet<>();
    for (String id : ids) {
      out.add(id(id, field));
    }
    return out;
  }

  /**
   * The limit when it is 1 to {@link #MAX_LIMIT}.
   *
   * @throws ValidationException naming {@code limit} otherwise
   */
  public static int limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", Integer.toString(limit), "must be 1 to " + MAX_LIMIT);
    }
    return limit;
  }

  /**
   * The lease time to live when it is at least one millisecond.
   *
   * @throws ValidationException naming {@code ttl} otherwise
   */
  public static Duration ttl(Duration ttl) {
    if (ttl == null || ttl.toMillis() < 1) {
      throw ValidationException.of("ttl", ttl == null ? null : ttl.toString(), "must be at least 1 millisecond");
    }
    return ttl;
  }

  /**
   * The value when it is not null.
   *
   * @throws ValidationException naming {@code field} otherwise
   */
  public static <T> T required(T value, String field) {
    if (value == null) {
      throw ValidationException.of(field, null, "is required");
    }
    return value;
  }

  /**
   * The flow of a change-feed cursor: {@link SyncFlow#PUSH} (the local feed) or {@link SyncFlow#PULL}
   * (the remote feed). A {@link SyncFlow#BIDIRECTIONAL} run reads both feeds, each with its own cursor.
   *
   * @throws ValidationException naming {@code flow} when it is null or {@link SyncFlow#BIDIRECTIONAL}
   */
  public static SyncFlow cursorFlow(SyncFlow flow) {
    if (flow == null || flow == SyncFlow.BIDIRECTIONAL) {
      throw ValidationException.of("flow", flow == null ? null : flow.name(),
          "a cursor belongs to one feed: PUSH (local) or PULL (remote)");
    }
    return flow;
  }

  /** The instant cut to whole milliseconds, the precision every store keeps. */
  public static Instant millis(Instant instant) {
    return Instant.ofEpochMilli(instant.toEpochMilli());
  }

  /**
   * The event with {@link ChangeEvent#occurredAt()} cut to whole milliseconds.
   *
   * @throws ValidationException naming {@code event} when null, or the component that is too long:
   *     {@code vendor} (over 64 characters), {@code eventId}, {@code rawType}, {@code objectType},
   *     {@code objectId} or {@code propertyName} (over 255)
   */
  public static ChangeEvent event(ChangeEvent event) {
    required(event, "event");
    id(event.vendor(), "vendor", 64);
    id(event.eventId(), "eventId");
    id(event.rawType(), "rawType");
    optionalId(event.objectType(), "objectType");
    optionalId(event.objectId(), "objectId");
    optionalId(event.propertyName(), "propertyName");
    if (event.occurredAt() == null || event.occurredAt().getNano() % 1_000_000 == 0) {
      return event;
    }
    return new ChangeEvent(event.vendor(), event.eventId(), event.type(), event.rawType(), event.objectType(),
        event.objectId(), millis(event.occurredAt()), event.propertyName(), event.propertyValue(), event.mergedIds(),
        event.attemptNumber(), event.attributes());
  }

  /**
   * An unmodifiable copy of the list.
   *
   * @throws ValidationException naming {@code field} when the list is null or holds null
   */
  public static <T> List<T> elements(List<T> list, String field) {
    required(list, field);
    for (T t : list) {
      if (t == null) {
        throw ValidationException.of(field, null, "must not hold null");
      }
    }
    return List.copyOf(list);
  }

  /**
   * An unmodifiable copy of a conflict's fields.
   *
   * @throws ValidationException naming {@code fields} when null, holding null or naming a field twice
   */
  public static List<FieldConflict> fields(List<FieldConflict> fields) {
    List<FieldConflict> copy = elements(fields, "fields");
    Set<String> seen = new HashSet<>();
    for (FieldConflict f : copy) {
      if (!seen.add(f.field())) {
        throw ValidationException.of("fields", f.field(), "names a field twice");
      }
    }
    return copy;
  }

  /**
   * The merged values of a conflict decision, sorted by field, unmodifiable; empty unless
   * {@code choice} is {@link SyncSide#MERGED}.
   *
   * @throws ValidationException naming {@code choice} or {@code mergedValues}
   */
  public static Map<String, String> mergedValues(SyncSide choice, Map<String, String> mergedValues,
      List<FieldConflict> fields) {
    required(choice, "choice");
    if (choice != SyncSide.MERGED) {
      if (mergedValues != null && !mergedValues.isEmpty()) {
        throw ValidationException.of("mergedValues", mergedValues.keySet().toString(),
            "only a MERGED choice takes merged values");
      }
      return Map.of();
    }
    if (mergedValues == null) {
      throw ValidationException.of("mergedValues", null, "a MERGED choice needs the merged values");
    }
    Set<String> names = new HashSet<>();
    fields.forEach(f -> names.add(f.field()));
    TreeMap<String, String> out = new TreeMap<>();
    mergedValues.forEach((name, value) -> {
      if (name == null || !names.contains(name)) {
        throw ValidationException.of("mergedValues", name, "not a field of this conflict");
      }
      out.put(name, value);
    });
    return Collections.unmodifiableMap(out);
  }
}
