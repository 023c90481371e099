package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerNote;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.CursorCodec;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Notes as Lightning notes (ContentNote), written as a ContentVersion with {@code PathOnClient} ending
 * {@code .snote}, {@code VersionData} the base64 of the note as HTML (each line a {@code <p>} with
 * {@code & < > " '} escaped; other characters as UTF-8) and {@code FirstPublishLocationId} the customer, which
 * makes Salesforce create the ContentDocument (the note's id, {@code 069...}) and a ContentDocumentLink to the
 * customer. What a ContentNote cannot hold is kept in four custom ContentVersion fields the org defines once
 * (Setup, Object Manager, Content Version), checked against describe on first use:
 *
 * <ul>
 *   <li>{@value #AUTHOR_FIELD} (Text 255): the author;
 *   <li>{@value #CREATED_AT_FIELD} (Date/Time): when the note was written, to the second;
 *   <li>{@value #KEY_FIELD} (Text 200, External ID): the idempotency key;
 *   <li>{@value #TEXT_FIELD} (Long Text Area 131,072): the note as plain text.
 * </ul>
 *
 * <p><b>Cost.</b> {@code VersionData} is a blob: SOQL gives its URL, not its content, so reading bodies from it
 * costs one {@code GET} per note. The plain-text copy in {@value #TEXT_FIELD} lets a page of notes cost, besides
 * the customer's read, two SOQL queries (the customer's ContentDocumentLinks, then the latest versions; one more per
 * 200 linked documents, and link pages past the first) and an add, besides the customer's read, two calls (the
 * insert, then the version's ContentDocumentId). Custom fields belong to a version, not to the document: a note
 * edited in Salesforce gets a new latest version without crmkit's fields, so it reads as a note made in Salesforce
 * (no author; the edit's {@code CreatedDate} as time; listed after crmkit's), with its body read from
 * {@code VersionData} (one {@code GET}) and turned back into text (paragraphs and line breaks to newlines, tags
 * dropped, entities decoded); its key stays on the first version, so a retry still finds it. Notes made in Salesforce have no
 * {@value #CREATED_AT_FIELD}: they are listed after crmkit's (SOQL {@code NULLS LAST}) with their
 * {@code CreatedDate} as time. Files linked to the customer that are not notes ({@code FileType} other than
 * {@code SNOTE}) are not listed.
 *
 * <p>A key is recorded once per org: the look-up (SOQL on {@value #KEY_FIELD}) and the insert run under the org's
 * {@link OrgLocks} lock of the key, so concurrent callers in this process write one note; callers in other
 * processes are not excluded. The look-up sees the versions the API user may query (its own notes; every note with
 * the Query All Files permission), so integrations sharing keys should use one API user. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentnote.htm">ContentNote</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentversion.htm">ContentVersion</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_contentdocumentlink.htm">ContentDocumentLink</a>
 */
public final class ContentNotes implements Notes {
  /** Custom ContentVersion field holding the note's author. */
  public static final String AUTHOR_FIELD = "Crmkit_Author__c";
  /** Custom ContentVersion field holding when the note was written. */
  public static final String CREATED_AT_FIELD = "Crmkit_Created_At__c";
  /** Custom ContentVersion field holding the idempotency key. */
  public static final String KEY_FIELD = "Crmkit_Idempotency_Key__c";
  /** Custom ContentVersion field holding the note as plain text. */
  public static final String TEXT_FIELD = "Crmkit_Text__c";
  /** Longest ContentVersion Title. */
  static final int MAX_TITLE = 255;
  private static final int IN_CHUNK = 200;
  private static final List<String> CUSTOM = List.of(AUTHOR_FIELD, CREATED_AT_FIELD, KEY_FIELD, TEXT_FIELD);
  private static final String SELECT = "Id, ContentDocumentId, FirstPublishLocationId, CreatedDate, IsLatest, "
      + String.join(", ", CUSTOM);

  /** Where a list page continues: after the note at this time ({@code null}: among the untimed) with this id. */
  record NoteCursor(Instant at, String afterId) {
    NoteCursor {
      if (!Soql.isId(afterId)) {
        throw new IllegalArgumentException("not a note position");
      }
    }
  }

  static final CursorCodec<NoteCursor> CURSORS = CursorCodec.of(SalesforceApi.PROVIDER, "sf1", "contentnotes",
      c -> c.at() == null ? Map.of("after", c.afterId()) : Map.of("at", c.at().toString(), "after", c.afterId()),
      s -> new NoteCursor(s.optionalString("at") == null ? null : Instant.parse(s.optionalString("at")),
          s.requiredString("after")));

  private final ContactReader reader;
  private final OrgLocks locks;
  private final Clock clock;
  private volatile boolean described;

  public ContentNotes(ContactReader reader, OrgLocks locks, Clock clock) {
    this.reader = reader;
    this.locks = locks;
    this.clock = clock;
  }

  @Override
  public CustomerNote add(String customerId, NoteDraft draft) {
    if (draft == null) {
      throw ValidationException.of("note", "null", "must not be null");
    }
    Customer customer = Notes.live(reader, customerId);
    checkFields();
    if (draft.idempotencyKey() == null) {
      return write(customer.id(), draft);
    }
    return locks.locked(List.of("note:" + draft.idempotencyKey()),
        () -> find(draft.idempotencyKey()).orElseGet(() -> write(customer.id(), draft)));
  }

  @Override
  public Page<CustomerNote> list(String customerId, PageRequest page) {
    if (page == null) {
      throw ValidationException.of("page", "null", "must not be null");
    }
    NoteCursor after = page.cursor() == null ? null : CURSORS.decode(page.cursor());
    Customer customer = Notes.existing(reader, customerId);
    checkFields();
    return page(customer.id(), page.limit(), after);
  }

  private Optional<CustomerNote> find(String key) {
    List<Map<String, Object>> rows = reader.api().query("SELECT " + SELECT + " FROM ContentVersion WHERE " + KEY_FIELD
        + " = " + Soql.literal(key) + " ORDER BY CreatedDate ASC LIMIT 1", false, 200).items();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Map<String, Object> row = rows.get(0);
    String customerId = text(row.get("FirstPublishLocationId"));
    if (!Boolean.TRUE.equals(row.get("IsLatest"))) {
      List<Map<String, Object>> latest = reader.api().query("SELECT " + SELECT + " FROM ContentVersion WHERE "
          + "ContentDocumentId = " + Soql.literal(text(row.get("ContentDocumentId"))) + " AND IsLatest = true", false,
          200).items();
      if (latest.isEmpty()) {
        return Optional.empty();
      }
      row = latest.get(0);
    }
    return Optional.of(toNote(row, customerId));
  }

  private Page<CustomerNote> page(String customerId, int limit, NoteCursor after) {
    List<String> documents = new ArrayList<>();
    for (Map<String, Object> link : reader.api().queryAllPages("SELECT ContentDocumentId FROM ContentDocumentLink "
        + "WHERE LinkedEntityId = " + Soql.literal(customerId), false)) {
      documents.add(text(link.get("ContentDocumentId")));
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < documents.size(); i += IN_CHUNK) {
      List<String> chunk = documents.subList(i, Math.min(documents.size(), i + IN_CHUNK));
      String where = "IsLatest = true AND FileType = 'SNOTE' AND ContentDocumentId IN " + Soql.list(chunk);
      if (after != null) {
        String id = Soql.literal(after.afterId());
        if (after.at() == null) {
          where += " AND " + CREATED_AT_FIELD + " = null AND ContentDocumentId < " + id;
        } else {
          String at = Soql.dateTime(after.at());
          where += " AND (" + CREATED_AT_FIELD + " < " + at + " OR (" + CREATED_AT_FIELD + " = " + at
              + " AND ContentDocumentId < " + id + ") OR " + CREATED_AT_FIELD + " = null)";
        }
      }
      rows.addAll(reader.api().query("SELECT " + SELECT + " FROM ContentVersion WHERE " + where + " ORDER BY "
          + CREATED_AT_FIELD + " DESC NULLS LAST, ContentDocumentId DESC LIMIT " + (limit + 1), false, 200).items());
    }
    rows.sort(Comparator.comparing((Map<String, Object> r) -> stamp(r), Comparator.nullsFirst(Comparator.naturalOrder()))
        .thenComparing(r -> text(r.get("ContentDocumentId"))).reversed());
    boolean more = rows.size() > limit;
    List<Map<String, Object>> shown = more ? rows.subList(0, limit) : rows;
    List<CustomerNote> items = new ArrayList<>(shown.size());
    shown.forEach(r -> items.add(toNote(r, customerId)));
    String next = null;
    if (more) {
      Map<String, Object> last = shown.get(shown.size() - 1);
      next = CURSORS.encode(new NoteCursor(stamp(last), text(last.get("ContentDocumentId"))));
    }
    return new Page<>(List.copyOf(items), next, c -> page(customerId, limit, CURSORS.decode(c)));
  }

  private CustomerNote write(String customerId, NoteDraft d) {
    Instant at = (d.createdAt() == null ? clock.instant() : d.createdAt()).truncatedTo(ChronoUnit.SECONDS);
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("Title", title(d.content()));
    f.put("PathOnClient", "crmkit-note.snote");
    f.put("VersionData", Base64.getEncoder().encodeToString(html(d.content()).getBytes(StandardCharsets.UTF_8)));
    f.put("FirstPublishLocationId", customerId);
    f.put(AUTHOR_FIELD, d.createdBy());
    f.put(CREATED_AT_FIELD, ContactMapping.dateTime(at));
    f.put(KEY_FIELD, d.idempotencyKey());
    f.put(TEXT_FIELD, d.content());
    f.values().removeIf(v -> v == null);
    String versionId = reader.api().create("ContentVersion", f);
    List<Map<String, Object>> rows = reader.api().query("SELECT ContentDocumentId FROM ContentVersion WHERE Id = "
        + Soql.literal(versionId), false, 200).items();
    if (rows.isEmpty() || text(rows.get(0).get("ContentDocumentId")) == null) {
      throw new IllegalStateException("Salesforce stored ContentVersion " + versionId + " without a ContentDocument");
    }
    return new CustomerNote(text(rows.get(0).get("ContentDocumentId")), customerId, d.content(), d.createdBy(), at);
  }

  private CustomerNote toNote(Map<String, Object> r, String customerId) {
    Instant at = stamp(r);
    if (at == null) {
      at = r.get("CreatedDate") instanceof String s ? ContactMapping.instant(s) : Instant.EPOCH;
    }
    String content = text(r.get(TEXT_FIELD));
    if (content == null) {
      content = plainText(reader.api().blob("ContentVersion", text(r.get("Id")), "VersionData"));
    }
    return new CustomerNote(text(r.get("ContentDocumentId")), customerId == null ? "" : customerId, content,
        text(r.get(AUTHOR_FIELD)), at);
  }

  private static Instant stamp(Map<String, Object> r) {
    return r.get(CREATED_AT_FIELD) instanceof String s ? ContactMapping.instant(s) : null;
  }

  /** The first line, at most {@value #MAX_TITLE} characters ("..." marks a cut). */
  static String title(String content) {
    String first = content.strip().lines().findFirst().orElse("").strip();
    return first.length() <= MAX_TITLE ? first : first.substring(0, MAX_TITLE - 3) + "...";
  }

  /** The note as ContentNote HTML: one paragraph per line, {@code & < > " '} escaped. */
  static String html(String content) {
    StringBuilder out = new StringBuilder();
    content.lines().forEach(line -> out.append("<p>").append(escape(line)).append("</p>"));
    return out.toString();
  }

  private static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>|</p\\s*>\\s*(?=<p[\\s>])");
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final Pattern ENTITY = Pattern.compile("&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);");

  /** ContentNote HTML as plain text: paragraphs and breaks as newlines, tags dropped, entities decoded. */
  static String plainText(String html) {
    String text = TAG.matcher(BREAK.matcher(html).replaceAll("\n")).replaceAll("");
    Matcher m = ENTITY.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String e = m.group(1);
      String decoded = switch (e) {
        case "amp" -> "&";
        case "lt" -> "<";
        case "gt" -> ">";
        case "quot" -> "\"";
        case "apos" -> "'";
        case "nbsp" -> "\u00a0";
        default -> new String(Character.toChars(e.startsWith("#x")
            ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1))));
      };
      m.appendReplacement(out, Matcher.quoteReplacement(decoded));
    }
    m.appendTail(out);
    return out.toString().strip();
  }

  /**
   * Checks once that ContentVersion has the four custom crmkit note fields.
   *
   * @throws ConfigurationException naming the missing ones
   */
  private void checkFields() {
    if (described) {
      return;
    }
    Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    if (reader.api().describe("ContentVersion").get("fields") instanceof List<?> fields) {
      for (Object f : fields) {
        if (f instanceof Map<?, ?> m && m.get("name") instanceof String name) {
          present.add(name);
        }
      }
    }
    Set<String> missing = new LinkedHashSet<>();
    CUSTOM.stream().filter(f -> !present.contains(f)).forEach(f -> missing.add("ContentVersion." + f));
    if (!missing.isEmpty()) {
      throw new ConfigurationException("tenant '" + reader.tenantId() + "', provider 'salesforce': notes "
          + "(noteObject=ContentNote) need the custom ContentVersion fields " + missing + " (describe); create them in "
          + "Setup, Object Manager, Content Version, or set noteObject=Note for classic notes");
    }
    described = true;
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }
}
