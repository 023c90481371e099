package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerNote;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.CursorCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Notes as classic Salesforce Notes: {@code ParentId} the customer, {@code Title} the first line (at most
 * {@value #MAX_TITLE} characters, "..." marking a cut), {@code Body} the whole note (at most
 * {@value #MAX_BODY} characters). A Note has no field for an author or an idempotency key, and its only time is
 * {@code CreatedDate}, which an API user may set only with "Set Audit Fields upon Record Creation" (setting
 * {@code auditFields=true}): a draft's {@code createdBy} or {@code idempotencyKey}, or a {@code createdAt} without
 * that setting, is refused with a {@link ValidationException} naming it, never dropped. Lists are newest
 * first by {@code CreatedDate} then id, continued by a keyset cursor; an add costs two calls (the insert, then
 * a query for the stored {@code CreatedDate}), a page one SOQL query. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_note.htm">Note</a>
 */
public final class ClassicNotes implements Notes {
  /** Longest Note Title. */
  public static final int MAX_TITLE = 80;
  /** Longest Note Body. */
  public static final int MAX_BODY = 32_000;
  private static final String SELECT = "Id, ParentId, Title, Body, CreatedDate";

  /** Where a list page continues: after the note created at this time with this id. */
  record NoteCursor(Instant at, String afterId) {
    NoteCursor {
      if (at == null || !Soql.isId(afterId)) {
        throw new IllegalArgumentException("not a note position");
      }
    }
  }

  static final CursorCodec<NoteCursor> CURSORS = CursorCodec.of(SalesforceApi.PROVIDER, "sf1", "notes",
      c -> Map.of("at", c.at().toString(), "after", c.afterId()),
      s -> new NoteCursor(Instant.parse(s.requiredString("at")), s.requiredString("after")));

  private final ContactReader reader;

  public ClassicNotes(ContactReader reader) {
    this.reader = reader;
  }

  @Override
  public CustomerNote add(String customerId, NoteDraft draft) {
    if (draft == null) {
      throw ValidationException.of("note", "null", "must not be null");
    }
    String why = "a classic Salesforce Note has no field for it (setting noteObject=ContentNote keeps it)";
    if (draft.idempotencyKey() != null) {
      throw ValidationException.of("idempotencyKey", draft.idempotencyKey(), why);
    }
    if (draft.createdBy() != null) {
      throw ValidationException.of("createdBy", draft.createdBy(), why);
    }
    if (draft.createdAt() != null && !reader.mapping().auditFields()) {
      throw ValidationException.of("createdAt", draft.createdAt().toString(), "a classic Salesforce Note's time is "
          + "its CreatedDate, which the API user may set only with Set Audit Fields upon Record Creation and the "
          + "setting auditFields=true (setting noteObject=ContentNote keeps it without)");
    }
    if (draft.content().length() > MAX_BODY) {
      throw ValidationException.of("content", draft.content(), "a classic Salesforce Note's Body holds at most "
          + MAX_BODY + " characters, this one has " + draft.content().length());
    }
    Customer customer = Notes.live(reader, customerId);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("ParentId", customer.id());
    f.put("Title", title(draft.content()));
    f.put("Body", draft.content());
    if (draft.createdAt() != null) {
      f.put("CreatedDate", ContactMapping.dateTime(draft.createdAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
    }
    String id = reader.api().create("Note", f);
    List<Map<String, Object>> rows = reader.api().query("SELECT " + SELECT + " FROM Note WHERE Id = "
        + Soql.literal(id), false, 200).items();
    if (rows.isEmpty()) {
      throw new IllegalStateException("Salesforce does not find the Note " + id + " it just stored");
    }
    return toNote(rows.get(0));
  }

  @Override
  public Page<CustomerNote> list(String customerId, PageRequest page) {
    if (page == null) {
      throw ValidationException.of("page", "null", "must not be null");
    }
    NoteCursor after = page.cursor() == null ? null : CURSORS.decode(page.cursor());
    Customer customer = Notes.existing(reader, customerId);
    return page(customer.id(), page.limit(), after);
  }

  private Page<CustomerNote> page(String parentId, int limit, NoteCursor after) {
    String where = "ParentId = " + Soql.literal(parentId);
    if (after != null) {
      String at = Soql.dateTime(after.at());
      where += " AND (CreatedDate < " + at + " OR (CreatedDate = " + at + " AND Id < " + Soql.literal(after.afterId())
          + "))";
    }
    List<Map<String, Object>> rows = reader.api().query("SELECT " + SELECT + " FROM Note WHERE " + where
        + " ORDER BY CreatedDate DESC, Id DESC LIMIT " + (limit + 1), false, 200).items();
    boolean more = rows.size() > limit;
    List<CustomerNote> items = new ArrayList<>();
    (more ? rows.subList(0, limit) : rows).forEach(r -> items.add(toNote(r)));
    CustomerNote last = items.isEmpty() ? null : items.get(items.size() - 1);
    String next = more ? CURSORS.encode(new NoteCursor(last.createdAt(), last.id())) : null;
    return new Page<>(List.copyOf(items), next, c -> page(parentId, limit, CURSORS.decode(c)));
  }

  private static CustomerNote toNote(Map<String, Object> r) {
    String body = text(r.get("Body"));
    Instant at = r.get("CreatedDate") instanceof String s ? ContactMapping.instant(s) : Instant.EPOCH;
    String title = text(r.get("Title"));
    return new CustomerNote(text(r.get("Id")), text(r.get("ParentId")), body != null ? body : title != null ? title : "",
        null, at);
  }

  /** The first line, at most {@value #MAX_TITLE} characters ("..." marks a cut). */
  static String title(String content) {
    String first = content.strip().lines().findFirst().orElse("").strip();
    return first.length() <= MAX_TITLE ? first : first.substring(0, MAX_TITLE - 3) + "...";
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }
}
