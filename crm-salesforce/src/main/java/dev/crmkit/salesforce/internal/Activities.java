package dev.crmkit.salesforce.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.CursorCodec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Activities as Salesforce activities: meetings as Events ({@code StartDateTime}, {@code
 * DurationInMinutes}), everything else as completed Tasks ({@code TaskSubtype} Call for calls, Email for
 * emails, Task otherwise; {@code Status} Completed; {@code ActivityDate} the UTC day), each with
 * {@code WhoId} the customer, {@code Subject} the type and the start of the description, and {@code
 * Description} the description. What Salesforce's standard fields cannot hold exactly is kept in five
 * custom Activity fields the org defines once (Setup, Object Manager, Activity; they then exist on Task
 * and Event alike), checked against describe on first use:
 *
 * <ul>
 *   <li>{@value #TYPE_FIELD} (Text 40): the crmkit activity type;
 *   <li>{@value #CHANNEL_FIELD} (Text 40): the channel;
 *   <li>{@value #OCCURRED_AT_FIELD} (Date/Time): when it happened, to the second (Tasks have only a date);
 *   <li>{@value #METADATA_FIELD} (Long Text Area): the metadata as a JSON object of strings;
 *   <li>{@value #KEY_FIELD} (Text 200, External ID): the idempotency key.
 * </ul>
 *
 * A key is recorded once per org: the lookup (SOQL on Task and Event) and the create run under the
 * org's {@link OrgLocks} lock of the key, so concurrent callers in this process write one activity;
 * callers in other processes are not excluded. Lists are newest first by {@value #OCCURRED_AT_FIELD}
 * then id, merged from a Task and an Event query per page, continued by a keyset cursor. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_task.htm">Task</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_event.htm">Event</a>
 */
public final class Activities {
  /** Custom Activity field holding the crmkit activity type. */
  public static final String TYPE_FIELD = "Crmkit_Activity_Type__c";
  /** Custom Activity field holding the channel. */
  public static final String CHANNEL_FIELD = "Crmkit_Channel__c";
  /** Custom Activity field holding when the activity happened. */
  public static final String OCCURRED_AT_FIELD = "Crmkit_Occurred_At__c";
  /** Custom Activity field holding the metadata as JSON. */
  public static final String METADATA_FIELD = "Crmkit_Metadata__c";
  /** Custom Activity field holding the idempotency key. */
  public static final String KEY_FIELD = "Crmkit_Idempotency_Key__c";
  /** Minutes a meeting lasts when its metadata has no {@code durationMinutes}. */
  public static final int DEFAULT_MEETING_MINUTES = 30;
  private static final List<String> CUSTOM = List.of(TYPE_FIELD, CHANNEL_FIELD, OCCURRED_AT_FIELD, METADATA_FIELD, KEY_FIELD);
  private static final String SELECT = "Id, WhoId, Subject, Description, " + String.join(", ", CUSTOM);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Where a list page continues: after the activity at this time with this id. */
  record ActivityCursor(Instant at, String afterId) {
    ActivityCursor {
      if (at == null || !Soql.isId(afterId)) {
        throw new IllegalArgumentException("not an activity position");
      }
    }
  }

  static final CursorCodec<ActivityCursor> CURSORS = CursorCodec.of(SalesforceApi.PROVIDER, "sf1", "activities",
      c -> Map.of("at", c.at().toString(), "after", c.afterId()),
      s -> new ActivityCursor(Instant.parse(s.requiredString("at")), s.requiredString("after")));

  private final ContactReader reader;
  private final OrgLocks locks;
  private final Clock clock;
  private volatile boolean described;

  public Activities(ContactReader reader, OrgLocks locks, Clock clock) {
    this.reader = reader;
    this.locks = locks;
    this.clock = clock;
  }

  /**
   * Records the activity on the live customer (after merges), or returns the one recorded earlier under
   * its key.
   *
   * @throws NotFoundException when the customer does not exist or is deleted
   */
  public CustomerActivity add(String customerId, ActivityDraft draft) {
    if (draft == null) {
      throw ValidationException.of("activity", "null", "must not be null");
    }
    Customer customer = live(customerId);
    checkFields();
    if (draft.idempotencyKey() == null) {
      return write(customer.id(), draft);
    }
    return locks.locked(List.of("activity:" + draft.idempotencyKey()),
        () -> find(draft.idempotencyKey()).orElseGet(() -> write(customer.id(), draft)));
  }

  /** The activity recorded under the key, a Task's or an Event's. */
  public Optional<CustomerActivity> find(String key) {
    if (key == null || key.isBlank()) {
      return Optional.empty();
    }
    checkFields();
    for (String type : List.of("Task", "Event")) {
      List<Map<String, Object>> rows = reader.api().query("SELECT " + SELECT + " FROM " + type + " WHERE " + KEY_FIELD
          + " = " + Soql.literal(key) + " ORDER BY CreatedDate ASC LIMIT 1", false, 200).items();
      if (!rows.isEmpty()) {
        return Optional.of(toActivity(rows.get(0)));
      }
    }
    return Optional.empty();
  }

  /**
   * The customer's activities, newest first.
   *
   * @throws NotFoundException when the customer does not exist
   * @throws ValidationException naming {@code cursor} for a cursor this list did not issue
   */
  public Page<CustomerActivity> list(String customerId, PageRequest page) {
    if (page == null) {
      throw ValidationException.of("page", "null", "must not be null");
    }
    ActivityCursor after = page.cursor() == null ? null : CURSORS.decode(page.cursor());
    Customer customer = reader.get(customerId).orElseThrow(
        () -> new NotFoundException(SalesforceApi.PROVIDER, "customer", customerId));
    checkFields();
    return page(customer.id(), page.limit(), after);
  }

  private Page<CustomerActivity> page(String whoId, int limit, ActivityCursor after) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (String type : List.of("Task", "Event")) {
      String where = "WhoId = " + Soql.literal(whoId);
      if (after != null) {
        String at = Soql.dateTime(after.at());
        where += " AND (" + OCCURRED_AT_FIELD + " < " + at + " OR (" + OCCURRED_AT_FIELD + " = " + at + " AND Id < "
            + Soql.literal(after.afterId()) + "))";
      }
      rows.addAll(reader.api().query("SELECT " + SELECT + " FROM " + type + " WHERE " + where + " ORDER BY "
          + OCCURRED_AT_FIELD + " DESC, Id DESC LIMIT " + (limit + 1), false, 200).items());
    }
    List<CustomerActivity> all = new ArrayList<>();
    rows.forEach(r -> all.add(toActivity(r)));
    all.sort(Comparator.comparing(CustomerActivity::occurredAt).thenComparing(CustomerActivity::id).reversed());
    boolean more = all.size() > limit;
    List<CustomerActivity> items = more ? all.subList(0, limit) : all;
    CustomerActivity last = items.isEmpty() ? null : items.get(items.size() - 1);
    String next = more ? CURSORS.encode(new ActivityCursor(last.occurredAt(), last.id())) : null;
    return new Page<>(List.copyOf(items), next, c -> page(whoId, limit, CURSORS.decode(c)));
  }

  private CustomerActivity write(String whoId, ActivityDraft d) {
    Instant at = (d.occurredAt() == null ? clock.instant() : d.occurredAt()).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("WhoId", whoId);
    f.put("Subject", subject(d));
    f.put("Description", d.description());
    f.put(TYPE_FIELD, d.type().name());
    f.put(CHANNEL_FIELD, d.channel() == null ? null : d.channel().name());
    f.put(OCCURRED_AT_FIELD, ContactMapping.dateTime(at));
    f.put(METADATA_FIELD, d.metadata().isEmpty() ? null : json(d.metadata()));
    f.put(KEY_FIELD, d.idempotencyKey());
    String type;
    if (d.type() == ActivityType.MEETING) {
      type = "Event";
      f.put("StartDateTime", ContactMapping.dateTime(at));
      f.put("DurationInMinutes", minutes(d.metadata()));
    } else {
      type = "Task";
      f.put("TaskSubtype", d.type() == ActivityType.CALL ? "Call" : d.type() == ActivityType.EMAIL ? "Email" : "Task");
      f.put("Status", "Completed");
      f.put("ActivityDate", at.atOffset(ZoneOffset.UTC).toLocalDate().toString());
    }
    f.values().removeIf(v -> v == null);
    String id = reader.api().create(type, f);
    Map<String, Object> row = new LinkedHashMap<>(f);
    row.put("Id", id);
    return toActivity(row);
  }

  private static String subject(ActivityDraft d) {
    String label = d.type().name().charAt(0) + d.type().name().substring(1).toLowerCase(Locale.ROOT).replace('_', ' ');
    String subject = d.description() == null ? label : label + ": " + d.description().strip();
    return subject.length() <= 255 ? subject : subject.substring(0, 252) + "...";
  }

  private static int minutes(Map<String, String> metadata) {
    String given = metadata.get("durationMinutes");
    if (given == null) {
      return DEFAULT_MEETING_MINUTES;
    }
    try {
      int minutes = Integer.parseInt(given.strip());
      if (minutes < 0 || minutes > 1440 * 14) {
        throw new NumberFormatException();
      }
      return minutes;
    } catch (NumberFormatException e) {
      throw ValidationException.of("metadata.durationMinutes", given, "must be whole minutes from 0 to 20160 (14 days)");
    }
  }

  private CustomerActivity toActivity(Map<String, Object> r) {
    String type = text(r.get(TYPE_FIELD));
    String channel = text(r.get(CHANNEL_FIELD));
    Instant at = r.get(OCCURRED_AT_FIELD) instanceof String s ? ContactMapping.instant(s) : null;
    return new CustomerActivity(text(r.get("Id")), text(r.get("WhoId")),
        type == null ? ActivityType.OTHER : enumOr(ActivityType.class, type, ActivityType.OTHER),
        channel == null ? null : enumOr(Channel.class, channel, null),
        text(r.get("Description")), at == null ? Instant.EPOCH : at, metadata(text(r.get(METADATA_FIELD))),
        text(r.get(KEY_FIELD)));
  }

  private static <E extends Enum<E>> E enumOr(Class<E> type, String name, E fallback) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  private static String json(Map<String, String> metadata) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(metadata));
    } catch (Exception e) {
      throw new IllegalStateException("metadata is a map of strings", e);
    }
  }

  private static Map<String, String> metadata(String json) {
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() { });
    } catch (Exception e) {
      return Map.of("raw", json);
    }
  }

  private Customer live(String customerId) {
    Customer c = reader.get(customerId).orElseThrow(
        () -> new NotFoundException(SalesforceApi.PROVIDER, "customer", customerId));
    if (c.isDeleted()) {
      throw new NotFoundException("customer '" + customerId + "' is deleted", SalesforceApi.PROVIDER, "customer",
          customerId, 404, "ENTITY_IS_DELETED", null);
    }
    return c;
  }

  /**
   * Checks once that Task and Event have the five custom Activity fields.
   *
   * @throws ConfigurationException naming the missing ones
   */
  private void checkFields() {
    if (described) {
      return;
    }
    Set<String> missing = new LinkedHashSet<>();
    for (String type : List.of("Task", "Event")) {
      Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
      if (reader.api().describe(type).get("fields") instanceof List<?> fields) {
        for (Object f : fields) {
          if (f instanceof Map<?, ?> m && m.get("name") instanceof String name) {
            present.add(name);
          }
        }
      }
      CUSTOM.stream().filter(f -> !present.contains(f)).forEach(f -> missing.add(type + "." + f));
    }
    if (!missing.isEmpty()) {
      throw new ConfigurationException("tenant '" + reader.tenantId() + "', provider 'salesforce': activities need the "
          + "custom Activity fields " + missing + " (describe); create them in Setup, Object Manager, Activity");
    }
    described = true;
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }
}
