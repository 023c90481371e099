package dev.crmkit.hubspot.internal;

import dev.crmkit.http.CursorCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The hubspot provider's opaque cursors: one record per list, each decoded and checked by its
 * {@link CursorCodec} here and nowhere else. The text is format {@code hs1} of {@link CursorCodec}, the
 * one this provider has always issued, so a change-feed cursor a sync store saved stays readable. The
 * one-letter keys of the stored state are named once, in each codec's writer and reader.
 */
public final class HubSpotCursors {
  private static final String VERSION = "hs1";
  private static final Pattern OFFSET = Pattern.compile("\\d{1,9}");

  /** {@link dev.crmkit.CustomerSystem#search} cursors: {@link LiveSearch} or {@link ArchivedSearch}. */
  public static final CursorCodec<SearchCursor> SEARCH = CursorCodec.of(HubSpotApi.PROVIDER, VERSION, "search",
      HubSpotCursors::writeSearch, HubSpotCursors::readSearch);
  /** {@link dev.crmkit.CustomerSystem#changesSince} cursors. */
  public static final CursorCodec<FeedCursor> FEED = CursorCodec.of(HubSpotApi.PROVIDER, VERSION, "feed",
      c -> {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("h", c.high());
        s.put("c", new ArrayList<>(c.covered()));
        if (!c.undated().isEmpty()) {
          s.put("x", new ArrayList<>(c.undated()));
        }
        return s;
      },
      s -> new FeedCursor(s.optionalLong("h"), sorted(s.optionalStrings("c")), sorted(s.optionalStrings("x"))));
  /** {@link dev.crmkit.CustomerSystem#listNotes} cursors. */
  public static final CursorCodec<NotesCursor> NOTES = CursorCodec.of(HubSpotApi.PROVIDER, VERSION, "notes",
      c -> Map.of("a", Integer.toString(c.offset())),
      s -> {
        String a = s.requiredString("a");
        if (!OFFSET.matcher(a).matches()) {
          throw new IllegalArgumentException("a is not an offset");
        }
        return new NotesCursor(Integer.parseInt(a));
      });
  /** {@link dev.crmkit.CustomerSystem#listActivities} cursors. */
  public static final CursorCodec<ActivitiesCursor> ACTIVITIES = CursorCodec.of(HubSpotApi.PROVIDER, VERSION,
      "activities",
      c -> Map.of("t", c.until(), "s", new ArrayList<>(c.seen())),
      s -> new ActivitiesCursor(s.requiredLong("t"), sorted(s.requiredStrings("s"))));

  /** {@link dev.crmkit.CustomerSystem#listDeals} cursors. */
  public static final CursorCodec<DealsCursor> DEALS = CursorCodec.of(HubSpotApi.PROVIDER, VERSION, "deals",
      c -> Map.of("t", c.createdAt(), "i", c.id()),
      s -> new DealsCursor(s.requiredLong("t"), s.requiredLong("i")));

  private HubSpotCursors() {}

  /** Where a search goes on: among the live contacts, or in the archived list after them. */
  public sealed interface SearchCursor permits LiveSearch, ArchivedSearch {}

  /**
   * A search among the live contacts, which are read by ascending {@code lastmodifieddate}.
   *
   * @param window the {@code lastmodifieddate} (epoch ms) the next page starts at ({@code GTE}), or
   *     {@code null} on the first page
   * @param skip ids already listed at exactly {@code window}; sorted, unmodifiable
   */
  public record LiveSearch(Long window, SortedSet<String> skip) implements SearchCursor {
    /** The first page. */
    public static final LiveSearch FIRST = new LiveSearch(null, new TreeSet<>());

    public LiveSearch {
      skip = sorted(skip);
    }
  }

  /**
   * A search in the archived list ({@code includeDeleted}), after the live contacts.
   *
   * @param after HubSpot's {@code after} of the list page to read, or {@code null} for its first page
   * @param skip ids of that page already listed; sorted, unmodifiable
   */
  public record ArchivedSearch(String after, SortedSet<String> skip) implements SearchCursor {
    public ArchivedSearch {
      skip = sorted(skip);
    }
  }

  /**
   * Where the change feed goes on.
   *
   * @param high the latest change time delivered (epoch ms), or {@code null} before any
   * @param covered the changes already delivered within the overlap window, as {@code <kind>:<id>@<epoch ms>}
   *     keys ({@code u} updates, {@code d} deletions, {@code m} merges); sorted, unmodifiable
   * @param undated ids of archived contacts without {@code archivedAt} already reported; sorted, unmodifiable
   * @throws IllegalArgumentException when a covered key is not of that form
   */
  public record FeedCursor(Long high, SortedSet<String> covered, SortedSet<String> undated) {
    /** The cursor of a feed that delivered nothing yet. */
    public static final FeedCursor EMPTY = new FeedCursor(null, new TreeSet<>(), new TreeSet<>());

    public FeedCursor {
      covered = sorted(covered);
      undated = sorted(undated);
      covered.forEach(FeedCursor::time);
    }

    /** The key a change is covered under. */
    public static String key(char kind, String id, long at) {
      return kind + ":" + id + "@" + at;
    }

    /** The time (epoch ms) of a covered key. */
    public static long time(String key) {
      int colon = key.indexOf(':');
      int at = key.lastIndexOf('@');
      if (colon < 0 || at <= colon) {
        throw new IllegalArgumentException("not a change key: " + key);
      }
      return Long.parseLong(key.substring(at + 1));
    }

    /** The customer id of a covered key. */
    public static String id(String key) {
      return key.substring(key.indexOf(':') + 1, key.lastIndexOf('@'));
    }
  }

  /**
   * Where a contact's notes go on.
   *
   * @param offset how many notes were listed before, as HubSpot's search {@code after}; 0 to 999,999,999
   */
  public record NotesCursor(int offset) {
    public NotesCursor {
      if (offset < 0) {
        throw new IllegalArgumentException("offset must not be negative");
      }
    }
  }

  /**
   * Where a contact's deals go on, newest first: after the deal created at {@code createdAt} (epoch
   * ms) with id {@code id}.
   */
  public record DealsCursor(long createdAt, long id) {}

  /**
   * Where a contact's activities go on, newest first.
   *
   * @param until the time (epoch ms) of the last activity listed; the next page starts there ({@code LTE})
   * @param seen the activities listed at exactly {@code until}, as {@code <engagement ordinal>:<id>};
   *     sorted, unmodifiable
   */
  public record ActivitiesCursor(long until, SortedSet<String> seen) {
    public ActivitiesCursor {
      seen = sorted(seen);
    }
  }

  private static Map<String, Object> writeSearch(SearchCursor cursor) {
    Map<String, Object> s = new LinkedHashMap<>();
    if (cursor instanceof LiveSearch live) {
      s.put("p", "L");
      s.put("w", live.window());
      s.put("s", new ArrayList<>(live.skip()));
    } else {
      ArchivedSearch archived = (ArchivedSearch) cursor;
      s.put("p", "A");
      s.put("a", archived.after());
      s.put("s", new ArrayList<>(archived.skip()));
    }
    return s;
  }

  private static SearchCursor readSearch(CursorCodec.State s) {
    switch (s.requiredString("p")) {
      case "L":
        return new LiveSearch(s.optionalLong("w"), sorted(s.optionalStrings("s")));
      case "A":
        return new ArchivedSearch(s.optionalString("a"), sorted(s.optionalStrings("s")));
      default:
        throw new IllegalArgumentException("p is not a search phase");
    }
  }

  private static SortedSet<String> sorted(Collection<String> values) {
    Objects.requireNonNull(values, "values");
    return Collections.unmodifiableSortedSet(new TreeSet<>(values));
  }
}
