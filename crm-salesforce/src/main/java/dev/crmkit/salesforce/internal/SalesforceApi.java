package dev.crmkit.salesforce.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.Page;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.http.ApiRequest;
import dev.crmkit.http.ApiResponse;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.RawBody;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Every Salesforce REST request is built and sent here: the versioned paths, the daily budget check
 * before and the usage header after each call, and the re-typing of errors by their Salesforce code.
 * Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_list.htm">Salesforce: REST resources</a>
 */
public final class SalesforceApi {
  /** The provider name. */
  public static final String PROVIDER = "salesforce";
  /** Records per sObject Collections call, Salesforce's maximum. */
  public static final int COLLECTION_SIZE = 200;
  /** Wait suggested after {@code REQUEST_LIMIT_EXCEEDED} for concurrent long requests (those run 20 s or more). */
  public static final Duration CONCURRENCY_RETRY = Duration.ofSeconds(20);
  /**
   * Subrequests of one composite call that may be sObject Collections or query operations, Salesforce's
   * maximum (of at most 25 subrequests in all).
   */
  public static final int COMPOSITE_COLLECTIONS_OR_QUERIES = 5;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpConnector connector;
  private final String data;
  private final ApiUsage usage;
  private final LongRequests longRequests;

  /**
   * With the default cap on long requests ({@link LongRequests#DEFAULT_MAX}).
   *
   * @param connector the connector to the org's instance URL
   * @param apiVersion such as {@code v59.0}
   * @param usage the org's daily usage
   */
  public SalesforceApi(HttpConnector connector, String apiVersion, ApiUsage usage) {
    this(connector, apiVersion, usage, new LongRequests(LongRequests.DEFAULT_MAX, LongRequests.DEFAULT_WAIT));
  }

  /**
   * @param connector the connector to the org's instance URL
   * @param apiVersion such as {@code v59.0}
   * @param usage the org's daily usage
   * @param longRequests the org's cap on concurrent long requests
   */
  public SalesforceApi(HttpConnector connector, String apiVersion, ApiUsage usage, LongRequests longRequests) {
    this.connector = connector;
    this.data = "/services/data/" + apiVersion;
    this.usage = usage;
    this.longRequests = longRequests;
  }

  /** {@code /services/data/vNN.0}. */
  public String data() {
    return data;
  }

  /** The org's usage counter. */
  public ApiUsage usage() {
    return usage;
  }

  /** The org's cap on concurrent long requests. */
  public LongRequests longRequests() {
    return longRequests;
  }

  /**
   * Sends one request: the daily usage read from {@code GET /limits} first when stale, the budget, the call,
   * the usage header, errors by code.
   */
  public ApiResponse send(ApiRequest request) {
    return guarded(() -> {
      admit();
      ApiResponse response = connector.send(request);
      usage.record(response.header(ApiUsage.HEADER));
      return response;
    });
  }

  /**
   * Sends one partner SOAP API call as {@link #send} does (budget first, errors by code), with a fault
   * re-typed by its {@code sf:} code ({@link SalesforceErrors#fault}). The caller records the usage from the
   * answer's {@code LimitInfoHeader}.
   *
   * @param request a {@code POST} of {@link #soap()} with a {@code text/xml} body
   */
  public ApiResponse sendSoap(ApiRequest request) {
    return guarded(() -> {
      admit();
      try {
        return connector.send(request);
      } catch (CrmException e) {
        throw SalesforceErrors.fault(e);
      }
    });
  }

  /** {@code /services/Soap/u/NN.0}: the partner SOAP API endpoint of this API version. */
  public String soap() {
    return "/services/Soap/u/" + data.substring("/services/data/v".length());
  }

  /** {@link #send} in a long-request slot ({@link LongRequests}): Bulk API calls, big reads. */
  public ApiResponse sendLong(ApiRequest request) {
    return longRequests.run(() -> send(request));
  }

  /**
   * {@code GET /limits}: reads {@code DailyApiRequests} into the usage. A failure other than a spent limit
   * (the call needs the "View Setup and Configuration" permission) leaves the budget to the usage headers.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_limits.htm">Salesforce: limits</a>
   */
  public void readLimits() {
    ApiResponse response;
    try {
      response = connector.send(ApiRequest.get(data + "/limits").retrySafe());
    } catch (CrmException e) {
      CrmException mapped = SalesforceErrors.map(e);
      if (mapped instanceof RateLimitedException) {
        throw limitExceeded(mapped);
      }
      usage.limitsUnavailable();
      return;
    }
    usage.record(response.header(ApiUsage.HEADER));
    if (response.json().get("DailyApiRequests") instanceof Map<?, ?> daily && daily.get("Max") instanceof Number max
        && daily.get("Remaining") instanceof Number remaining) {
      usage.recordLimits(max.longValue(), remaining.longValue());
    } else {
      usage.limitsUnavailable();
    }
  }

  private void admit() {
    if (usage.stale()) {
      readLimits();
    }
    usage.admit();
  }

  /** {@code GET /sobjects/{type}/describe}. */
  public Map<String, Object> describe(String type) {
    return send(ApiRequest.get(data + "/sobjects/" + type + "/describe").retrySafe()).json();
  }

  /**
   * {@code GET /sobjects/{type}/{id}/{field}}: the content of a blob field (ContentVersion {@code VersionData}) read
   * as UTF-8 text.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_sobject_blob_retrieve.htm">Salesforce: get blob data</a>
   */
  public String blob(String type, String id, String field) {
    return send(ApiRequest.get(data + "/sobjects/" + type + "/" + id + "/" + field).retrySafe()).body();
  }

  /** {@code POST /sobjects/{type}}: the new id. */
  public String create(String type, Map<String, Object> fields) {
    Map<String, Object> saved = send(ApiRequest.post(data + "/sobjects/" + type, fields)).json();
    return (String) saved.get("id");
  }

  /** {@code PATCH /sobjects/{type}/{id}} (Salesforce answers 204). */
  public void update(String type, String id, Map<String, Object> fields) {
    send(ApiRequest.patch(data + "/sobjects/" + type + "/" + id, fields).retrySafe());
  }

  /** {@code DELETE /sobjects/{type}/{id}}: to the recycle bin. */
  public void delete(String type, String id) {
    send(ApiRequest.delete(data + "/sobjects/" + type + "/" + id));
  }

  /**
   * {@code GET /sobjects/{type}/deleted/?start=&end=}: the org's delete log between two times (seconds are
   * ignored by Salesforce; at most 15 days back, else 400 {@code INVALID_REPLICATION_DATE}).
   *
   * @return {@code {deletedRecords: [{id, deletedDate}], earliestDateAvailable, latestDateCovered}}
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm">Salesforce: get deleted records</a>
   */
  public Map<String, Object> deleted(String type, Instant start, Instant end) {
    return send(ApiRequest.get(data + "/sobjects/" + type + "/deleted/").withQuery("start", Soql.dateTime(start))
        .withQuery("end", Soql.dateTime(end)).retrySafe()).json();
  }

  /**
   * {@code POST /jobs/ingest}: a Bulk API 2.0 ingest job for CSV with LF line ends and commas.
   *
   * @param operation {@code insert}, {@code update}, {@code upsert} or {@code delete}
   * @return the job id
   */
  public String createIngestJob(String object, String operation) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("object", object);
    body.put("operation", operation);
    body.put("contentType", "CSV");
    body.put("lineEnding", "LF");
    body.put("columnDelimiter", "COMMA");
    return (String) sendLong(ApiRequest.post(data + "/jobs/ingest", body)).json().get("id");
  }

  /** {@code PUT /jobs/ingest/{id}/batches}: the job's CSV ({@code text/csv}). */
  public void uploadIngestJob(String jobId, byte[] csv) {
    sendLong(ApiRequest.put(data + "/jobs/ingest/" + jobId + "/batches", new RawBody("text/csv", csv)));
  }

  /** {@code PATCH /jobs/ingest/{id}} state {@code UploadComplete}: the job is queued for processing. */
  public void closeIngestJob(String jobId) {
    sendLong(ApiRequest.patch(data + "/jobs/ingest/" + jobId, Map.of("state", "UploadComplete")));
  }

  /** {@code PATCH /jobs/ingest/{id}} state {@code Aborted}. */
  public void abortIngestJob(String jobId) {
    sendLong(ApiRequest.patch(data + "/jobs/ingest/" + jobId, Map.of("state", "Aborted")));
  }

  /** {@code GET /jobs/ingest/{id}}: the job info ({@code state}, {@code numberRecordsProcessed}, {@code errorMessage}, ...). */
  public Map<String, Object> ingestJob(String jobId) {
    return sendLong(ApiRequest.get(data + "/jobs/ingest/" + jobId).retrySafe()).json();
  }

  /**
   * {@code GET /jobs/ingest/{id}/successfulResults}, {@code failedResults} or {@code unprocessedrecords}: CSV text.
   */
  public String ingestJobResults(String jobId, String which) {
    return sendLong(ApiRequest.get(data + "/jobs/ingest/" + jobId + "/" + which).retrySafe()
        .withHeader("Accept", "text/csv")).body();
  }

  /**
   * {@code POST} (create) or {@code PATCH} (update) {@code /composite/sobjects} with {@code allOrNone=false}.
   *
   * @param records at most {@value #COLLECTION_SIZE}, each with {@code attributes.type} (and {@code Id} to update)
   * @return one SaveResult per record, in order: {@code {id, success, errors[]}}
   */
  public List<Map<String, Object>> collection(boolean create, List<Map<String, Object>> records) {
    if (records.size() > COLLECTION_SIZE) {
      throw new IllegalArgumentException("at most " + COLLECTION_SIZE + " records per call: " + records.size());
    }
    Map<String, Object> body = Map.of("allOrNone", false, "records", records);
    ApiRequest request = create ? ApiRequest.post(data + "/composite/sobjects", body)
        : ApiRequest.patch(data + "/composite/sobjects", body).retrySafe();
    return array(send(request));
  }

  /**
   * {@code POST /composite} with {@code allOrNone=true}: the subrequests run in order, a later one may
   * name an earlier one's result as {@code @{referenceId.id}}, and one failure rolls back them all.
   *
   * @param subrequests at most 25, each {@code {method, url, referenceId, body}}; a url is the full path
   *     from {@code /services/data/...}
   * @return the answers in order, each {@code {body, httpStatusCode, referenceId}}
   * @throws CrmException mapped by {@link SalesforceErrors} from the first subrequest that failed
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite.htm">Salesforce: composite</a>
   */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> compositeAllOrNone(List<Map<String, Object>> subrequests) {
    Map<String, Object> body = Map.of("allOrNone", true, "compositeRequest", subrequests);
    Object answers = send(ApiRequest.post(data + "/composite", body)).json().get("compositeResponse");
    List<Map<String, Object>> out = answers instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    for (Map<String, Object> answer : out) {
      if (answer.get("httpStatusCode") instanceof Number status && status.intValue() >= 400
          && answer.get("body") instanceof List<?> errors && !errors.isEmpty()
          && errors.get(0) instanceof Map<?, ?> error && !"PROCESSING_HALTED".equals(error.get("errorCode"))) {
        throw SalesforceErrors.itemError((Map<String, Object>) error, String.valueOf(answer.get("referenceId")));
      }
    }
    if (out.size() != subrequests.size()) {
      throw new CrmException("salesforce: composite answered " + out.size() + " of " + subrequests.size()
          + " subrequests", PROVIDER, 0, null, null, null);
    }
    return out;
  }

  /**
   * One subrequest of a composite call: an sObject Collections save or a query.
   *
   * @param method {@code POST}, {@code PATCH} or {@code GET}
   * @param url the path under {@link #data()} with its query string, such as {@code /composite/sobjects}
   * @param body the JSON body, or {@code null}
   */
  public record Subrequest(String method, String url, Object body) {
    /** {@code POST} (create) or {@code PATCH} (update) {@code /composite/sobjects} with {@code allOrNone=false}. */
    public static Subrequest collection(boolean create, List<Map<String, Object>> records) {
      if (records.isEmpty() || records.size() > COLLECTION_SIZE) {
        throw new IllegalArgumentException("1 to " + COLLECTION_SIZE + " records per collection: " + records.size());
      }
      return new Subrequest(create ? "POST" : "PATCH", "/composite/sobjects",
          Map.of("allOrNone", false, "records", records));
    }

    /** {@code GET /query?q=}: the SOQL is percent-encoded (spaces as {@code %20}). */
    public static Subrequest query(String soql) {
      return new Subrequest("GET", "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8).replace("+", "%20"),
          null);
    }
  }

  /**
   * One subrequest's answer.
   *
   * @param status its HTTP status
   * @param body its JSON body: a SaveResult list, a query result map, or on failure Salesforce's error list
   * @param error the error when {@code status} is 400 or more (or the standalone call failed), else {@code null}
   */
  public record SubResult(int status, Object body, CrmException error) {
    /** The body as a list of maps (sObject Collections' SaveResults). */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> list() {
      return body instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** The body as a map (a query result). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> map() {
      return body instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
  }

  /**
   * Runs the subrequests in as few {@code POST /composite} calls as Salesforce allows ({@value
   * #COMPOSITE_COLLECTIONS_OR_QUERIES} collections or queries per call, each call one call toward the
   * API limits), with {@code allOrNone=false} so a failing subrequest does not fail the others, and
   * {@code collateSubrequests=false} so they run in order. A subrequest whose body holds text with
   * {@code @{} is sent as a call of its own instead, since Salesforce would read that text as a
   * reference to another subrequest's answer.
   *
   * @param subrequests each an sObject Collections save or a query
   * @return one answer per subrequest, in order
   * @throws CrmException when a composite call fails as a whole (its subrequests unanswered)
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_composite_post.htm">Salesforce: Composite</a>
   */
  public List<SubResult> composite(List<Subrequest> subrequests) {
    SubResult[] results = new SubResult[subrequests.size()];
    List<Integer> group = new ArrayList<>();
    for (int i = 0; i < subrequests.size(); i++) {
      Subrequest sub = subrequests.get(i);
      if (holdsReference(sub.body())) {
        results[i] = standalone(sub);
        continue;
      }
      group.add(i);
      if (group.size() == COMPOSITE_COLLECTIONS_OR_QUERIES) {
        compositeCall(group, subrequests, results);
        group.clear();
      }
    }
    if (!group.isEmpty()) {
      compositeCall(group, subrequests, results);
    }
    return List.of(results);
  }

  @SuppressWarnings("unchecked")
  private void compositeCall(List<Integer> group, List<Subrequest> subrequests, SubResult[] results) {
    List<Map<String, Object>> requests = new ArrayList<>();
    boolean reads = true;
    for (int i : group) {
      Subrequest sub = subrequests.get(i);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("method", sub.method());
      r.put("url", data + sub.url());
      r.put("referenceId", "r" + i);
      if (sub.body() != null) {
        r.put("body", sub.body());
      }
      requests.add(r);
      reads &= sub.method().equals("GET");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("allOrNone", false);
    body.put("collateSubrequests", false);
    body.put("compositeRequest", requests);
    ApiRequest request = ApiRequest.post(data + "/composite", body);
    Map<String, Object> answer = send(reads ? request.retrySafe() : request).json();
    Map<String, Map<String, Object>> byReference = new LinkedHashMap<>();
    if (answer.get("compositeResponse") instanceof List<?> responses) {
      for (Object o : responses) {
        if (o instanceof Map<?, ?> m && m.get("referenceId") instanceof String ref) {
          byReference.put(ref, (Map<String, Object>) m);
        }
      }
    }
    for (int i : group) {
      Map<String, Object> response = byReference.get("r" + i);
      if (response == null) {
        results[i] = new SubResult(0, null, new CrmException("salesforce: composite answered no subrequest r" + i,
            PROVIDER, 0, null, null, null));
        continue;
      }
      int status = response.get("httpStatusCode") instanceof Number n ? n.intValue() : 0;
      Object subBody = response.get("body");
      CrmException error = null;
      if (status >= 400 || status == 0) {
        Map<String, Object> first = subBody instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m
            ? (Map<String, Object>) m : Map.of("message", "HTTP " + status);
        error = SalesforceErrors.itemError(first, subrequests.get(i).method() + " " + subrequests.get(i).url()
            .replaceFirst("\\?.*", ""));
      }
      results[i] = new SubResult(status, subBody, error);
    }
  }

  private SubResult standalone(Subrequest sub) {
    try {
      ApiRequest request = ApiRequest.of(sub.method(), data + sub.url()).withBody(sub.body());
      ApiResponse response = send(sub.method().equals("GET") ? request.retrySafe() : request);
      Object body = response.body() == null || response.body().isBlank() ? null
          : JSON.readValue(response.body(), Object.class);
      return new SubResult(response.status(), body, null);
    } catch (CrmException e) {
      return new SubResult(e.httpStatus(), null, e);
    } catch (java.io.IOException e) {
      return new SubResult(0, null, new CrmException("salesforce: unreadable answer", PROVIDER, 0, null, null, e));
    }
  }

  /** True when any text in the body contains {@code @{}, composite's reference syntax. */
  private static boolean holdsReference(Object body) {
    if (body instanceof String s) {
      return s.contains("@{");
    }
    if (body instanceof Map<?, ?> m) {
      return m.values().stream().anyMatch(SalesforceApi::holdsReference);
    }
    if (body instanceof Collection<?> c) {
      return c.stream().anyMatch(SalesforceApi::holdsReference);
    }
    return false;
  }

  /**
   * A SOQL query, auto-paging through {@code nextRecordsUrl} with crm-http's pager.
   *
   * @param soql the query; every value in it must come from {@link Soql}
   * @param all {@code queryAll} (deleted and merged rows too) instead of {@code query}
   * @param batchSize records per page, 200 to 2,000 ({@code Sforce-Query-Options: batchSize})
   */
  public Page<Map<String, Object>> query(String soql, boolean all, int batchSize) {
    ApiRequest first = ApiRequest.get(data + (all ? "/queryAll" : "/query")).withQuery("q", soql).retrySafe()
        .withHeader("Sforce-Query-Options", "batchSize=" + batchSize);
    return pageAt(first, null);
  }

  /**
   * The page at a {@code nextRecordsUrl} of an earlier query (a cursor handed to a caller).
   *
   * @param nextRecordsUrl such as {@code /services/data/v59.0/query/01gD0000002HU6KIAW-2000}
   * @param batchSize records per page
   */
  public Page<Map<String, Object>> queryMore(String nextRecordsUrl, int batchSize) {
    ApiRequest first = ApiRequest.get(data + "/query").retrySafe()
        .withHeader("Sforce-Query-Options", "batchSize=" + batchSize);
    return pageAt(first, nextRecordsUrl);
  }

  /** All rows of a query, every page read. */
  public List<Map<String, Object>> queryAllPages(String soql, boolean all) {
    List<Map<String, Object>> rows = new ArrayList<>();
    query(soql, all, 2000).autoPaging().forEach(rows::add);
    return rows;
  }

  @SuppressWarnings("unchecked")
  private Page<Map<String, Object>> pageAt(ApiRequest first, String cursor) {
    ApiRequest start = cursor == null ? first : nextPage(first, cursor);
    Page<Map<String, Object>> page = guarded(() -> longRequests.run(() -> {
      admit();
      return connector.page(start, (r, next) -> {
        admit();
        return nextPage(r, next);
      }, response -> {
        usage.record(response.header(ApiUsage.HEADER));
        Object records = response.json().get("records");
        return records instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
      }, response -> Boolean.TRUE.equals(response.json().get("done")) ? null
          : (String) response.json().get("nextRecordsUrl"));
    }));
    return mapped(page, longRequests);
  }

  /** The request of a {@code nextRecordsUrl}: its path, the first request's headers, no {@code q}. */
  private ApiRequest nextPage(ApiRequest first, String nextRecordsUrl) {
    if (!nextRecordsUrl.startsWith(data + "/query") || nextRecordsUrl.contains("?")) {
      throw new CrmException("salesforce: unexpected nextRecordsUrl '" + nextRecordsUrl + "'", PROVIDER, 0, null, null,
          null);
    }
    ApiRequest next = ApiRequest.get(nextRecordsUrl).retrySafe();
    for (Map.Entry<String, String> h : first.headers().entrySet()) {
      next = next.withHeader(h.getKey(), h.getValue());
    }
    return next;
  }

  /** The page with its later pages read in a long-request slot and their errors re-typed like {@link #send}'s. */
  private <T> Page<T> mapped(Page<T> page, LongRequests slots) {
    return new Page<>(page.items(), page.nextCursor(), c -> mapped(guarded(() -> slots.run(page::next)), slots));
  }

  private <T> T guarded(Supplier<T> call) {
    try {
      return call.get();
    } catch (CrmException e) {
      CrmException mapped = SalesforceErrors.map(e);
      throw mapped instanceof RateLimitedException && "REQUEST_LIMIT_EXCEEDED".equals(mapped.vendorCode())
          ? limitExceeded(mapped) : mapped;
    }
  }

  /**
   * {@code REQUEST_LIMIT_EXCEEDED}: for the daily total ({@code TotalRequests}) the budget is marked spent and the
   * caller told to wait {@link ApiUsage#PROBE_INTERVAL}; for concurrent long requests, {@link #CONCURRENCY_RETRY}.
   */
  private RateLimitedException limitExceeded(CrmException e) {
    boolean daily = e.getMessage() != null && e.getMessage().contains("TotalRequests");
    if (daily) {
      usage.exhausted();
    }
    return new RateLimitedException(e.getMessage(), PROVIDER, daily ? ApiUsage.PROBE_INTERVAL : CONCURRENCY_RETRY,
        e.vendorCode(), e.requestId());
  }

  /** A JSON array response (sObject Collections answer one). */
  private static List<Map<String, Object>> array(ApiResponse response) {
    try {
      return JSON.readValue(response.body(), new TypeReference<List<Map<String, Object>>>() { });
    } catch (Exception e) {
      throw new CrmException("salesforce: expected a JSON array, got " + response, PROVIDER, response.status(), null,
          null, e);
    }
  }
}
