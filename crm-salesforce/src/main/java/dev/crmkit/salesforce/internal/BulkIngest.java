package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ServerException;
import dev.crmkit.http.Sleeper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bulkWrite} through Bulk API 2.0 ingest jobs, for large batches: creates in {@code insert} jobs, updates in
 * {@code update} jobs. Per job: {@code POST /jobs/ingest} ({@code object}, {@code operation}, {@code contentType
 * CSV}, {@code lineEnding LF}, {@code columnDelimiter COMMA}), {@code PUT /jobs/ingest/{id}/batches} with the CSV
 * ({@code text/csv}), {@code PATCH} state {@code UploadComplete}, {@code GET /jobs/ingest/{id}} polled with backoff
 * ({@link #FIRST_POLL} doubling to {@link #MAX_POLL}, {@link #MAX_WAIT} at most) until {@code JobComplete}, then
 * the {@code successfulResults}, {@code failedResults} and {@code unprocessedrecords} CSVs.
 *
 * <p>Salesforce takes at most 150 MB per upload after base64 encoding, so one job carries at most
 * {@link #MAX_UPLOAD_BYTES} of CSV (100 MB, the raw size that encodes to 150 MB); a larger batch is split into
 * several jobs, run one after the other. Result files do not keep the upload's order: each result row repeats the
 * uploaded cells, which map it back to its write (rows with identical cells are interchangeable). Successful rows
 * are read back with SOQL to report the customer as stored: {@value #READ_BACK} ids per query, five queries per
 * composite call, so 1,500 records per API call; failed rows become
 * {@code REJECTED} with their {@code sf__Error} mapped by its code; unprocessed rows are rejected too.
 *
 * <p>A job that ends {@code Failed} or {@code Aborted}, or still runs after {@link #MAX_WAIT} (it is then aborted),
 * throws a {@link ServerException} with vendor code {@code BULK_JOB_FAILED} naming the job. Every call goes through
 * the org's long-request cap. Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm">Bulk API 2.0</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_limits.htm">Bulk API 2.0 limits</a>
 */
public final class BulkIngest {
  /** Largest CSV of one job, in bytes: 150 MB after base64 encoding. */
  public static final long MAX_UPLOAD_BYTES = 100_000_000L;
  /** First wait between job status reads. */
  public static final Duration FIRST_POLL = Duration.ofSeconds(1);
  /** Longest wait between job status reads. */
  public static final Duration MAX_POLL = Duration.ofSeconds(30);
  /** Longest total wait for one job. */
  public static final Duration MAX_WAIT = Duration.ofMinutes(30);
  /** Ids per read-back query (keeps the URL well under Salesforce's 16,384-byte limit). */
  static final int READ_BACK = 300;

  private final ContactReader reader;
  private final ContactWriter writer;
  private final Sleeper sleeper;
  private final long maxUploadBytes;

  /**
   * @param sleeper waits between status reads
   * @param maxUploadBytes CSV bytes per job, at most {@link #MAX_UPLOAD_BYTES}
   */
  public BulkIngest(ContactReader reader, ContactWriter writer, Sleeper sleeper, long maxUploadBytes) {
    if (maxUploadBytes < 1 || maxUploadBytes > MAX_UPLOAD_BYTES) {
      throw new IllegalArgumentException("maxUploadBytes must be 1 to " + MAX_UPLOAD_BYTES + ": " + maxUploadBytes);
    }
    this.reader = reader;
    this.writer = writer;
    this.sleeper = sleeper;
    this.maxUploadBytes = maxUploadBytes;
  }

  /** One outcome per write, in input order. */
  public List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    reader.checkFields();
    AccountResolver.Resolution accounts = reader.accounts().resolveAll(CollectionWriter.companies(reader, writes));
    UpsertOutcome[] outcomes = new UpsertOutcome[writes.size()];
    Map<Integer, Map<String, Object>> creates = new LinkedHashMap<>();
    Map<Integer, Map<String, Object>> updates = new LinkedHashMap<>();
    for (int i = 0; i < writes.size(); i++) {
      CustomerWrite w = writes.get(i);
      try {
        if (w.isCreate()) {
          creates.put(i, writer.fields(w.draft(), accounts::idOf));
        } else {
          if (!Soql.isId(w.customerId())) {
            throw new NotFoundException(SalesforceApi.PROVIDER, "customer", w.customerId());
          }
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("Id", w.customerId());
          fields.putAll(writer.fields(w.update(), accounts::idOf));
          updates.put(i, fields);
        }
      } catch (CrmException e) {
        outcomes[i] = UpsertOutcome.rejected(i, e);
      }
    }
    run("insert", creates, outcomes);
    run("update", updates, outcomes);
    for (int i = 0; i < outcomes.length; i++) {
      if (outcomes[i] == null) {
        outcomes[i] = UpsertOutcome.rejected(i, new ServerException("salesforce: Bulk API reported no result for write "
            + i, SalesforceApi.PROVIDER, 200, "BULK_NO_RESULT", null, null));
      }
    }
    return List.of(outcomes);
  }

  /** Uploads the records in as many jobs as their size needs, and records each outcome. */
  private void run(String operation, Map<Integer, Map<String, Object>> records, UpsertOutcome[] outcomes) {
    if (records.isEmpty()) {
      return;
    }
    Set<String> columnSet = new LinkedHashSet<>();
    records.values().forEach(r -> columnSet.addAll(r.keySet()));
    List<String> columns = new ArrayList<>(columnSet);
    String header = BulkCsv.line(columns);
    StringBuilder csv = new StringBuilder(header);
    long bytes = utf8(header);
    Map<String, Deque<Integer>> rows = new HashMap<>();
    for (Map.Entry<Integer, Map<String, Object>> e : records.entrySet()) {
      List<String> cells = new ArrayList<>(columns.size());
      for (String column : columns) {
        Map<String, Object> r = e.getValue();
        cells.add(!r.containsKey(column) ? "" : r.get(column) == null ? BulkCsv.NULL : BulkCsv.cell(r.get(column)));
      }
      String line = BulkCsv.line(cells);
      long size = utf8(line);
      if (bytes + size > maxUploadBytes && !rows.isEmpty()) {
        job(operation, csv.toString(), rows, outcomes);
        csv = new StringBuilder(header);
        bytes = utf8(header);
        rows = new HashMap<>();
      }
      csv.append(line);
      bytes += size;
      rows.computeIfAbsent(key(cells), k -> new ArrayDeque<>()).add(e.getKey());
    }
    job(operation, csv.toString(), rows, outcomes);
  }

  private void job(String operation, String csv, Map<String, Deque<Integer>> rows, UpsertOutcome[] outcomes) {
    SalesforceApi api = reader.api();
    String object = reader.mapping().object();
    String jobId = api.createIngestJob(object, operation);
    api.uploadIngestJob(jobId, csv.getBytes(StandardCharsets.UTF_8));
    api.closeIngestJob(jobId);
    await(jobId);

    Map<String, Integer> saved = new LinkedHashMap<>();
    Map<String, Boolean> created = new HashMap<>();
    for (List<String> r : results(jobId, "successfulResults", 2)) {
      Integer i = take(rows, r.subList(2, r.size()));
      if (i != null && Soql.isId(r.get(0))) {
        saved.put(r.get(0), i);
        created.put(r.get(0), Boolean.parseBoolean(r.get(1)));
      }
    }
    for (List<String> r : results(jobId, "failedResults", 2)) {
      Integer i = take(rows, r.subList(2, r.size()));
      if (i != null) {
        outcomes[i] = UpsertOutcome.rejected(i, error(r.get(1), i));
      }
    }
    for (List<String> r : results(jobId, "unprocessedrecords", 0)) {
      Integer i = take(rows, r);
      if (i != null) {
        outcomes[i] = UpsertOutcome.rejected(i, new ServerException("salesforce: Bulk API job " + jobId
            + " did not process write " + i, SalesforceApi.PROVIDER, 200, "BULK_UNPROCESSED", null, null));
      }
    }
    readBack(saved, created, outcomes);
  }

  /**
   * Reads the saved records back by {@code Id IN (...)} queries of {@value #READ_BACK} ids, five queries per
   * composite call (so 1,500 records per call), and records each outcome; a query that fails rejects its ids
   * with its error, an id no query returns is rejected as not found.
   */
  private void readBack(Map<String, Integer> saved, Map<String, Boolean> created, UpsertOutcome[] outcomes) {
    if (saved.isEmpty()) {
      return;
    }
    String select = "SELECT " + reader.mapping().selectList() + " FROM " + reader.mapping().object() + " WHERE Id IN ";
    List<String> ids = new ArrayList<>(saved.keySet());
    List<List<String>> idChunks = new ArrayList<>();
    for (int from = 0; from < ids.size(); from += READ_BACK) {
      idChunks.add(ids.subList(from, Math.min(ids.size(), from + READ_BACK)));
    }
    List<SalesforceApi.SubResult> results = reader.api().composite(idChunks.stream()
        .map(c -> SalesforceApi.Subrequest.query(select + Soql.list(c))).toList());
    for (int q = 0; q < idChunks.size(); q++) {
      SalesforceApi.SubResult result = results.get(q);
      if (result.error() != null) {
        for (String id : idChunks.get(q)) {
          Integer i = saved.remove(id);
          if (i != null) {
            outcomes[i] = UpsertOutcome.rejected(i, result.error());
          }
        }
        continue;
      }
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = result.map().get("records") instanceof List<?> l
          ? (List<Map<String, Object>>) l : List.of();
      for (Customer c : reader.toCustomers(rows)) {
        Integer i = saved.remove(c.id());
        if (i != null) {
          outcomes[i] = Boolean.TRUE.equals(created.get(c.id())) ? UpsertOutcome.created(i, c, null)
              : UpsertOutcome.updated(i, c, null);
        }
      }
    }
    saved.forEach((id, i) -> outcomes[i] = UpsertOutcome.rejected(i,
        new NotFoundException(SalesforceApi.PROVIDER, "customer", id)));
  }

  /** Polls the job with backoff until it is complete. */
  private void await(String jobId) {
    Duration wait = FIRST_POLL;
    Duration waited = Duration.ZERO;
    while (true) {
      Map<String, Object> info = reader.api().ingestJob(jobId);
      String state = String.valueOf(info.get("state"));
      switch (state) {
        case "JobComplete":
          return;
        case "Failed":
        case "Aborted":
          throw new ServerException("salesforce: Bulk API job " + jobId + " ended " + state
              + (info.get("errorMessage") instanceof String m ? ": " + m : ""), SalesforceApi.PROVIDER, 200,
              "BULK_JOB_FAILED", null, null);
        default:
          if (waited.compareTo(MAX_WAIT) >= 0) {
            reader.api().abortIngestJob(jobId);
            throw new ServerException("salesforce: Bulk API job " + jobId + " still " + state + " after " + MAX_WAIT
                + "; aborted", SalesforceApi.PROVIDER, 200, "BULK_JOB_FAILED", null, null);
          }
          sleeper.sleep(wait);
          waited = waited.plus(wait);
          wait = wait.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : wait.multipliedBy(2);
      }
    }
  }

  /** The data rows of a result file (its header dropped), each at least {@code sfColumns} cells wide. */
  private List<List<String>> results(String jobId, String which, int sfColumns) {
    List<List<String>> rows = BulkCsv.parse(reader.api().ingestJobResults(jobId, which));
    List<List<String>> out = new ArrayList<>();
    for (int k = 1; k < rows.size(); k++) {
      if (rows.get(k).size() >= sfColumns) {
        out.add(rows.get(k));
      }
    }
    return out;
  }

  /**
   * An {@code sf__Error} such as {@code REQUIRED_FIELD_MISSING:Required fields are missing: [LastName]:LastName --}
   * (code, message, fields) as the exception its code maps to.
   */
  static CrmException error(String sfError, int index) {
    String text = sfError.endsWith(" --") ? sfError.substring(0, sfError.length() - 3) : sfError;
    int first = text.indexOf(':');
    int last = text.lastIndexOf(':');
    String code = first > 0 ? text.substring(0, first) : "UNKNOWN";
    String message = first > 0 && last > first ? text.substring(first + 1, last) : text.substring(Math.max(0, first + 1));
    List<String> fields = first > 0 && last > first && !text.substring(last + 1).isBlank()
        ? Arrays.stream(text.substring(last + 1).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList()
        : List.of();
    Map<String, Object> error = new HashMap<>();
    error.put("statusCode", code);
    error.put("message", message);
    error.put("fields", fields);
    return SalesforceErrors.itemError(error, "write " + index);
  }

  private static Integer take(Map<String, Deque<Integer>> rows, List<String> cells) {
    Deque<Integer> queue = rows.get(key(cells));
    return queue == null || queue.isEmpty() ? null : queue.poll();
  }

  private static String key(List<String> cells) {
    return String.join("\u0000", cells);
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
