package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import okio.ByteString;

/**
 * Bulk API 2.0 ingest jobs. A job is created {@code Open}; CSV uploads are added while it is open;
 * {@code PATCH {"state":"UploadComplete"}} closes it. Processing is deterministic rather than
 * timed: the first job-info read after the upload completes answers {@code InProgress}, the next
 * one processes every row and answers {@code JobComplete} with the counts. {@code Aborted} leaves
 * every row unprocessed. Operations: insert, update and delete (by an {@code Id} column), and
 * upsert on {@code Id} (a row with an Id updates, one without inserts). In a cell, an empty value
 * leaves the field unset and {@code #N/A} sets it to null, as in Bulk API 2.0. Guarded by the
 * {@link OrgState} lock the caller holds.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm">Bulk API 2.0</a>
 */
final class BulkJobs {
  private static final List<String> OPERATIONS = List.of("insert", "update", "upsert", "delete");

  private final OrgState state;
  private final Clock clock;
  private final String apiVersion;
  private final Map<String, Job> jobs = new LinkedHashMap<>();
  private long nextJob;

  /** One job and its rows. */
  private static final class Job {
    final String id;
    final SObjectType type;
    final String operation;
    final Instant created;
    String state = "Open";
    List<String> header;
    final List<List<String>> rows = new ArrayList<>();
    final List<String> successful = new ArrayList<>();
    final List<String> failed = new ArrayList<>();
    int processed;
    int failures;

    Job(String id, SObjectType type, String operation, Instant created) {
      this.id = id;
      this.type = type;
      this.operation = operation;
      this.created = created;
    }
  }

  BulkJobs(OrgState state, Clock clock, String apiVersion) {
    this.state = state;
    this.clock = clock;
    this.apiVersion = apiVersion;
  }

  Reply create(JsonNode input) {
    SObjectType type = SObjectType.fromName(input.path("object").asText(""));
    if (type == null || !type.writable) {
      throw new SfError(400, "INVALIDENTITY", "Entity '" + input.path("object").asText("") + "' is not supported by the Bulk API.");
    }
    String operation = input.path("operation").asText("");
    if (!OPERATIONS.contains(operation)) {
      throw new SfError(400, "INVALIDJOB", "InvalidJob : Invalid operation: '" + operation + "'");
    }
    if (operation.equals("upsert") && !"Id".equalsIgnoreCase(input.path("externalIdFieldName").asText(""))) {
      throw new SfError(400, "INVALIDJOB", "InvalidJob : the emulator upserts on externalIdFieldName Id only");
    }
    String contentType = input.path("contentType").asText("CSV");
    if (!contentType.equals("CSV")) {
      throw new SfError(400, "INVALIDJOB", "InvalidJob : contentType must be CSV");
    }
    String id = SalesforceIds.of("750", ++nextJob);
    Job job = new Job(id, type, operation, clock.instant());
    jobs.put(id, job);
    return new Reply(200, info(job));
  }

  Reply upload(String jobId, ByteString body, String contentType) {
    Job job = job(jobId);
    if (!job.state.equals("Open")) {
      throw new SfError(409, "INVALIDJOBSTATE", "Job is not open for uploads: its state is " + job.state);
    }
    if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("text/csv")) {
      throw new SfError(400, "INVALIDCONTENTTYPE", "Content-Type must be text/csv");
    }
    List<List<String>> parsed = Csv.parse(body == null ? "" : new String(body.toByteArray(), StandardCharsets.UTF_8));
    if (parsed.isEmpty()) {
      throw new SfError(400, "INVALIDBATCH", "The CSV upload has no header row");
    }
    List<String> header = parsed.get(0);
    if (job.header != null && !job.header.equals(header)) {
      throw new SfError(400, "INVALIDBATCH", "Every upload of a job must have the same header row");
    }
    for (String column : header) {
      if (state.field(job.type, column) == null) {
        throw new SfError(400, "INVALIDBATCH", "Field name not found : " + column);
      }
    }
    job.header = header;
    job.rows.addAll(parsed.subList(1, parsed.size()));
    return new Reply(201, null);
  }

  Reply changeState(String jobId, JsonNode input) {
    Job job = job(jobId);
    String wanted = input.path("state").asText("");
    if (wanted.equals("UploadComplete") && job.state.equals("Open")) {
      job.state = "UploadComplete";
    } else if (wanted.equals("Aborted") && List.of("Open", "UploadComplete", "InProgress").contains(job.state)) {
      job.state = "Aborted";
    } else {
      throw new SfError(400, "INVALIDJOBSTATE", "Cannot move the job from " + job.state + " to " + wanted);
    }
    return new Reply(200, info(job));
  }

  Reply info(String jobId) {
    Job job = job(jobId);
    if (job.state.equals("InProgress")) {
      process(job);
    } else if (job.state.equals("UploadComplete")) {
      job.state = "InProgress";
    }
    return new Reply(200, info(job));
  }

  Reply results(String jobId, String which) {
    Job job = job(jobId);
    if (!List.of("JobComplete", "Failed", "Aborted").contains(job.state)) {
      throw new SfError(400, "INVALIDJOBSTATE", "Results are available once the job is complete; its state is " + job.state);
    }
    List<String> header = job.header == null ? List.of() : job.header;
    StringBuilder csv = new StringBuilder();
    switch (which) {
      case "successfulResults":
        csv.append(Csv.line(prefixed(List.of("sf__Id", "sf__Created"), header)));
        job.successful.forEach(csv::append);
        break;
      case "failedResults":
        csv.append(Csv.line(prefixed(List.of("sf__Id", "sf__Error"), header)));
        job.failed.forEach(csv::append);
        break;
      default:
        csv.append(Csv.line(header));
        if (!job.state.equals("JobComplete")) {
          job.rows.forEach(row -> csv.append(Csv.line(row)));
        }
        break;
    }
    return Reply.csv(csv.toString());
  }

  private static List<String> prefixed(List<String> first, List<String> rest) {
    List<String> all = new ArrayList<>(first);
    all.addAll(rest);
    return all;
  }

  private void process(Job job) {
    for (List<String> row : job.rows) {
      Map<String, JsonNode> fields = new LinkedHashMap<>();
      String id = null;
      for (int i = 0; i < job.header.size(); i++) {
        String column = job.header.get(i);
        String cell = i < row.size() ? row.get(i) : "";
        FieldDef field = state.field(job.type, column);
        if (field.name().equals("Id")) {
          id = cell.isEmpty() ? null : cell;
        } else if (cell.equals("#N/A")) {
          fields.put(field.name(), NullNode.getInstance());
        } else if (!cell.isEmpty()) {
          fields.put(field.name(), field.type() == FieldType.BOOLEAN && (cell.equalsIgnoreCase("true")
              || cell.equalsIgnoreCase("false")) ? BooleanNode.valueOf(Boolean.parseBoolean(cell.toLowerCase(Locale.ROOT)))
              : TextNode.valueOf(cell));
        }
      }
      job.processed++;
      try {
        SObjectRecord record;
        boolean created = false;
        switch (job.operation) {
          case "insert":
            record = state.create(job.type, fields);
            created = true;
            break;
          case "upsert":
            if (id == null) {
              record = state.create(job.type, fields);
              created = true;
            } else {
              record = state.update(job.type, requireId(job.type, id), fields);
            }
            break;
          case "update":
            record = state.update(job.type, requireId(job.type, id), fields);
            break;
          default:
            record = state.delete(job.type, requireId(job.type, id));
            break;
        }
        job.successful.add(Csv.line(prefixed(List.of(record.id, Boolean.toString(created)), row)));
      } catch (SfError error) {
        job.failures++;
        String fieldsText = error.fields == null ? "" : String.join(",", error.fields);
        String message = error.errorCode + ":" + error.getMessage() + ":" + fieldsText + " --";
        job.failed.add(Csv.line(prefixed(List.of(id == null ? "" : id, message), row)));
      }
    }
    job.state = "JobComplete";
  }

  private static String requireId(SObjectType type, String id) {
    String normalized = SalesforceIds.normalize(id);
    if (normalized == null || !normalized.startsWith(type.keyPrefix)) {
      throw SfError.field("MALFORMED_ID", type.apiName + " ID: id value of incorrect type: " + id, List.of("Id"));
    }
    return normalized;
  }

  private Job job(String jobId) {
    Job job = jobs.get(SalesforceIds.normalize(jobId));
    if (job == null) {
      throw new SfError(404, "NOT_FOUND", "The requested resource does not exist");
    }
    return job;
  }

  private ObjectNode info(Job job) {
    ObjectNode body = RestApi.MAPPER.createObjectNode();
    body.put("id", job.id);
    body.put("operation", job.operation);
    body.put("object", job.type.apiName);
    body.put("createdDate", Values.DATETIME.format(job.created));
    body.put("systemModstamp", Values.DATETIME.format(clock.instant()));
    body.put("state", job.state);
    body.put("concurrencyMode", "Parallel");
    body.put("contentType", "CSV");
    body.put("apiVersion", Double.parseDouble(apiVersion.substring(1)));
    body.put("jobType", "V2Ingest");
    body.put("contentUrl", "services/data/" + apiVersion + "/jobs/ingest/" + job.id + "/batches");
    body.put("lineEnding", "LF");
    body.put("columnDelimiter", "COMMA");
    if (job.operation.equals("upsert")) {
      body.put("externalIdFieldName", "Id");
    }
    body.put("numberRecordsProcessed", job.processed);
    body.put("numberRecordsFailed", job.failures);
    return body;
  }
}
