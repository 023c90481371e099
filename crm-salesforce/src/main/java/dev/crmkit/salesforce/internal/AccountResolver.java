package dev.crmkit.salesforce.internal;

import dev.crmkit.error.CrmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A Contact's company is the name of its Account: this finds the Account of each name, and creates
 * the missing ones. {@link #resolveAll} does it for all the names of a {@code bulkWrite} at once: SOQL
 * {@code Name IN (...)} queries of up to {@value #NAMES_PER_QUERY} names, then sObject Collections
 * creates of 200, both packed five to a composite call, so 1,000 new names cost two calls.
 *
 * <p>Names match as SOQL compares them, ignoring case; of several Accounts with one name the oldest
 * wins. Found and created ids stay in a cache of at most {@link #capacity()} names (least recently
 * used evicted), one per tenant's system. Thread-safe; not atomic: two writers resolving the same new
 * name at once can each create an Account.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_select_comparisonoperators.htm">SOQL: comparison operators (IN, case-insensitive)</a>
 */
public final class AccountResolver {
  /** Default cache capacity, in names. */
  public static final int DEFAULT_CAPACITY = 10_000;
  /** Names per {@code IN} query. */
  static final int NAMES_PER_QUERY = 200;
  /** Characters of quoted names per query, keeping the query's URL well under Salesforce's 16,384. */
  static final int QUERY_CHARS = 6_000;

  private final SalesforceApi api;
  private final BiConsumer<String, String> learned;
  private final int capacity;
  private final Map<String, String> ids;

  /**
   * @param api the org
   * @param learned told each (id, name) found or created, so reads know the Account's name
   * @param capacity names kept, at least 1
   */
  public AccountResolver(SalesforceApi api, BiConsumer<String, String> learned, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.api = api;
    this.learned = learned;
    this.capacity = capacity;
    this.ids = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
        return size() > AccountResolver.this.capacity;
      }
    };
  }

  /** Names the cache keeps. */
  public int capacity() {
    return capacity;
  }

  /** The cached id of this name, or {@code null}. */
  public String cached(String name) {
    synchronized (ids) {
      return ids.get(key(name));
    }
  }

  /**
   * The id of the Account named {@code name}: from the cache, else one query, else one create.
   *
   * @throws CrmException when Salesforce refuses the query or the create
   */
  public String resolve(String name) {
    String id = cached(name);
    if (id != null) {
      return id;
    }
    List<Map<String, Object>> rows = api.query("SELECT Id, Name FROM Account WHERE Name = " + Soql.literal(name)
        + " ORDER BY CreatedDate ASC, Id ASC LIMIT 1", false, 200).items();
    if (rows.isEmpty()) {
      id = api.create("Account", new HashMap<>(Map.of("Name", name)));
      remember(id, name);
    } else {
      // the Account's own spelling: it is the company every Contact of it reads back
      id = (String) rows.get(0).get("Id");
      remember(id, rows.get(0).get("Name") instanceof String stored ? stored : name);
    }
    return id;
  }

  /**
   * The Accounts of all these names, found or created in as few composite calls as Salesforce allows.
   *
   * @param names company names, not null; duplicates and names differing only in case are one name
   * @return each name's id or the error that kept it from one
   */
  public Resolution resolveAll(Iterable<String> names) {
    Map<String, String> spelling = new LinkedHashMap<>();
    Map<String, String> found = new HashMap<>();
    for (String name : names) {
      String id = cached(name);
      if (id != null) {
        found.put(key(name), id);
      } else {
        spelling.putIfAbsent(key(name), name);
      }
    }
    Map<String, CrmException> failed = new HashMap<>();
    if (!spelling.isEmpty()) {
      find(spelling, found, failed);
      create(spelling, found, failed);
    }
    return new Resolution(found, failed);
  }

  private void find(Map<String, String> spelling, Map<String, String> found, Map<String, CrmException> failed) {
    List<List<String>> chunks = new ArrayList<>();
    List<String> chunk = new ArrayList<>();
    int chars = 0;
    for (String name : spelling.values()) {
      int length = Soql.literal(name).length() + 2;
      if (!chunk.isEmpty() && (chunk.size() == NAMES_PER_QUERY || chars + length > QUERY_CHARS)) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
        chars = 0;
      }
      chunk.add(name);
      chars += length;
    }
    chunks.add(chunk);
    List<SalesforceApi.Subrequest> queries = chunks.stream().map(c -> SalesforceApi.Subrequest.query(
        "SELECT Id, Name FROM Account WHERE Name IN " + Soql.list(c) + " ORDER BY CreatedDate ASC, Id ASC")).toList();
    List<SalesforceApi.SubResult> results = api.composite(queries);
    for (int q = 0; q < chunks.size(); q++) {
      SalesforceApi.SubResult result = results.get(q);
      if (result.error() != null) {
        chunks.get(q).forEach(name -> failed.put(key(name), result.error()));
        continue;
      }
      List<Map<String, Object>> rows = new ArrayList<>(rows(result.map()));
      if (!Boolean.TRUE.equals(result.map().get("done")) && result.map().get("nextRecordsUrl") instanceof String next) {
        api.queryMore(next, 2000).autoPaging().forEach(rows::add);
      }
      for (Map<String, Object> row : rows) {
        if (row.get("Id") instanceof String id && row.get("Name") instanceof String name
            && spelling.containsKey(key(name)) && !found.containsKey(key(name))) {
          found.put(key(name), id);
          remember(id, name);
        }
      }
    }
  }

  private void create(Map<String, String> spelling, Map<String, String> found, Map<String, CrmException> failed) {
    List<String> missing = spelling.keySet().stream().filter(k -> !found.containsKey(k) && !failed.containsKey(k))
        .map(spelling::get).toList();
    List<SalesforceApi.Subrequest> creates = new ArrayList<>();
    for (int from = 0; from < missing.size(); from += SalesforceApi.COLLECTION_SIZE) {
      List<Map<String, Object>> records = new ArrayList<>();
      for (String name : missing.subList(from, Math.min(missing.size(), from + SalesforceApi.COLLECTION_SIZE))) {
        records.add(Map.of("attributes", Map.of("type", "Account"), "Name", name));
      }
      creates.add(SalesforceApi.Subrequest.collection(true, records));
    }
    List<SalesforceApi.SubResult> results = api.composite(creates);
    for (int c = 0; c < creates.size(); c++) {
      SalesforceApi.SubResult result = results.get(c);
      List<Map<String, Object>> saves = result.list();
      int from = c * SalesforceApi.COLLECTION_SIZE;
      for (int k = 0; from + k < Math.min(missing.size(), from + SalesforceApi.COLLECTION_SIZE); k++) {
        String name = missing.get(from + k);
        Map<String, Object> save = k < saves.size() ? saves.get(k) : Map.of();
        if (result.error() != null) {
          failed.put(key(name), result.error());
        } else if (Boolean.TRUE.equals(save.get("success")) && save.get("id") instanceof String id) {
          found.put(key(name), id);
          remember(id, name);
        } else {
          failed.put(key(name), SalesforceErrors.itemError(firstError(save), "account '" + name + "'"));
        }
      }
    }
  }

  private void remember(String id, String name) {
    synchronized (ids) {
      ids.put(key(name), id);
    }
    learned.accept(id, name);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> rows(Map<String, Object> queryResult) {
    return queryResult.get("records") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> firstError(Map<String, Object> saveResult) {
    return saveResult.get("errors") instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of("message", "no result");
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** The outcome of {@link #resolveAll}: an id or an error per name. */
  public static final class Resolution {
    private final Map<String, String> ids;
    private final Map<String, CrmException> errors;

    Resolution(Map<String, String> ids, Map<String, CrmException> errors) {
      this.ids = ids;
      this.errors = errors;
    }

    /**
     * The Account id of a name given to {@link #resolveAll}.
     *
     * @throws CrmException the error that kept this name from an Account
     * @throws IllegalArgumentException for a name that was not given
     */
    public String idOf(String name) {
      String k = key(name);
      CrmException error = errors.get(k);
      if (error != null) {
        throw error;
      }
      String id = ids.get(k);
      if (id == null) {
        throw new IllegalArgumentException("not resolved: '" + name + "'");
      }
      return id;
    }
  }
}
