package dev.crmkit.hubspot.internal;

import dev.crmkit.Page;
import dev.crmkit.error.CrmException;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.hubspot.internal.HubSpotApi.Search;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads every contact a search matches, in ascending {@code lastmodifieddate}, past HubSpot's cap on
 * the results one search query can page through (10,000): when the next {@code after} would reach the
 * cap, a new query starts a window at the last {@code lastmodifieddate} seen ({@code GTE}), and the
 * contacts already read at exactly that time are skipped. Lazy: a page is fetched when needed.
 *
 * <p>A window cannot move on when more contacts than the cap share one {@code lastmodifieddate}
 * (possible after a bulk import); the scan then fails with a {@link CrmException} saying so rather
 * than loop or skip contacts.
 *
 * <p>Not thread-safe; one scan per call.
 */
public final class ContactScan {
  /** The property the scan orders and windows by. */
  public static final String LAST_MODIFIED = "lastmodifieddate";

  private final HubSpotApi api;
  private final List<List<Filter>> groups;
  private final List<String> properties;
  private final int cap;
  private final int pageSize;
  private final Deque<Map<String, Object>> buffer = new ArrayDeque<>();
  private Long window;
  private Set<String> windowSkip;
  /** The last page read in the current window, or {@code null} when the window's first page is due. */
  private Page<Map<String, Object>> page;
  private boolean exhausted;
  private Long lastValue;
  private final Set<String> idsAtLastValue = new HashSet<>();

  /**
   * @param groups filter groups (OR of ANDs); the window filter is added to each; an empty list matches all
   * @param properties properties to read; {@code lastmodifieddate} is added
   * @param start the first window's start in epoch milliseconds ({@code GTE}), or {@code null} for none
   * @param startSkip ids at exactly {@code start} to leave out (read before); not null
   * @param cap HubSpot's result cap per query (10,000)
   */
  public ContactScan(HubSpotApi api, List<List<Filter>> groups, List<String> properties, Long start,
      Set<String> startSkip, int cap) {
    this.api = api;
    this.groups = groups;
    List<String> read = new ArrayList<>(properties);
    if (!read.contains(LAST_MODIFIED)) {
      read.add(LAST_MODIFIED);
    }
    this.properties = List.copyOf(read);
    this.cap = cap;
    this.pageSize = Math.min(HubSpotApi.SEARCH_PAGE_LIMIT, cap);
    this.window = start;
    this.windowSkip = Set.copyOf(startSkip);
  }

  /** True when another contact follows; may fetch a page. */
  public boolean hasNext() {
    while (buffer.isEmpty() && !exhausted) {
      fetch();
    }
    return !buffer.isEmpty();
  }

  /** The next contact object, as HubSpot's {@code SimplePublicObject}. */
  public Map<String, Object> next() {
    if (!hasNext()) {
      throw new java.util.NoSuchElementException();
    }
    return buffer.removeFirst();
  }

  /** A contact's {@code lastmodifieddate} in epoch milliseconds, falling back to its {@code updatedAt}. */
  public static long lastModified(Map<String, Object> contact) {
    String value = HubSpotApi.properties(contact).get(LAST_MODIFIED);
    if (value == null || value.isBlank()) {
      value = HubSpotApi.string(contact.get("updatedAt"));
    }
    String v = value.strip();
    return v.matches("-?\\d{1,18}") ? Long.parseLong(v) : Instant.parse(v).toEpochMilli();
  }

  private void fetch() {
    page = page == null ? api.searchContacts(windowSearch()) : page.next();
    for (Map<String, Object> contact : page.items()) {
      String id = HubSpotApi.string(contact.get("id"));
      long lm = lastModified(contact);
      if (lastValue == null || lm != lastValue) {
        lastValue = lm;
        idsAtLastValue.clear();
      }
      idsAtLastValue.add(id);
      if (window != null && lm == window && windowSkip.contains(id)) {
        continue;
      }
      buffer.addLast(contact);
    }
    String next = page.nextCursor();
    if (next == null) {
      exhausted = true;
    } else if (!next.matches("\\d{1,9}") || Integer.parseInt(next) >= cap) {
      if (lastValue == null || lastValue.equals(window)) {
        throw new CrmException("hubspot: more than " + cap + " contacts share lastmodifieddate "
            + (lastValue == null ? "?" : Instant.ofEpochMilli(lastValue)) + "; the search cannot page past HubSpot's "
            + "result cap. Narrow the query.", HubSpotApi.PROVIDER, 0, null, null, null);
      }
      window = lastValue;
      windowSkip = Set.copyOf(idsAtLastValue);
      page = null;
    }
  }

  /** The first page's search of the current window. */
  private Search windowSearch() {
    List<List<Filter>> query = new ArrayList<>();
    Filter from = window == null ? null : new Filter(LAST_MODIFIED, "GTE", Long.toString(window));
    for (List<Filter> g : groups.isEmpty() ? List.<List<Filter>>of(List.of()) : groups) {
      List<Filter> group = new ArrayList<>(g);
      if (from != null) {
        group.add(from);
      }
      query.add(group);
    }
    if (query.size() == 1 && query.get(0).isEmpty()) {
      query = List.of();
    }
    return new Search(query, List.of(LAST_MODIFIED), properties, pageSize, null);
  }
}
