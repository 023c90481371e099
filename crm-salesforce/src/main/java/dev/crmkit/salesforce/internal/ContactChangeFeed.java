package dev.crmkit.salesforce.internal;

import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Customer;
import dev.crmkit.CustomerChange;
import dev.crmkit.PageRequest;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.http.CursorCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link dev.crmkit.CustomerSystem#changesSince}: one SOQL {@code queryAll} per call over the customer
 * object, ordered by {@code SystemModstamp, Id}, so creates, updates, deletions (rows in the recycle bin,
 * {@code IsDeleted = true}) and merges (deleted rows with {@code MasterRecordId}) come in one ordered stream;
 * plus the org's delete log ({@code getDeleted}) for records that left the recycle bin for good.
 *
 * <h2>Positions</h2>
 * Salesforce keeps {@code SystemModstamp} in whole seconds, and a record written in a transaction that
 * commits late can carry a stamp older than rows already read. So a cursor holds three things:
 * <ul>
 *   <li>the <em>settled</em> point {@code (stamp, id)}: every row at or before it has been delivered. It never
 *       passes {@code now − overlap} ({@link #DEFAULT_OVERLAP}), the time by which a write is assumed visible;
 *   <li>the <em>delivered</em> point: the last row delivered in {@code (SystemModstamp, Id)} order;
 *   <li>the rows delivered between the two, each as {@code id@stamp#digest}, where the digest is taken over the
 *       row's fields: a record written twice in one second has one stamp but two digests, so the second write
 *       is not mistaken for the first.
 * </ul>
 * A call reads the rows after the settled point (keyset continuation: {@code SystemModstamp > t OR
 * (SystemModstamp = t AND Id > id)}), skips those already delivered, and delivers the rest up to the limit.
 * When the feed is far behind (a full pull), the settled point follows the delivered one and the cursor
 * holds no rows; while caught up, it holds the changes of the last {@code overlap}, at most
 * {@link #MAX_RECENT} (past that the oldest are settled early, accepting that a write committing more than that
 * many changes late could be missed). Each call reads one SOQL page, so a full pull streams in batches of the
 * caller's limit and never holds the whole org.
 *
 * <h2>Deletions past the recycle bin</h2>
 * Once the feed has caught up, {@code GET /sobjects/{type}/deleted/?start=&end=} lists the records deleted
 * since the last such read. Ids that {@code queryAll} no longer returns (hard-deleted, or purged from the
 * recycle bin) are reported as {@link ChangeType#DELETED} with a customer holding only the id and the
 * deletion time; the others already come through the stream. The delete log reaches back
 * {@value #DELETE_LOG_DAYS} days: a cursor older than that ({@code INVALID_REPLICATION_DATE}) skips it and
 * relies on the stream alone, whose {@code queryAll} still reports what is in the recycle bin.
 *
 * <p>Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_queryall.htm">Salesforce: queryAll</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm">Salesforce: get deleted records</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/system_fields.htm">Salesforce: system fields</a>
 */
public final class ContactChangeFeed {
  /** How far behind the clock a write may become visible; the settled point stays this far back. */
  public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(5);
  /** Most delivered rows a cursor remembers within the overlap. */
  public static final int MAX_RECENT = 1_000;
  /** How far back {@code getDeleted} reaches. */
  public static final int DELETE_LOG_DAYS = 15;

  private static final Pattern RECENT_KEY = Pattern.compile("([A-Za-z0-9]{15,18})@(\\d{1,12})#([0-9a-f]{16})");

  /**
   * Where a feed stands.
   *
   * @param settledAt stamp (epoch seconds) of the settled point, or null before any
   * @param settledId id of the settled point; empty for "before every row of that second"
   * @param deliveredAt stamp (epoch seconds) of the last row delivered, or null
   * @param deliveredId its id
   * @param recent rows delivered after the settled point, {@code id@seconds#digest}
   * @param deletedThrough end (epoch seconds) of the last delete-log read, or null before any
   * @param hardDeleted ids reported from the delete log after {@code deletedThrough}, when one read did not fit a batch
   */
  record FeedCursor(Long settledAt, String settledId, Long deliveredAt, String deliveredId, SortedSet<String> recent,
      Long deletedThrough, SortedSet<String> hardDeleted) {
    static final FeedCursor START = new FeedCursor(null, "", null, "", new TreeSet<>(), null, new TreeSet<>());

    FeedCursor {
      if ((settledAt == null) != (deliveredAt == null) || settledId == null || deliveredId == null) {
        throw new IllegalArgumentException("incomplete position");
      }
      if (!settledId.isEmpty() && !Soql.isId(settledId) || !deliveredId.isEmpty() && !Soql.isId(deliveredId)) {
        throw new IllegalArgumentException("not a record id");
      }
      recent.forEach(k -> {
        if (!RECENT_KEY.matcher(k).matches()) {
          throw new IllegalArgumentException("malformed key");
        }
      });
      hardDeleted.forEach(id -> {
        if (!Soql.isId(id)) {
          throw new IllegalArgumentException("not a record id");
        }
      });
      recent = new TreeSet<>(recent);
      hardDeleted = new TreeSet<>(hardDeleted);
    }
  }

  static final CursorCodec<FeedCursor> CURSORS = CursorCodec.of(SalesforceApi.PROVIDER, "sf1", "feed", c -> {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("st", c.settledAt());
    s.put("si", c.settledId());
    s.put("dt", c.deliveredAt());
    s.put("di", c.deliveredId());
    s.put("r", new ArrayList<>(c.recent()));
    s.put("dl", c.deletedThrough());
    s.put("hd", new ArrayList<>(c.hardDeleted()));
    return s;
  }, s -> new FeedCursor(s.optionalLong("st"), s.requiredString("si"), s.optionalLong("dt"), s.requiredString("di"),
      new TreeSet<>(s.optionalStrings("r")), s.optionalLong("dl"), new TreeSet<>(s.optionalStrings("hd"))));

  /** A row's place in {@code (SystemModstamp, Id)} order; an empty id sorts before every id of its second. */
  /**
   * A row's place in the stream's order, {@code ORDER BY SystemModstamp, Id}. Salesforce sorts text, Ids included,
   * case-insensitively, so ids compare ignoring case here too (the 18-character form is unique that way); the
   * case-sensitive comparison only breaks ties of 15-character ids.
   */
  private record Point(long at, String id) implements Comparable<Point> {
    @Override
    public int compareTo(Point o) {
      int c = Long.compare(at, o.at);
      if (c != 0) {
        return c;
      }
      c = id.compareToIgnoreCase(o.id);
      return c != 0 ? c : id.compareTo(o.id);
    }
  }

  private final ContactReader reader;
  private final Clock clock;
  private final Duration overlap;

  /**
   * @param reader the customer reader
   * @param clock for {@code now − overlap}
   * @param overlap how long a write may take to become visible; at least one second
   */
  public ContactChangeFeed(ContactReader reader, Clock clock, Duration overlap) {
    if (overlap.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("overlap must be at least one second: " + overlap);
    }
    this.reader = reader;
    this.clock = clock;
    this.overlap = overlap;
  }

  /** One change with the key the cursor remembers it by. */
  private record Delivered(CustomerChange change, Point point, String key) {}

  /**
   * The changes after a cursor, oldest first (delete-log entries last in their batch).
   *
   * @param cursor a feed cursor, or {@code null} for every record
   * @param limit most changes, 1 to {@link PageRequest#MAX_LIMIT}
   * @throws ValidationException naming {@code limit} out of range, or {@code cursor} not issued by this feed
   */
  public ChangeBatch changesSince(String cursor, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw ValidationException.of("limit", Integer.toString(limit), "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    FeedCursor from = cursor == null ? FeedCursor.START : CURSORS.decode(cursor);
    reader.checkFields();
    Instant now = clock.instant();
    Point settled = from.settledAt() == null ? null : new Point(from.settledAt(), from.settledId());
    Point delivered = from.deliveredAt() == null ? null : new Point(from.deliveredAt(), from.deliveredId());
    Map<String, Point> recent = new TreeMap<>();
    from.recent().forEach(k -> recent.put(k, pointOf(k)));

    List<Delivered> out = new ArrayList<>();
    boolean more = false;
    boolean scanEnded = true;
    Iterator<Map<String, Object>> rows = reader.api().query(soql(settled, limit + recent.size() + 1), true,
        Math.max(200, Math.min(2000, limit + recent.size() + 1))).autoPaging().iterator();
    List<Map<String, Object>> fresh = new ArrayList<>();
    while (rows.hasNext()) {
      Map<String, Object> row = rows.next();
      Point p = new Point(seconds(row.get("SystemModstamp")), (String) row.get("Id"));
      String key = p.id() + "@" + p.at() + "#" + digest(row);
      if (delivered != null && p.compareTo(delivered) <= 0 && recent.containsKey(key)) {
        continue;
      }
      if (fresh.size() == limit) {
        more = true;
        scanEnded = false;
        break;
      }
      fresh.add(row);
    }
    List<Customer> customers = reader.toCustomers(fresh);
    Set<String> recentIds = new HashSet<>();
    recent.values().forEach(p -> recentIds.add(p.id()));
    for (int i = 0; i < fresh.size(); i++) {
      Map<String, Object> row = fresh.get(i);
      Customer c = customers.get(i);
      Point p = new Point(seconds(row.get("SystemModstamp")), c.id());
      out.add(new Delivered(change(c, row, settled, recentIds), p, p.id() + "@" + p.at() + "#" + digest(row)));
    }

    Point newDelivered = delivered;
    for (Delivered d : out) {
      if (newDelivered == null || d.point().compareTo(newDelivered) > 0) {
        newDelivered = d.point();
      }
    }
    // Everything up to the last row delivered was delivered (or skipped as delivered before); when the scan
    // ended, everything it saw was. The settled point never passes now − overlap.
    Point scanned = out.isEmpty() ? (scanEnded ? newDelivered : settled) : out.get(out.size() - 1).point();
    if (scanEnded && newDelivered != null && (scanned == null || newDelivered.compareTo(scanned) > 0)) {
      scanned = newDelivered;
    }
    Point horizon = new Point(now.minus(overlap).truncatedTo(ChronoUnit.SECONDS).getEpochSecond(), "");
    Point newSettled = scanned == null ? settled : min(scanned, horizon);
    if (settled != null && (newSettled == null || newSettled.compareTo(settled) < 0)) {
      newSettled = settled;
    }
    TreeMap<String, Point> nextRecent = new TreeMap<>();
    recent.forEach((k, p) -> nextRecent.put(k, p));
    out.forEach(d -> nextRecent.put(d.key(), d.point()));
    final Point settledNow = newSettled;
    nextRecent.values().removeIf(p -> settledNow != null && p.compareTo(settledNow) <= 0);
    if (nextRecent.size() > MAX_RECENT) {
      List<Map.Entry<String, Point>> byPoint = new ArrayList<>(nextRecent.entrySet());
      byPoint.sort(Map.Entry.comparingByValue());
      newSettled = byPoint.get(byPoint.size() - MAX_RECENT - 1).getValue();
      final Point capped = newSettled;
      nextRecent.values().removeIf(p -> p.compareTo(capped) <= 0);
    }

    Long deletedThrough = from.deletedThrough();
    SortedSet<String> hardDeleted = from.hardDeleted();
    if (!more) {
      DeleteLogRead read = readDeleteLog(from, now, limit - out.size());
      out.addAll(read.changes());
      deletedThrough = read.through();
      hardDeleted = read.reported();
      more = read.more();
    }
    if (out.isEmpty() && cursor != null && Objects.equals(deletedThrough, from.deletedThrough())) {
      return new ChangeBatch(List.of(), cursor, false);
    }
    FeedCursor next = new FeedCursor(newSettled == null ? null : newSettled.at(), newSettled == null ? "" : newSettled.id(),
        newDelivered == null ? null : newDelivered.at(), newDelivered == null ? "" : newDelivered.id(),
        new TreeSet<>(nextRecent.keySet()), deletedThrough, hardDeleted);
    return new ChangeBatch(out.stream().map(Delivered::change).toList(), CURSORS.encode(next), more);
  }

  private record DeleteLogRead(List<Delivered> changes, Long through, SortedSet<String> reported, boolean more) {}

  /** Hard deletions from the delete log since the last read, up to {@code room} of them. */
  private DeleteLogRead readDeleteLog(FeedCursor from, Instant now, int room) {
    Instant end = now.truncatedTo(ChronoUnit.MINUTES);
    Long through = from.deletedThrough();
    if (through == null || Instant.ofEpochSecond(through).isBefore(now.minus(Duration.ofDays(DELETE_LOG_DAYS))
        .plus(Duration.ofMinutes(1)))) {
      // First call (the stream reports the recycle bin), or older than the log: start the log from now.
      return new DeleteLogRead(List.of(), end.getEpochSecond(), new TreeSet<>(), false);
    }
    if (!end.isAfter(Instant.ofEpochSecond(through))) {
      return new DeleteLogRead(List.of(), through, from.hardDeleted(), false);
    }
    Map<String, Object> log;
    try {
      log = reader.api().deleted(reader.mapping().object(), Instant.ofEpochSecond(through), end);
    } catch (CrmException e) {
      if ("INVALID_REPLICATION_DATE".equals(e.vendorCode())) {
        return new DeleteLogRead(List.of(), end.getEpochSecond(), new TreeSet<>(), false);
      }
      throw e;
    }
    Map<String, Instant> deleted = new TreeMap<>();
    if (log.get("deletedRecords") instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> m && m.get("id") instanceof String id && Soql.isId(id)
            && !from.hardDeleted().contains(id)) {
          Instant at = ContactMapping.instant(m.get("deletedDate"));
          deleted.put(id, at == null ? end : at);
        }
      }
    }
    Instant covered = ContactMapping.instant(log.get("latestDateCovered"));
    long newThrough = covered == null ? end.getEpochSecond() : covered.getEpochSecond();
    if (!deleted.isEmpty()) {
      // Records still in the recycle bin come through the stream; only the ones queryAll lost are reported here.
      List<String> ids = new ArrayList<>(deleted.keySet());
      for (int i = 0; i < ids.size(); i += 200) {
        List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 200));
        for (Map<String, Object> r : reader.api().queryAllPages("SELECT Id FROM " + reader.mapping().object()
            + " WHERE Id IN " + Soql.list(chunk), true)) {
          deleted.keySet().removeIf(id -> id.regionMatches(0, (String) r.get("Id"), 0, 15));
        }
      }
    }
    List<Map.Entry<String, Instant>> gone = new ArrayList<>(deleted.entrySet());
    gone.sort(Map.Entry.<String, Instant>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
    List<Delivered> changes = new ArrayList<>();
    SortedSet<String> reported = new TreeSet<>(from.hardDeleted());
    for (Map.Entry<String, Instant> e : gone) {
      if (changes.size() == room) {
        return new DeleteLogRead(changes, through, reported, true);
      }
      Instant at = e.getValue();
      Customer stub = Customer.builder().id(e.getKey()).tenantId(reader.tenantId()).createdAt(at).updatedAt(at)
          .deletedAt(at).build();
      changes.add(new Delivered(new CustomerChange(ChangeType.DELETED, e.getKey(), stub, at, null),
          new Point(at.getEpochSecond(), e.getKey()), null));
      reported.add(e.getKey());
    }
    return new DeleteLogRead(changes, newThrough, new TreeSet<>(), false);
  }

  private String soql(Point settled, int rowLimit) {
    String where = "";
    if (settled != null) {
      String t = Soql.dateTime(Instant.ofEpochSecond(settled.at()));
      where = settled.id().isEmpty() ? " WHERE SystemModstamp >= " + t
          : " WHERE (SystemModstamp > " + t + " OR (SystemModstamp = " + t + " AND Id > " + Soql.literal(settled.id()) + "))";
    }
    return "SELECT " + reader.mapping().selectList() + " FROM " + reader.mapping().object() + where
        + " ORDER BY SystemModstamp ASC, Id ASC LIMIT " + rowLimit;
  }

  /**
   * Created when the cursor never delivered the record: on the first pull, or created after the settled point
   * and not among the rows delivered since; deleted (merged when {@code MasterRecordId} is set) for a row in
   * the recycle bin; updated otherwise.
   */
  private static CustomerChange change(Customer c, Map<String, Object> row, Point settled, Set<String> recentIds) {
    Instant at = Instant.ofEpochSecond(seconds(row.get("SystemModstamp")));
    if (Boolean.TRUE.equals(row.get("IsDeleted"))) {
      String master = row.get("MasterRecordId") instanceof String m && !m.isBlank() ? m : null;
      return new CustomerChange(ChangeType.DELETED, c.id(), c, at, master);
    }
    boolean created = settled == null || c.createdAt() != null && !recentIds.contains(c.id())
        && new Point(c.createdAt().getEpochSecond(), c.id()).compareTo(settled) > 0;
    return new CustomerChange(created ? ChangeType.CREATED : ChangeType.UPDATED, c.id(), c, at, null);
  }

  private static Point min(Point a, Point b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static Point pointOf(String key) {
    Matcher m = RECENT_KEY.matcher(key);
    if (!m.matches()) {
      throw new IllegalStateException("validated by the cursor");
    }
    return new Point(Long.parseLong(m.group(2)), m.group(1));
  }

  private static long seconds(Object stamp) {
    Instant at = ContactMapping.instant(stamp);
    if (at == null) {
      throw new CrmException("salesforce: a row without SystemModstamp", SalesforceApi.PROVIDER, 0, null, null, null);
    }
    return at.getEpochSecond();
  }

  /** 64 bits of SHA-256 over the row's fields in name order (the {@code attributes} entry left out). */
  static String digest(Map<String, Object> row) {
    TreeMap<String, Object> sorted = new TreeMap<>(row);
    sorted.remove("attributes");
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(sorted.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return "ContactChangeFeed[overlap=" + overlap + "]";
  }
}
