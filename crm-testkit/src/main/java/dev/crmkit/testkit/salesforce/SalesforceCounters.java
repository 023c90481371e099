package dev.crmkit.testkit.salesforce;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the emulator has received and answered, for tests and benchmarks. Every request counts
 * under its endpoint, including ones answered with a fault, 401 or 403. Endpoints are named
 * {@code "<METHOD> <path template>"} with the version as {@code vXX.X}, for example {@value
 * #QUERY}; requests to no known endpoint count under {@value #UNKNOWN}. Thread-safe.
 */
public final class SalesforceCounters {
  /** {@code POST /services/data/vXX.X/sobjects/{sObject}}: create one record. */
  public static final String CREATE = "POST /services/data/vXX.X/sobjects/{sObject}";
  /** {@code GET /services/data/vXX.X/sobjects/{sObject}/{id}}: read one record. */
  public static final String READ = "GET /services/data/vXX.X/sobjects/{sObject}/{id}";
  /** {@code PATCH /services/data/vXX.X/sobjects/{sObject}/{id}}: update one record. */
  public static final String UPDATE = "PATCH /services/data/vXX.X/sobjects/{sObject}/{id}";
  /** {@code DELETE /services/data/vXX.X/sobjects/{sObject}/{id}}: delete one record. */
  public static final String DELETE = "DELETE /services/data/vXX.X/sobjects/{sObject}/{id}";
  /** {@code GET /services/data/vXX.X/query}: run a SOQL query. */
  public static final String QUERY = "GET /services/data/vXX.X/query";
  /** {@code GET /services/data/vXX.X/sobjects/{sObject}/{id}/{blobField}}: a blob's content (ContentVersion VersionData). */
  public static final String BLOB = "GET /services/data/vXX.X/sobjects/{sObject}/{id}/{blobField}";
  /** {@code GET /services/data/vXX.X/query/{queryLocator}}: the next page of a query. */
  public static final String QUERY_MORE = "GET /services/data/vXX.X/query/{queryLocator}";
  /** {@code GET /services/data/vXX.X/queryAll}: run a SOQL query including deleted records. */
  public static final String QUERY_ALL = "GET /services/data/vXX.X/queryAll";
  /** {@code POST /services/data/vXX.X/composite/sobjects}: create up to 200 records. */
  public static final String COLLECTION_CREATE = "POST /services/data/vXX.X/composite/sobjects";
  /** {@code PATCH /services/data/vXX.X/composite/sobjects}: update up to 200 records. */
  public static final String COLLECTION_UPDATE = "PATCH /services/data/vXX.X/composite/sobjects";
  /** {@code DELETE /services/data/vXX.X/composite/sobjects}: delete up to 200 records. */
  public static final String COLLECTION_DELETE = "DELETE /services/data/vXX.X/composite/sobjects";
  /** {@code POST /services/data/vXX.X/composite}: up to 25 subrequests as one call. */
  public static final String COMPOSITE = "POST /services/data/vXX.X/composite";
  /** {@code POST /services/Soap/u/XX.X}: a partner SOAP API call ({@code undelete}, {@code merge}). */
  public static final String SOAP = "POST /services/Soap/u/XX.X";
  /** {@code GET /services/oauth2/authorize}: the consent page. */
  public static final String OAUTH_AUTHORIZE = "GET /services/oauth2/authorize";
  /** {@code POST /services/oauth2/authorize}: the consent page's "Allow" or "Deny". */
  public static final String OAUTH_ALLOW = "POST /services/oauth2/authorize";
  /** {@code POST /services/oauth2/token}. */
  public static final String OAUTH_TOKEN = "POST /services/oauth2/token";
  /** Any request that matches no endpoint. */
  public static final String UNKNOWN = "OTHER";

  private final Map<String, LongAdder> byEndpoint = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> subrequestsByEndpoint = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> compositesByEndpoint = new ConcurrentHashMap<>();
  private final LongAdder limitExceeded = new LongAdder();

  SalesforceCounters() {}

  /**
   * @param endpoint a constant of this class, or another {@code "<METHOD> <template>"} key; not null
   * @return requests received for it since start or the last {@link #reset()}; 0 if none
   */
  public long requests(String endpoint) {
    LongAdder adder = byEndpoint.get(endpoint);
    return adder == null ? 0 : adder.sum();
  }

  /** @return a snapshot of requests per endpoint, sorted by endpoint; only endpoints with requests */
  public Map<String, Long> requestsByEndpoint() {
    Map<String, Long> snapshot = new TreeMap<>();
    byEndpoint.forEach((endpoint, adder) -> snapshot.put(endpoint, adder.sum()));
    return Collections.unmodifiableMap(snapshot);
  }

  /**
   * Subrequests of {@value #COMPOSITE} calls, by the endpoint they address (the same keys as {@link
   * #requests(String)}, for example {@value #COLLECTION_CREATE}). They are not requests: the composite
   * call is one request and one call toward the daily API usage, however many subrequests it holds.
   *
   * @param endpoint a constant of this class, or another {@code "<METHOD> <template>"} key; not null
   * @return subrequests run for it since start or the last {@link #reset()}; 0 if none
   */
  public long subrequests(String endpoint) {
    LongAdder adder = subrequestsByEndpoint.get(endpoint);
    return adder == null ? 0 : adder.sum();
  }

  /**
   * {@value #COMPOSITE} calls holding at least one subrequest addressed to {@code endpoint}: with {@value
   * #COLLECTION_CREATE}, the composite calls that created records, however many collections each held.
   *
   * @param endpoint a constant of this class, or another {@code "<METHOD> <template>"} key; not null
   * @return such composite calls since start or the last {@link #reset()}; 0 if none
   */
  public long compositeCallsWith(String endpoint) {
    LongAdder adder = compositesByEndpoint.get(endpoint);
    return adder == null ? 0 : adder.sum();
  }

  /** @return a snapshot of composite subrequests per endpoint, sorted by endpoint; only endpoints with some */
  public Map<String, Long> subrequestsByEndpoint() {
    Map<String, Long> snapshot = new TreeMap<>();
    subrequestsByEndpoint.forEach((endpoint, adder) -> snapshot.put(endpoint, adder.sum()));
    return Collections.unmodifiableMap(snapshot);
  }

  /** @return every request received since start or the last {@link #reset()} */
  public long totalRequests() {
    return byEndpoint.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** @return 403 REQUEST_LIMIT_EXCEEDED answers sent since start or the last {@link #reset()} */
  public long limitExceededResponses() {
    return limitExceeded.sum();
  }

  /** Sets every counter back to zero; the daily API usage is not a counter and is kept. */
  public void reset() {
    byEndpoint.clear();
    subrequestsByEndpoint.clear();
    compositesByEndpoint.clear();
    limitExceeded.reset();
  }

  void recordRequest(String endpoint) {
    byEndpoint.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
  }

  void recordCompositeHolding(String endpoint) {
    compositesByEndpoint.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
  }

  void recordSubrequest(String endpoint) {
    subrequestsByEndpoint.computeIfAbsent(endpoint, e -> new LongAdder()).increment();
  }

  void recordLimitExceeded() {
    limitExceeded.increment();
  }
}
