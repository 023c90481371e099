package dev.crmkit.hubspot.internal;

import dev.crmkit.ActivityDraft;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerNote;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.hubspot.internal.HubSpotApi.Search;
import dev.crmkit.hubspot.internal.HubSpotCursors.ActivitiesCursor;
import dev.crmkit.hubspot.internal.HubSpotCursors.NotesCursor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Notes and activities: HubSpot engagements (notes, calls, emails, meetings, communications)
 * associated to a contact, written, listed newest first behind {@link HubSpotCursors#NOTES} and
 * {@link HubSpotCursors#ACTIVITIES} cursors, found by idempotency key, and counted for a merge. Which
 * activity goes to which engagement type is {@link Engagement}'s job. Thread-safe.
 */
public final class Engagements {
  private static final String ASSOCIATED_CONTACT = "associations.contact";

  private static final Comparator<Listed> NEWEST_FIRST = Comparator
      .comparing((Listed l) -> l.activity().occurredAt(), Comparator.reverseOrder())
      .thenComparing(l -> l.kind().ordinal())
      .thenComparing(l -> Long.parseLong(l.activity().id()));

  private final ContactReader contacts;
  private final HubSpotApi api;
  private final AccountState account;

  public Engagements(ContactReader contacts, AccountState account) {
    this.contacts = contacts;
    this.api = contacts.api();
    this.account = account;
  }

  // ------------------------------------------------------------------------------------ notes

  /**
   * A note object associated to the live contact (type 202). With an idempotency key (kept in
   * {@value Engagement#IDEMPOTENCY_KEY}), written under the account's per-key lock after searching
   * the notes (not the activities) for the key, so a repeat returns the first note and writes nothing.
   */
  public CustomerNote addNote(String customerId, NoteDraft note) {
    if (note == null) {
      throw ValidationException.of("note", null, "must not be null");
    }
    String cid = contacts.requireLiveId(customerId, "customerId");
    Map<String, String> properties = new TreeMap<>();
    properties.put(Engagement.NOTE.bodyProperty(), note.content());
    properties.put(Engagement.TIMESTAMP, (note.createdAt() == null ? contacts.now() : note.createdAt()).toString());
    if (note.createdBy() != null) {
      properties.put(Engagement.CREATED_BY, note.createdBy());
    }
    Supplier<CustomerNote> write = () -> readNote(api.createEngagement(Engagement.NOTE.objectType(), properties, cid,
        Engagement.NOTE.associationTypeId()), cid);
    if (note.idempotencyKey() == null) {
      return write.get();
    }
    properties.put(Engagement.IDEMPOTENCY_KEY, note.idempotencyKey());
    return account.locked("note:" + note.idempotencyKey(),
        () -> findNote(note.idempotencyKey()).orElseGet(write));
  }

  /** The note (not an activity held in a note) recorded under an idempotency key, with its contact. */
  private Optional<CustomerNote> findNote(String key) {
    Page<Map<String, Object>> answer = api.searchObjects(Engagement.NOTE.objectType(), new Search(
        List.of(List.of(new Filter(Engagement.IDEMPOTENCY_KEY, "EQ", key),
            new Filter(Engagement.ACTIVITY_TYPE, "NOT_HAS_PROPERTY", null))),
        List.of(Engagement.TIMESTAMP), Engagement.NOTE.properties(), 1, null));
    for (Map<String, Object> r : answer.items()) {
      List<String> associated = api.associatedContacts(Engagement.NOTE.objectType(), HubSpotApi.string(r.get("id")));
      if (!associated.isEmpty()) {
        String cid = contacts.get(associated.get(0)).map(Customer::id).orElse(associated.get(0));
        return Optional.of(readNote(r, cid));
      }
    }
    return Optional.empty();
  }

  /** The contact's notes, newest first, leaving out the notes that hold activities. */
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    String cid = contacts.requireLiveId(customerId, "customerId");
    int offset = request.cursor() == null ? 0 : HubSpotCursors.NOTES.decode(request.cursor()).offset();
    List<CustomerNote> items = new ArrayList<>();
    List<Filter> filters = noteFilters(cid);
    String next = null;
    while (items.size() < request.limit()) {
      int want = Math.min(HubSpotApi.SEARCH_PAGE_LIMIT, request.limit() - items.size());
      // One search per page: the next asks for only what is still wanted, so no page is repeated as is.
      Page<Map<String, Object>> answer = api.searchObjects(Engagement.NOTE.objectType(), new Search(List.of(filters),
          List.of("-" + Engagement.TIMESTAMP), Engagement.NOTE.properties(), want, Integer.toString(offset)));
      answer.items().forEach(r -> items.add(readNote(r, cid)));
      offset += answer.items().size();
      next = answer.nextCursor();
      if (next == null || answer.items().isEmpty()) {
        next = null;
        break;
      }
    }
    String cursor = next == null ? null : HubSpotCursors.NOTES.encode(new NotesCursor(offset));
    return new Page<>(items, cursor, c -> listNotes(customerId, request.at(c)));
  }

  private static CustomerNote readNote(Map<String, Object> object, String customerId) {
    Map<String, String> p = HubSpotApi.properties(object);
    List<FieldError> errors = new ArrayList<>();
    Instant at = PropertyValues.time(Engagement.TIMESTAMP, p.get(Engagement.TIMESTAMP), errors);
    if (at == null) {
      at = PropertyValues.time("createdAt", HubSpotApi.string(object.get("createdAt")), errors);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(HubSpotApi.PROVIDER, errors);
    }
    String author = p.get(Engagement.CREATED_BY);
    String body = p.get(Engagement.NOTE.bodyProperty());
    return new CustomerNote(HubSpotApi.string(object.get("id")), customerId, body == null ? "" : body,
        author == null || author.isBlank() ? null : author, at);
  }

  private static Filter associatedTo(String contactId) {
    return new Filter(ASSOCIATED_CONTACT, "EQ", contactId);
  }

  /** A contact's notes, leaving out the notes that hold activities. */
  private static List<Filter> noteFilters(String contactId) {
    return List.of(associatedTo(contactId), new Filter(Engagement.ACTIVITY_TYPE, "NOT_HAS_PROPERTY", null));
  }

  // ------------------------------------------------------------------------------------ activities

  /**
   * An engagement of the activity's kind associated to the live contact; with an idempotency key,
   * written under the account's per-key lock after searching the key, so a repeat returns the first.
   */
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    if (activity == null) {
      throw ValidationException.of("activity", null, "must not be null");
    }
    String cid = contacts.requireLiveId(customerId, "customerId");
    Supplier<CustomerActivity> write = () -> {
      if (activity.idempotencyKey() != null) {
        Optional<CustomerActivity> earlier = findActivity(activity.idempotencyKey());
        if (earlier.isPresent()) {
          return earlier.get();
        }
      }
      Engagement kind = Engagement.of(activity.type(), activity.channel(), activity.metadata());
      Instant at = activity.occurredAt() == null ? contacts.now() : activity.occurredAt();
      return kind.read(api.createEngagement(kind.objectType(), kind.properties(activity, at), cid,
          kind.associationTypeId()), cid);
    };
    return account.locked(activity.idempotencyKey() == null ? null : "activity:" + activity.idempotencyKey(), write);
  }

  /** One listed activity with the engagement type it came from. */
  private record Listed(Engagement kind, CustomerActivity activity) {
    String key() {
      return kind.ordinal() + ":" + activity.id();
    }
  }

  /** The contact's activities of all five engagement types, merged newest first. */
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    String cid = contacts.requireLiveId(customerId, "customerId");
    Long until = null;
    Set<String> seen = new HashSet<>();
    if (request.cursor() != null) {
      ActivitiesCursor at = HubSpotCursors.ACTIVITIES.decode(request.cursor());
      until = at.until();
      seen.addAll(at.seen());
    }
    int want = request.limit() + seen.size() + 1;
    List<Listed> all = new ArrayList<>();
    for (Engagement kind : Engagement.values()) {
      Page<Map<String, Object>> results = api.searchObjects(kind.objectType(),
          activitySearch(kind, cid, until, Math.min(HubSpotApi.SEARCH_PAGE_LIMIT, want)));
      int read = 0;
      while (true) {
        for (Map<String, Object> r : results.items()) {
          all.add(new Listed(kind, kind.read(r, cid)));
        }
        read += results.items().size();
        if (!results.hasNext() || read >= want || results.items().isEmpty()) {
          break;
        }
        results = results.next();
      }
    }
    all.sort(NEWEST_FIRST);
    List<CustomerActivity> items = new ArrayList<>();
    Long lastAt = until;
    Set<String> atLast = new HashSet<>(seen);
    boolean more = false;
    for (Listed l : all) {
      long at = l.activity().occurredAt().toEpochMilli();
      if (until != null && at == until && seen.contains(l.key())) {
        continue;
      }
      if (items.size() == request.limit()) {
        more = true;
        break;
      }
      if (lastAt == null || at != lastAt) {
        lastAt = at;
        atLast.clear();
      }
      atLast.add(l.key());
      items.add(l.activity());
    }
    String cursor = more ? HubSpotCursors.ACTIVITIES.encode(new ActivitiesCursor(lastAt, new TreeSet<>(atLast))) : null;
    return new Page<>(items, cursor, c -> listActivities(customerId, request.at(c)));
  }

  /** The search that lists a contact's engagements of one kind, newest first, at or before {@code until}. */
  private static Search activitySearch(Engagement kind, String contactId, Long until, int limit) {
    List<Filter> filters = new ArrayList<>();
    filters.add(associatedTo(contactId));
    if (kind == Engagement.NOTE) {
      filters.add(new Filter(Engagement.ACTIVITY_TYPE, "HAS_PROPERTY", null));
    }
    if (until != null) {
      filters.add(new Filter(Engagement.TIMESTAMP, "LTE", Long.toString(until)));
    }
    return new Search(List.of(filters), List.of("-" + Engagement.TIMESTAMP), kind.properties(), limit, null);
  }

  /**
   * The activity recorded under an idempotency key, searched in each engagement type, with the
   * contact it is associated to (the survivor, for a merged-away contact).
   */
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw ValidationException.of("idempotencyKey", idempotencyKey, "must not be blank");
    }
    for (Engagement kind : Engagement.values()) {
      List<Filter> filters = new ArrayList<>(List.of(new Filter(Engagement.IDEMPOTENCY_KEY, "EQ", idempotencyKey)));
      if (kind == Engagement.NOTE) {
        // Only the notes that hold an activity: a plain note under the same key is not an activity.
        filters.add(new Filter(Engagement.ACTIVITY_TYPE, "HAS_PROPERTY", null));
      }
      Page<Map<String, Object>> answer = api.searchObjects(kind.objectType(), new Search(
          List.of(filters), List.of(Engagement.TIMESTAMP), kind.properties(), 1, null));
      for (Map<String, Object> r : answer.items()) {
        String id = HubSpotApi.string(r.get("id"));
        List<String> associated = api.associatedContacts(kind.objectType(), id);
        String cid = associated.isEmpty() ? null
            : contacts.get(associated.get(0)).map(Customer::id).orElse(associated.get(0));
        if (cid != null) {
          return Optional.of(kind.read(r, cid));
        }
      }
    }
    return Optional.empty();
  }

  // ------------------------------------------------------------------------------------ counts

  /** How many notes are associated to a contact, from the search's {@code total}. */
  public int countNotes(String contactId) {
    return api.searchTotal(Engagement.NOTE.objectType(), new Search(List.of(noteFilters(contactId)),
        List.of(Engagement.TIMESTAMP), List.of(Engagement.TIMESTAMP), 1, null));
  }

  /** How many activities are associated to a contact, from the searches' {@code total}. */
  public int countActivities(String contactId) {
    int total = 0;
    for (Engagement kind : Engagement.values()) {
      total += api.searchTotal(kind.objectType(), activitySearch(kind, contactId, null, 1));
    }
    return total;
  }
}
