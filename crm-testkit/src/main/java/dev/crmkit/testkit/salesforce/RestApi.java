package dev.crmkit.testkit.salesforce;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * The REST resources on the org's records: sObject CRUD, describe, query and queryAll with
 * paging, get updated and get deleted, limits, sObject Collections and composite. Thread-safe:
 * each request holds the {@link OrgState} lock for its whole run, so a collection or composite
 * request is one transaction that can roll back.
 */
final class RestApi {
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final int COLLECTION_MAX = 200;
  static final int COMPOSITE_MAX = 25;
  /** Subrequests of one composite that may be sObject Collections or query operations. */
  static final int COMPOSITE_COLLECTIONS_OR_QUERIES_MAX = 5;
  static final Duration UPDATED_WINDOW = Duration.ofDays(30);
  static final Duration DELETED_WINDOW = Duration.ofDays(15);
  static final Duration LOCATOR_IDLE = Duration.ofMinutes(15);

  private final OrgState state;
  private final Clock clock;
  private SalesforceCounters counters;
  private final String apiVersion;
  private final int pageSize;
  private final ApiUsage usage;
  private final BulkJobs bulk;
  private final Map<String, Cursor> cursors = new LinkedHashMap<>();
  private long nextLocator;

  /** An open query's remaining rows, by locator. */
  private static final class Cursor {
    final List<ObjectNode> rows;
    final boolean all;
    Instant lastUsed;

    Cursor(List<ObjectNode> rows, boolean all, Instant lastUsed) {
      this.rows = rows;
      this.all = all;
      this.lastUsed = lastUsed;
    }
  }

  RestApi(OrgState state, Clock clock, String apiVersion, int pageSize, ApiUsage usage) {
    this.state = state;
    this.clock = clock;
    this.apiVersion = apiVersion;
    this.pageSize = pageSize;
    this.usage = usage;
    this.bulk = new BulkJobs(state, clock, apiVersion);
  }

  /**
   * @param batchSizeHeader the {@code Sforce-Query-Options} header, or null
   * @throws SfError for every Salesforce error answer
   */
  Reply serve(Route route, HttpUrl url, ByteString body, String batchSizeHeader, String contentType) {
    synchronized (state) {
      switch (route.op()) {
        case VERSIONS:
          return versions();
        case RESOURCES:
          return resources(route.version());
        case LIMITS:
          return limits();
        case DESCRIBE_GLOBAL:
          return describeGlobal();
        case DESCRIBE:
          return new Reply(200, describe(type(route.params().get(0))));
        case CREATE:
          return create(type(route.params().get(0)), object(body));
        case READ:
          return read(type(route.params().get(0)), route.params().get(1), url.queryParameter("fields"));
        case UPDATE:
          SObjectType updated = type(route.params().get(0));
          state.update(updated, requireId(updated, route.params().get(1)), fields(object(body)));
          return Reply.noContent();
        case DELETE:
          SObjectType deleted = type(route.params().get(0));
          state.delete(deleted, requireId(deleted, route.params().get(1)));
          return Reply.noContent();
        case BLOB:
          return blob(type(route.params().get(0)), route.params().get(1), route.params().get(2));
        case UPDATED:
          return updated(type(route.params().get(0)), url);
        case DELETED:
          return deleted(type(route.params().get(0)), url);
        case QUERY:
        case QUERY_ALL:
          return query(url.queryParameter("q"), route.op() == Route.Op.QUERY_ALL, batchSize(batchSizeHeader));
        case QUERY_MORE:
        case QUERY_ALL_MORE:
          return queryMore(route.params().get(0), batchSize(batchSizeHeader));
        case COLLECTION_CREATE:
          return collectionSave(object(body), true);
        case COLLECTION_UPDATE:
          return collectionSave(object(body), false);
        case COLLECTION_DELETE:
          return collectionDelete(url);
        case COMPOSITE:
          return composite(object(body), batchSizeHeader);
        case BULK_CREATE:
          return bulk.create(object(body));
        case BULK_UPLOAD:
          return bulk.upload(route.params().get(0), body, contentType);
        case BULK_STATE:
          return bulk.changeState(route.params().get(0), object(body));
        case BULK_INFO:
          return bulk.info(route.params().get(0));
        case BULK_RESULTS:
          return bulk.results(route.params().get(0), route.params().get(1));
        default:
          throw SfError.notFound();
      }
    }
  }

  // ---- resources, limits, describe

  private Reply versions() {
    ArrayNode list = MAPPER.createArrayNode();
    ObjectNode entry = list.addObject();
    entry.put("label", "Winter '24");
    entry.put("url", "/services/data/" + apiVersion);
    entry.put("version", apiVersion.substring(1));
    return new Reply(200, list);
  }

  private Reply resources(String version) {
    ObjectNode body = MAPPER.createObjectNode();
    for (String name : List.of("limits", "query", "queryAll", "sobjects", "composite", "jobs")) {
      body.put(name, "/services/data/" + version + "/" + name);
    }
    return new Reply(200, body);
  }

  private Reply limits() {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode daily = body.putObject("DailyApiRequests");
    daily.put("Max", usage.max());
    daily.put("Remaining", Math.max(0, usage.max() - usage.used()));
    ObjectNode bulkJobs = body.putObject("DailyBulkV2QueryJobs");
    bulkJobs.put("Max", 10_000);
    bulkJobs.put("Remaining", 10_000);
    return new Reply(200, body);
  }

  private Reply describeGlobal() {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("encoding", "UTF-8");
    body.put("maxBatchSize", COLLECTION_MAX);
    ArrayNode list = body.putArray("sobjects");
    for (SObjectType type : SObjectType.values()) {
      ObjectNode entry = list.addObject();
      entry.put("name", type.apiName);
      entry.put("label", type.apiName);
      entry.put("keyPrefix", type.keyPrefix);
      entry.put("createable", type.writable);
      entry.put("updateable", type.writable);
      entry.put("deletable", type.writable);
      entry.put("queryable", true);
      entry.putObject("urls").put("sobject", "/services/data/" + apiVersion + "/sobjects/" + type.apiName);
    }
    return new Reply(200, body);
  }

  private ObjectNode describe(SObjectType type) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("name", type.apiName);
    body.put("label", type.apiName);
    body.put("keyPrefix", type.keyPrefix);
    body.put("createable", type.writable);
    body.put("updateable", type.writable);
    body.put("deletable", type.writable);
    body.put("queryable", true);
    body.put("undeletable", type.writable);
    body.put("mergeable", state.field(type, "MasterRecordId") != null);
    ArrayNode fields = body.putArray("fields");
    for (FieldDef field : state.fields(type)) {
      if (!state.has(field)) {
        continue;
      }
      ObjectNode node = fields.addObject();
      node.put("name", field.name());
      node.put("label", field.label());
      node.put("type", field.type().describeName);
      node.put("length", field.length());
      node.put("nillable", field.nillable());
      node.put("createable", type.writable && field.writable());
      node.put("updateable", type.writable && field.writable());
      node.put("defaultedOnCreate", field.defaultValue() != null || !field.writable());
      node.put("custom", field.name().endsWith("__c"));
      node.put("unique", SObjectType.uniqueExternalId(type, field));
      node.put("externalId", SObjectType.uniqueExternalId(type, field));
      node.put("precision", field.type() == FieldType.CURRENCY ? 18 : 0);
      node.put("scale", field.type() == FieldType.CURRENCY ? 2 : 0);
      ArrayNode referenceTo = node.putArray("referenceTo");
      field.referenceTo().forEach(referenceTo::add);
      ArrayNode picklist = node.putArray("picklistValues");
      for (FieldDef.PicklistValue value : field.picklist()) {
        ObjectNode entry = picklist.addObject();
        entry.put("active", true);
        entry.put("defaultValue", value.defaultValue());
        entry.put("label", value.value());
        entry.putNull("validFor");
        entry.put("value", value.value());
      }
      node.put("restrictedPicklist", !field.picklist().isEmpty());
    }
    ObjectNode urls = body.putObject("urls");
    urls.put("sobject", "/services/data/" + apiVersion + "/sobjects/" + type.apiName);
    urls.put("describe", "/services/data/" + apiVersion + "/sobjects/" + type.apiName + "/describe");
    urls.put("rowTemplate", "/services/data/" + apiVersion + "/sobjects/" + type.apiName + "/{ID}");
    return body;
  }

  // ---- one record

  private Reply create(SObjectType type, JsonNode input) {
    if (input.has("Id") || input.has("id")) {
      throw SfError.field("INVALID_FIELD", "Cannot specify Id in an insert call", List.of("Id"));
    }
    SObjectRecord record = state.create(type, fields(input));
    return new Reply(201, saveResult(record.id), null, null,
        Map.of("Location", "/services/data/" + apiVersion + "/sobjects/" + type.apiName + "/" + record.id));
  }

  private Reply read(SObjectType type, String id, String fieldList) {
    SObjectRecord record = state.find(requireId(type, id));
    if (record == null || record.type != type || record.deleted()) {
      throw SfError.notFound();
    }
    List<FieldDef> fields = new ArrayList<>();
    if (fieldList == null || fieldList.isBlank()) {
      fields.addAll(state.fields(type));
    } else {
      for (String name : fieldList.split(",")) {
        FieldDef field = state.field(type, name.trim());
        if (field == null) {
          throw new SfError(400, "INVALID_FIELD", "No such column '" + name.trim() + "' on sobject of type " + type.apiName);
        }
        fields.add(field);
      }
    }
    return new Reply(200, render(record, fields));
  }

  /**
   * {@code GET /sobjects/{type}/{id}/{field}} of a base64 field (ContentVersion {@code VersionData}): the
   * decoded bytes, served as {@code application/octet-stream}. The emulator hands the bytes to the HTTP layer
   * as UTF-8 text, so it serves text content (notes) exactly and is not meant for arbitrary binary files.
   */
  private Reply blob(SObjectType type, String id, String fieldName) {
    FieldDef field = state.field(type, fieldName);
    if (field == null || field.type() != FieldType.BASE64) {
      throw SfError.notFound();
    }
    SObjectRecord record = state.find(requireId(type, id));
    if (record == null || record.type != type || record.deleted()) {
      throw SfError.notFound();
    }
    Object data = record.get(field.name());
    byte[] bytes = data == null ? new byte[0] : java.util.Base64.getMimeDecoder().decode((String) data);
    return new Reply(200, null, new String(bytes, java.nio.charset.StandardCharsets.UTF_8), "application/octet-stream",
        Map.of());
  }

  /**
   * @return the 18-character id
   * @throws SfError 404 NOT_FOUND when {@code id} is not an id: Salesforce then reads it as an
   *     external id field name; 400 MALFORMED_ID when it is an id of another object type
   */
  private static String requireId(SObjectType type, String id) {
    String normalized = SalesforceIds.normalize(id);
    if (normalized == null) {
      throw new SfError(404, "NOT_FOUND", "Provided external ID field does not exist or is not accessible: " + id);
    }
    if (!normalized.startsWith(type.keyPrefix)) {
      throw SfError.field("MALFORMED_ID", type.apiName + " ID: id value of incorrect type: " + id, List.of("Id"));
    }
    return normalized;
  }

  ObjectNode render(SObjectRecord record, List<FieldDef> fields) {
    ObjectNode node = MAPPER.createObjectNode();
    ObjectNode attributes = node.putObject("attributes");
    attributes.put("type", record.type.apiName);
    attributes.put("url", "/services/data/" + apiVersion + "/sobjects/" + record.type.apiName + "/" + record.id);
    for (FieldDef field : fields) {
      if (field.type() == FieldType.BASE64) {
        // Salesforce answers a blob field with the URL of its content, never the bytes.
        node.put(field.name(), "/services/data/" + apiVersion + "/sobjects/" + record.type.apiName + "/" + record.id
            + "/" + field.name());
      } else {
        node.set(field.name(), Values.toJson(record.get(field.name())));
      }
    }
    return node;
  }

  private static ObjectNode saveResult(String id) {
    ObjectNode result = MAPPER.createObjectNode();
    result.put("id", id);
    result.put("success", true);
    result.putArray("errors");
    return result;
  }

  // ---- query

  private Reply query(String soql, boolean all, int batchSize) {
    SoqlQuery query = Soql.parse(soql, clock, state);
    List<SObjectRecord> rows = query.run(state.all(query.type(), all));
    ObjectNode body = MAPPER.createObjectNode();
    if (query.count()) {
      body.put("totalSize", rows.size());
      body.put("done", true);
      body.putArray("records");
      return new Reply(200, body);
    }
    List<ObjectNode> rendered = new ArrayList<>(rows.size());
    rows.forEach(row -> rendered.add(render(row, query.fields())));
    return new Reply(200, page(rendered, 0, rendered.size(), all, batchSize, null));
  }

  private Reply queryMore(String locatorAndOffset, int batchSize) {
    int dash = locatorAndOffset.lastIndexOf('-');
    Cursor cursor = dash < 0 ? null : cursors.get(locatorAndOffset.substring(0, dash));
    int offset = -1;
    if (cursor != null) {
      try {
        offset = Integer.parseInt(locatorAndOffset.substring(dash + 1));
      } catch (NumberFormatException e) {
        offset = -1;
      }
    }
    Instant now = clock.instant();
    if (cursor == null || offset < 0 || offset > cursor.rows.size()
        || now.isAfter(cursor.lastUsed.plus(LOCATOR_IDLE))) {
      throw new SfError(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
    cursor.lastUsed = now;
    String locator = locatorAndOffset.substring(0, dash);
    return new Reply(200, page(cursor.rows, offset, cursor.rows.size(), cursor.all, batchSize, locator));
  }

  /** One page from {@code offset}; opens a cursor (or reuses {@code locator}) when rows remain. */
  private ObjectNode page(List<ObjectNode> rows, int offset, int total, boolean all, int batchSize, String locator) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("totalSize", total);
    int end = Math.min(total, offset + batchSize);
    boolean done = end >= total;
    body.put("done", done);
    if (!done) {
      String id = locator;
      if (id == null) {
        id = SalesforceIds.of("01g", ++nextLocator).substring(0, 15);
        cursors.put(id, new Cursor(rows, all, clock.instant()));
      }
      body.put("nextRecordsUrl", "/services/data/" + apiVersion + "/" + (all ? "queryAll" : "query") + "/" + id + "-" + end);
    } else if (locator != null) {
      cursors.remove(locator);
    }
    ArrayNode records = body.putArray("records");
    rows.subList(offset, end).forEach(records::add);
    return body;
  }

  /** The page size: the {@code Sforce-Query-Options: batchSize=n} header (200 to 2,000) or the configured one. */
  private int batchSize(String header) {
    if (header == null) {
      return pageSize;
    }
    for (String part : header.split(",")) {
      String[] pair = part.trim().split("=");
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("batchSize")) {
        try {
          int size = Integer.parseInt(pair[1].trim());
          return Math.max(200, Math.min(2000, size));
        } catch (NumberFormatException e) {
          throw new SfError(400, "INVALID_HEADER_TYPE", "Sforce-Query-Options batchSize must be a number: " + pair[1]);
        }
      }
    }
    return pageSize;
  }

  // ---- replication

  private Reply updated(SObjectType type, HttpUrl url) {
    Instant[] window = window(url, UPDATED_WINDOW);
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode ids = body.putArray("ids");
    for (SObjectRecord record : state.all(type, false)) {
      Instant stamp = (Instant) record.get("SystemModstamp");
      if (!stamp.isBefore(window[0]) && stamp.isBefore(window[1])) {
        ids.add(record.id);
      }
    }
    body.put("latestDateCovered", Values.DATETIME.format(window[1]));
    return new Reply(200, body);
  }

  private Reply deleted(SObjectType type, HttpUrl url) {
    Instant[] window = window(url, DELETED_WINDOW);
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode list = body.putArray("deletedRecords");
    for (SObjectRecord record : state.deleteLog(type)) {
      if (!record.deletedAt.isBefore(window[0]) && record.deletedAt.isBefore(window[1])) {
        ObjectNode entry = list.addObject();
        entry.put("id", record.id);
        entry.put("deletedDate", Values.DATETIME.format(record.deletedAt));
      }
    }
    body.put("earliestDateAvailable", Values.DATETIME.format(window[2]));
    body.put("latestDateCovered", Values.DATETIME.format(window[1]));
    return new Reply(200, body);
  }

  /**
   * @return start and end with seconds dropped (as Salesforce ignores them), and the earliest start allowed
   * @throws SfError 400 INVALID_REPLICATION_DATE for a missing or unparseable date, an end before the
   *     start, or a start before the window
   */
  private Instant[] window(HttpUrl url, Duration reach) {
    Instant start = replicationDate(url, "start");
    Instant end = replicationDate(url, "end");
    Instant now = clock.instant();
    Instant earliest = now.minus(reach).truncatedTo(ChronoUnit.MINUTES);
    if (end.isBefore(start)) {
      throw new SfError(400, "INVALID_REPLICATION_DATE", "EndDate must chronologically follow the StartDate");
    }
    if (start.isBefore(earliest)) {
      throw new SfError(400, "INVALID_REPLICATION_DATE", "startDate must chronologically follow "
          + Values.DATETIME.format(earliest) + ": results are kept for " + reach.toDays() + " days");
    }
    Instant cappedEnd = end.isAfter(now) ? now.truncatedTo(ChronoUnit.MINUTES) : end;
    return new Instant[] {start, cappedEnd, earliest};
  }

  private static Instant replicationDate(HttpUrl url, String name) {
    String text = url.queryParameter(name);
    Instant instant = text == null ? null : Values.parseDateTime(text.trim());
    if (instant == null) {
      throw new SfError(400, "INVALID_REPLICATION_DATE", "The " + name + " parameter must be an ISO 8601 date-time "
          + "such as 2024-01-01T00:00:00+00:00, was " + text);
    }
    return instant.truncatedTo(ChronoUnit.MINUTES);
  }

  // ---- sObject Collections

  private Reply collectionSave(JsonNode input, boolean create) {
    JsonNode records = input.path("records");
    if (!records.isArray()) {
      throw SfError.jsonParser("records must be an array of sObjects");
    }
    if (records.size() > COLLECTION_MAX) {
      throw new SfError(400, "EXCEEDED_ID_LIMIT",
          "record limit reached. cannot submit more than " + COLLECTION_MAX + " records into this call");
    }
    boolean allOrNone = input.path("allOrNone").asBoolean(false);
    Object snapshot = allOrNone ? state.snapshot() : null;
    ArrayNode results = MAPPER.createArrayNode();
    boolean failed = false;
    for (JsonNode record : records) {
      try {
        if (!record.isObject()) {
          throw SfError.jsonParser("each record must be a JSON object");
        }
        SObjectType type = SObjectType.fromName(record.path("attributes").path("type").asText(""));
        if (type == null) {
          throw new SfError(400, "INVALID_TYPE", "No SObject Type defined in attributes or it is not supported: "
              + record.path("attributes").path("type").asText(""));
        }
        Map<String, JsonNode> fields = fields(record);
        if (create) {
          if (fields.keySet().stream().anyMatch(name -> name.equalsIgnoreCase("Id"))) {
            throw SfError.field("INVALID_FIELD", "Cannot specify Id in an insert call", List.of("Id"));
          }
          results.add(saveResult(state.create(type, fields).id));
        } else {
          String id = null;
          for (Map.Entry<String, JsonNode> e : new ArrayList<>(fields.entrySet())) {
            if (e.getKey().equalsIgnoreCase("Id")) {
              id = e.getValue().asText(null);
              fields.remove(e.getKey());
            }
          }
          if (id == null) {
            throw SfError.field("MISSING_ARGUMENT", "Id not specified in an update call", List.of("Id"));
          }
          results.add(saveResult(state.update(type, requireId(type, id), fields).id));
        }
      } catch (SfError error) {
        failed = true;
        results.add(failedResult(null, error));
      }
    }
    return new Reply(200, failed && allOrNone ? rollBack(results, snapshot) : results);
  }

  private Reply collectionDelete(HttpUrl url) {
    String ids = url.queryParameter("ids");
    if (ids == null || ids.isBlank()) {
      throw new SfError(400, "MISSING_ARGUMENT", "The ids parameter is required");
    }
    String[] list = ids.split(",");
    if (list.length > COLLECTION_MAX) {
      throw new SfError(400, "EXCEEDED_ID_LIMIT",
          "record limit reached. cannot submit more than " + COLLECTION_MAX + " records into this call");
    }
    boolean allOrNone = Boolean.parseBoolean(url.queryParameter("allOrNone"));
    Object snapshot = allOrNone ? state.snapshot() : null;
    ArrayNode results = MAPPER.createArrayNode();
    boolean failed = false;
    for (String raw : list) {
      String id = raw.trim();
      try {
        SObjectRecord record = state.find(id);
        if (record == null) {
          throw SfError.field("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", List.of());
        }
        state.delete(record.type, record.id);
        results.add(saveResult(record.id));
      } catch (SfError error) {
        failed = true;
        results.add(failedResult(id, error));
      }
    }
    return new Reply(200, failed && allOrNone ? rollBack(results, snapshot) : results);
  }

  /** Undoes the transaction and turns each success into ALL_OR_NONE_OPERATION_ROLLED_BACK. */
  private ArrayNode rollBack(ArrayNode results, Object snapshot) {
    state.restore(snapshot);
    ArrayNode out = MAPPER.createArrayNode();
    for (JsonNode result : results) {
      if (result.path("success").asBoolean()) {
        ObjectNode rolledBack = MAPPER.createObjectNode();
        rolledBack.put("success", false);
        ObjectNode error = rolledBack.putArray("errors").addObject();
        error.put("statusCode", "ALL_OR_NONE_OPERATION_ROLLED_BACK");
        error.put("message", "Record rolled back because not all records were valid and the request was using AllOrNone header");
        error.putArray("fields");
        out.add(rolledBack);
      } else {
        out.add(result);
      }
    }
    return out;
  }

  private static ObjectNode failedResult(String id, SfError error) {
    ObjectNode result = MAPPER.createObjectNode();
    if (id != null) {
      result.put("id", id);
    }
    result.put("success", false);
    ObjectNode entry = result.putArray("errors").addObject();
    entry.put("statusCode", error.errorCode);
    entry.put("message", error.getMessage());
    ArrayNode fields = entry.putArray("fields");
    if (error.fields != null) {
      error.fields.forEach(fields::add);
    }
    if (error.extra != null) {
      entry.setAll(error.extra);
    }
    return result;
  }

  // ---- composite

  private Reply composite(JsonNode input, String queryOptions) {
    JsonNode subrequests = input.path("compositeRequest");
    if (!subrequests.isArray() || subrequests.isEmpty()) {
      throw SfError.jsonParser("compositeRequest must be a non-empty array");
    }
    if (subrequests.size() > COMPOSITE_MAX) {
      throw new SfError(400, "LIMIT_EXCEEDED", "The request can’t contain more than " + COMPOSITE_MAX
          + " operations.");
    }
    int collectionsOrQueries = 0;
    for (JsonNode sub : subrequests) {
      HttpUrl subUrl = HttpUrl.parse("http://composite.invalid" + sub.path("url").asText(""));
      if (subUrl != null && collectionOrQuery(Route.of(sub.path("method").asText("GET"), subUrl.pathSegments()))) {
        collectionsOrQueries++;
      }
    }
    if (collectionsOrQueries > COMPOSITE_COLLECTIONS_OR_QUERIES_MAX) {
      throw new SfError(400, "LIMIT_EXCEEDED", "The request can’t contain more than "
          + COMPOSITE_COLLECTIONS_OR_QUERIES_MAX + " sObject Collections or query operations, was "
          + collectionsOrQueries + ".");
    }
    boolean allOrNone = input.path("allOrNone").asBoolean(false);
    Object snapshot = state.snapshot();
    Map<String, JsonNode> bodies = new LinkedHashMap<>();
    ArrayNode responses = MAPPER.createArrayNode();
    int failedAt = -1;
    Set<String> held = new HashSet<>();
    for (JsonNode sub : subrequests) {
      String referenceId = sub.path("referenceId").asText("");
      if (referenceId.isEmpty() || bodies.containsKey(referenceId)) {
        throw new SfError(400, "INVALID_INPUT", "Each subrequest needs a referenceId unique in the request, was '"
            + referenceId + "'");
      }
      ObjectNode response = MAPPER.createObjectNode();
      Reply reply;
      try {
        String method = sub.path("method").asText("GET");
        String path = References.resolve(sub.path("url").asText(""), bodies);
        HttpUrl subUrl = HttpUrl.parse("http://composite.invalid" + path);
        if (subUrl == null) {
          throw SfError.notFound();
        }
        Route route = Route.of(method, subUrl.pathSegments());
        if (counters != null) {
          counters.recordSubrequest(route.key());
          if (held.add(route.key())) {
            counters.recordCompositeHolding(route.key());
          }
        }
        if (!route.api() || route.op() == Route.Op.COMPOSITE || route.op() == Route.Op.UNKNOWN
            || route.op().name().startsWith("BULK_")) {
          throw new SfError(400, "INVALID_INPUT", "Unsupported composite subrequest: " + method + " " + subUrl.encodedPath());
        }
        JsonNode subBody = sub.has("body") ? References.resolve(sub.get("body"), bodies) : null;
        reply = serve(route, subUrl, subBody == null ? null : ByteString.encodeUtf8(subBody.toString()), queryOptions,
            "application/json");
      } catch (SfError error) {
        reply = new Reply(error.status, errorBody(error));
      }
      response.set("body", reply.body());
      ObjectNode headers = response.putObject("httpHeaders");
      reply.headers().forEach(headers::put);
      response.put("httpStatusCode", reply.status());
      response.put("referenceId", referenceId);
      responses.add(response);
      bodies.put(referenceId, reply.body() == null ? MAPPER.createObjectNode() : reply.body());
      if (reply.status() >= 400 && failedAt < 0) {
        failedAt = responses.size() - 1;
        if (allOrNone) {
          break;
        }
      }
    }
    if (allOrNone && failedAt >= 0) {
      state.restore(snapshot);
      ArrayNode halted = MAPPER.createArrayNode();
      for (int i = 0; i < subrequests.size(); i++) {
        if (i == failedAt) {
          halted.add(responses.get(i));
          continue;
        }
        ObjectNode response = MAPPER.createObjectNode();
        ArrayNode body = response.putArray("body");
        ObjectNode error = body.addObject();
        error.put("errorCode", "PROCESSING_HALTED");
        error.put("message", "The transaction was rolled back since another operation in the same transaction failed.");
        response.putObject("httpHeaders");
        response.put("httpStatusCode", 400);
        response.put("referenceId", subrequests.get(i).path("referenceId").asText());
        halted.add(response);
      }
      responses = halted;
    }
    ObjectNode body = MAPPER.createObjectNode();
    body.set("compositeResponse", responses);
    return new Reply(200, body);
  }

  /** Query, queryAll, their next pages and sObject Collections: at most five of these per composite. */
  private static boolean collectionOrQuery(Route route) {
    return switch (route.op()) {
      case QUERY, QUERY_ALL, QUERY_MORE, QUERY_ALL_MORE, COLLECTION_CREATE, COLLECTION_UPDATE, COLLECTION_DELETE -> true;
      default -> false;
    };
  }

  /** Where composite subrequests are counted (set once by the emulator). */
  void countSubrequestsIn(SalesforceCounters counters) {
    this.counters = counters;
  }

  // ---- shared

  /** Salesforce's REST error body: {@code [{"message", "errorCode", "fields"?, ...extra}]}. */
  static ArrayNode errorBody(SfError error) {
    ArrayNode body = MAPPER.createArrayNode();
    ObjectNode entry = body.addObject();
    if (error.extra != null) {
      entry.setAll(error.extra);
    }
    entry.put("message", error.getMessage());
    entry.put("errorCode", error.errorCode);
    if (error.fields != null) {
      ArrayNode fields = entry.putArray("fields");
      error.fields.forEach(fields::add);
    }
    return body;
  }

  private SObjectType type(String name) {
    SObjectType type = SObjectType.fromName(name);
    if (type == null) {
      throw SfError.notFound();
    }
    return type;
  }

  private static JsonNode object(ByteString raw) {
    if (raw == null || raw.size() == 0) {
      throw SfError.jsonParser("The request body is empty");
    }
    try {
      JsonNode node = MAPPER.readTree(raw.toByteArray());
      if (node == null || !node.isObject()) {
        throw SfError.jsonParser("The request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw SfError.jsonParser(e.getOriginalMessage());
    } catch (IOException e) {
      throw SfError.jsonParser(e.getMessage());
    }
  }

  private static Map<String, JsonNode> fields(JsonNode input) {
    Map<String, JsonNode> fields = new LinkedHashMap<>();
    input.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    fields.remove("attributes");
    return fields;
  }
}
