package dev.crmkit.testkit.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.crmkit.testkit.openapi.BodyShape.ArrayShape;
import dev.crmkit.testkit.openapi.BodyShape.IdRule;
import dev.crmkit.testkit.openapi.BodyShape.ObjectShape;
import dev.crmkit.testkit.openapi.BodyShape.RecordShape;
import dev.crmkit.testkit.openapi.BodyShape.StringShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * Checks HTTP exchanges against the request shapes of Salesforce's Postman collection (the
 * forcedotcom/postman-salesforce-apis sources of January 2021, bundled under {@value
 * #RESOURCE_DIRECTORY}: the auth, Bulk API 2.0 ingest and query, composite and sObject
 * Collections, and REST folders), operation by operation.
 *
 * <p>An operation is named by its file in the collection, such as {@code rest/query}, {@code
 * composite/sobject_collections_create}, {@code bulk_v2/create_job} or {@code auth/refresh_token}
 * ({@link #operations()} lists them). {@link #check(HttpExchange)} finds the operation whose method
 * and path template match the request ({@code {{_endpoint}}/services/data/v{{version}}/query};
 * the version matches any {@code vNN.N}, {@code {{_jobId}}} and {@code <SOBJECT_API_NAME>} any
 * segment; the most literal template wins; requests to the one token endpoint are told apart by
 * their {@code grant_type}), then checks:
 *
 * <ul>
 *   <li>query keys: each must be declared by the operation, the required ones present and not empty;
 *   <li>the request's {@code Content-Type} against the operation's ({@code application/json}, {@code
 *       text/csv}, {@code application/x-www-form-urlencoded}), parameters ignored; a body where the
 *       operation takes none;
 *   <li>form bodies: every field declared, required ones present and not empty, constants such as
 *       {@code grant_type=refresh_token} as given;
 *   <li>JSON bodies against the structure of the collection's example body: closed objects (an
 *       undeclared key is a violation), required keys, booleans, enums ({@code "CRLF | LF"}), and
 *       the placeholders {@code SObject[]} (records naming {@code attributes.type}, at most 200),
 *       {@code Composite Subrequest[]} (at most 25, each subrequest's body checked as the request
 *       it stands for) and {@code Subrequest[]}; a record's fields must be declared by the sObjects
 *       OpenAPI schema of its type or by the org's describe ({@link Builder#describe(String)});
 *   <li>CSV bodies (Bulk API 2.0 job data): a header row of distinct field names, each declared for
 *       some known sObject, and the same number of columns in every row.
 * </ul>
 *
 * <p>The collection's examples say less than Salesforce's documentation in places, so some
 * operations are refined from it, each with its page in the source: optional keys ({@code
 * allOrNone}, {@code client_secret}, {@code format}), enums ({@code operation}, {@code state},
 * {@code lineEnding}), record ids (none in a Collections create, one per record in an update), the
 * form encoding of the authorization-code token request, and the sObject Collections delete path.
 * {@link #refinedOperations()} lists them.
 *
 * <p>Responses are not checked: the collection has no response shapes. A request whose path no
 * operation has is not covered ({@link #check} gives no operation and no violation); a path that
 * matches with another method is a violation.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://github.com/forcedotcom/postman-salesforce-apis">Salesforce Platform APIs Postman collection</a>
 */
public final class PostmanShapes {
  static final ObjectMapper JSON = new ObjectMapper();

  /** The class-path directory holding the bundled collection files. */
  public static final String RESOURCE_DIRECTORY = "/dev/crmkit/testkit/salesforce/postman/";

  /** The bundled requests, by file name without {@code .json}; these are the operation names. */
  public static final List<String> REQUESTS = List.of("auth/asset_token_flow",
      "auth/authentication_configuration_endpoint", "auth/id_token", "auth/jwt_bearer_token_flow",
      "auth/oauth_username_password", "auth/openid_connect_discovery_endpoint",
      "auth/openid_connect_dynamic_client_registration_endpoint", "auth/openid_connect_token_introspection_endpoint",
      "auth/refresh_token", "auth/revoke_token", "auth/salesforce_keys", "auth/soap_login", "auth/user_agent_flow",
      "auth/user_info", "auth/web_server_flow_1", "auth/web_server_flow_2", "bulk_v2/close_or_abort_a_job",
      "bulk_v2/create_job", "bulk_v2/delete_job", "bulk_v2/get_all_jobs", "bulk_v2/get_job_failed_record_results",
      "bulk_v2/get_job_info", "bulk_v2/get_job_successful_record_results",
      "bulk_v2/get_job_unprocessed_record_results", "bulk_v2/upload_job_data", "composite/batch",
      "composite/composite", "composite/composite_graph", "composite/sobject_collections_create",
      "composite/sobject_collections_delete", "composite/sobject_collections_retrieve",
      "composite/sobject_collections_update", "composite/sobject_tree", "query/abort_a_job_query",
      "query/create_job_query", "query/delete_job_query", "query/get_all_query_jobs", "query/get_job_info_query",
      "query/get_job_query_result", "rest/describe_global", "rest/limit", "rest/parameterized_search", "rest/query",
      "rest/queryall", "rest/record_count", "rest/resources_by_version", "rest/search",
      "rest/sobject_basic_information", "rest/sobject_create", "rest/sobject_describe", "rest/sobject_get_deleted",
      "rest/sobject_get_updated", "rest/sobject_rows", "rest/sobject_rows_by_external_id", "rest/sobject_rows_delete",
      "rest/sobject_rows_update", "rest/versions");

  private static final String DOCS = "https://developer.salesforce.com/docs/atlas.en-us.";
  private static final String FORM = "application/x-www-form-urlencoded";

  private final List<PostmanRequest> requests;
  private final SObjectFields fields;

  private PostmanShapes(Builder builder) {
    this.requests = load();
    this.fields = SObjectFields.withOpenApi(builder.fields);
  }

  /** A builder over the bundled collection, its refinements, and the OpenAPI schemas' sObject fields. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every operation, as its file name without {@code .json}, sorted.
   *
   * @return an unmodifiable sorted set
   */
  public SortedSet<String> operations() {
    return requests.stream().map(r -> r.key).collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * The operations refined from Salesforce's documentation, each with the page it follows.
   *
   * @return operation name to documentation URL, sorted by name
   */
  public Map<String, String> refinedOperations() {
    Map<String, String> refined = new TreeMap<>();
    requests.stream().filter(r -> r.refinedFrom != null).forEach(r -> refined.put(r.key, r.refinedFrom));
    return refined;
  }

  /**
   * An operation's method and path template, e.g. {@code "GET /services/data/v{version}/query"}.
   *
   * @param operation an operation name from {@link #operations()}
   * @return its method and template
   * @throws IllegalArgumentException naming the operation when there is none of that name
   */
  public String describe(String operation) {
    return requests.stream().filter(r -> r.key.equals(operation)).findFirst().map(PostmanRequest::describe)
        .orElseThrow(() -> new IllegalArgumentException("operation must be one of " + operations() + ": '"
            + operation + "'"));
  }

  /**
   * What {@link #check(HttpExchange)} found for one exchange.
   *
   * @param operation the operation it matched, or {@code null} when none did
   * @param covered whether some operation has the request's path (with this or another method)
   * @param violations the violations, each prefixed with the operation (or the request); empty when
   *     it conforms or is not covered
   */
  public record Result(String operation, boolean covered, List<String> violations) {
    /** Copies the violations. */
    public Result {
      violations = List.copyOf(violations);
    }
  }

  /**
   * Checks one exchange.
   *
   * @param exchange the exchange; not null
   * @return the matched operation and the violations
   * @throws NullPointerException when {@code exchange} is null
   */
  public Result check(HttpExchange exchange) {
    Objects.requireNonNull(exchange, "exchange");
    HttpUrl url = exchange.httpUrl();
    List<String> segments = segments(url);
    String request = exchange.method() + " " + url.encodedPath();
    List<PostmanRequest> onPath = requests.stream().filter(r -> r.matchesPath(segments)).toList();
    if (onPath.isEmpty()) {
      return new Result(null, false, List.of());
    }
    List<PostmanRequest> candidates = mostSpecific(onPath.stream().filter(r -> r.method.equals(exchange.method()))
        .toList());
    if (candidates.isEmpty()) {
      SortedSet<String> methods = onPath.stream().map(r -> r.method).collect(Collectors.toCollection(TreeSet::new));
      return new Result(null, true, List.of(request + ": no such operation in the Postman collection (the path allows "
          + String.join(", ", methods) + ")"));
    }
    PostmanRequest match = candidates.get(0);
    if (candidates.size() > 1) {
      Map<String, String> form = exchange.requestBody() == null ? Map.of() : firstValues(form(exchange.requestBody()));
      List<PostmanRequest> fitting = candidates.stream()
          .filter(r -> r.formConstants.entrySet().stream().allMatch(c -> c.getValue().equals(form.get(c.getKey()))))
          .filter(r -> r.queryConstants.entrySet().stream()
              .allMatch(c -> c.getValue().equals(url.queryParameter(c.getKey()))))
          .toList();
      if (fitting.size() != 1) {
        return new Result(null, true, List.of(request + ": " + (fitting.isEmpty() ? "none" : "more than one")
            + " of the Postman requests " + candidates.stream().map(r -> r.key + " " + r.formConstants
                + r.queryConstants).toList()
            + " fits its form fields " + form.keySet() + (form.containsKey("grant_type")
            ? " (grant_type=" + form.get("grant_type") + ")" : "")));
      }
      match = fitting.get(0);
    }
    List<String> violations = new ArrayList<>();
    checkQuery(match, url, violations);
    checkBody(match, exchange, segments, violations);
    String prefix = match.key + " (" + match.describe() + "): ";
    return new Result(match.key, true, violations.stream().map(v -> prefix + v).toList());
  }

  /**
   * Checks every exchange and reports coverage, as {@link OpenApiSpec#report} does.
   *
   * @param exchanges the exchanges; not null
   * @return the violations, the operations exercised and not, and the requests no operation covers
   * @throws NullPointerException when {@code exchanges} or an element is null
   */
  public ConformanceReport report(Collection<HttpExchange> exchanges) {
    List<String> violations = new ArrayList<>();
    SortedSet<String> exercised = new TreeSet<>();
    List<String> uncovered = new ArrayList<>();
    for (HttpExchange exchange : exchanges) {
      Result result = check(exchange);
      violations.addAll(result.violations());
      if (result.operation() != null) {
        exercised.add(result.operation());
      } else if (!result.covered()) {
        uncovered.add(exchange.method() + " " + exchange.httpUrl().encodedPath() + ": not covered by a provided spec");
      }
    }
    SortedSet<String> unexercised = operations();
    unexercised.removeAll(exercised);
    return new ConformanceReport(violations, exercised, unexercised, uncovered);
  }

  private static List<PostmanRequest> mostSpecific(List<PostmanRequest> candidates) {
    List<PostmanRequest> best = new ArrayList<>();
    for (PostmanRequest r : candidates) {
      if (best.isEmpty() || r.moreSpecificThan(best.get(0))) {
        best = new ArrayList<>(List.of(r));
      } else if (!best.get(0).moreSpecificThan(r)) {
        best.add(r);
      }
    }
    return best;
  }

  private static List<String> segments(HttpUrl url) {
    return url.pathSegments().stream().filter(s -> !s.isEmpty()).toList();
  }

  private static void checkQuery(PostmanRequest request, HttpUrl url, List<String> violations) {
    for (String name : new TreeSet<>(url.queryParameterNames())) {
      if (!request.query.contains(name)) {
        violations.add("query parameter " + name + " is not declared (declared: "
            + (request.query.isEmpty() ? "none" : String.join(", ", request.query)) + ")");
      }
    }
    for (String name : request.requiredQuery) {
      String value = url.queryParameter(name);
      if (value == null) {
        violations.add("required query parameter " + name + " is missing");
      } else if (value.isBlank()) {
        violations.add("required query parameter " + name + " is empty");
      }
    }
  }

  private void checkBody(PostmanRequest request, HttpExchange exchange, List<String> segments,
      List<String> violations) {
    String body = exchange.requestBody();
    boolean hasBody = body != null && !body.isEmpty();
    if (request.body == PostmanRequest.Body.NONE) {
      if (hasBody) {
        violations.add("request has a body but the operation takes none");
      }
      return;
    }
    if (!hasBody) {
      violations.add("request body is required but missing");
      return;
    }
    String type = exchange.requestContentType() == null ? ""
        : exchange.requestContentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
    if (request.contentType != null && !type.equals(request.contentType.toLowerCase(Locale.ROOT))) {
      violations.add("request content type " + (type.isEmpty() ? "(none)" : type) + " is not "
          + request.contentType);
      return;
    }
    switch (request.body) {
      case FORM:
        checkForm(request, body, violations);
        break;
      case CSV:
        checkCsv(body, violations);
        break;
      default:
        checkJson(request, body, segments, violations);
        break;
    }
  }

  private static void checkForm(PostmanRequest request, String body, List<String> violations) {
    Map<String, List<String>> fields = form(body);
    fields.forEach((name, values) -> {
      if (!request.form.contains(name)) {
        violations.add("request form field " + name + " is not declared (declared: "
            + String.join(", ", request.form) + ")");
      } else if (values.size() > 1) {
        violations.add("request form field " + name + " is repeated");
      }
    });
    for (String name : request.requiredForm) {
      List<String> values = fields.get(name);
      if (values == null) {
        violations.add("required request form field " + name + " is missing");
      } else if (values.get(0).isBlank()) {
        violations.add("required request form field " + name + " is empty");
      }
    }
    request.formConstants.forEach((name, value) -> {
      List<String> values = fields.get(name);
      if (values != null && !values.get(0).equals(value)) {
        violations.add("request form field " + name + " is '" + values.get(0) + "', not '" + value + "'");
      }
    });
  }

  private void checkJson(PostmanRequest request, String body, List<String> segments, List<String> violations) {
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (IOException e) {
      violations.add("request body is not JSON: " + e.getMessage().lines().findFirst().orElse(""));
      return;
    }
    if (request.shape == null) {
      return;
    }
    BodyShape shape = request.shape;
    if (shape instanceof RecordShape record && record.type() == null) {
      shape = new RecordShape(request.pathValue("sobjectapiname", segments), record.id());
    }
    shape.check(node, "request body $", violations, context());
  }

  private BodyShape.Context context() {
    return new BodyShape.Context() {
      @Override
      public SObjectFields fields() {
        return fields;
      }

      @Override
      public List<String> checkSubrequest(String method, String url, JsonNode body, String where) {
        String json = body == null || body.isNull() ? null : body.toString();
        HttpExchange sub = new HttpExchange(method, "https://subrequest.invalid" + url, json == null ? null
            : "application/json", json, 200, null, "");
        Result result = check(sub);
        if (!result.covered()) {
          return List.of();
        }
        return result.violations().stream().map(v -> where + " (subrequest " + v + ")").toList();
      }
    };
  }

  private void checkCsv(String body, List<String> violations) {
    List<List<String>> rows = csv(body);
    if (rows.isEmpty() || rows.get(0).stream().allMatch(String::isEmpty)) {
      violations.add("request CSV has no header row");
      return;
    }
    List<String> header = rows.get(0);
    Set<String> seen = new LinkedHashSet<>();
    for (String column : header) {
      if (column.isEmpty()) {
        violations.add("request CSV header has an empty column name");
      } else if (!seen.add(column.toLowerCase(Locale.ROOT))) {
        violations.add("request CSV header names " + column + " twice");
      } else if (!fields.anyDeclares(column) && !column.contains(".")) {
        violations.add("request CSV column " + column + " is a field of no known sObject (neither the sObjects"
            + " OpenAPI schemas nor a given describe declares it)");
      }
    }
    for (int i = 1; i < rows.size(); i++) {
      if (rows.get(i).size() != header.size()) {
        violations.add("request CSV row " + i + " has " + rows.get(i).size() + " columns, the header "
            + header.size());
      }
    }
  }

  /** RFC 4180 rows: quoted fields may hold commas, quotes (doubled) and line breaks; a final line break ends the last row. */
  static List<List<String>> csv(String text) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else {
        field.append(c);
      }
    }
    if (field.length() > 0 || !row.isEmpty()) {
      row.add(field.toString());
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, List<String>> form(String body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    for (String pair : body.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
      String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
      fields.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return fields;
  }

  private static Map<String, String> firstValues(Map<String, List<String>> fields) {
    Map<String, String> first = new LinkedHashMap<>();
    fields.forEach((k, v) -> first.put(k, v.get(0)));
    return first;
  }

  private static List<PostmanRequest> load() {
    Map<String, PostmanRequest> byKey = new LinkedHashMap<>();
    for (String key : REQUESTS) {
      String resource = RESOURCE_DIRECTORY + key + ".json";
      try (InputStream in = PostmanShapes.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing resource " + resource);
        }
        byKey.put(key, new PostmanRequest(key, JSON.readTree(in)));
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + resource, e);
      }
    }
    refine(byKey);
    return List.copyOf(byKey.values());
  }

  /**
   * Where the collection's examples say less than (or other than) Salesforce's documentation. Each
   * refinement names the page it follows.
   */
  private static void refine(Map<String, PostmanRequest> r) {
    String rest = DOCS + "api_rest.meta/api_rest/";
    String bulk = DOCS + "api_asynch.meta/api_asynch/";
    Set<String> methods = new LinkedHashSet<>(List.of("insert", "delete", "hardDelete", "update", "upsert"));
    Set<String> delimiters = new LinkedHashSet<>(List.of("BACKQUOTE", "CARET", "COMMA", "PIPE", "SEMICOLON", "TAB"));
    Set<String> lineEndings = new LinkedHashSet<>(List.of("LF", "CRLF"));

    // sObject Collections: allOrNone optional (default false); records name their type; no Id on create, Id on update.
    PostmanRequest create = r.get("composite/sobject_collections_create");
    create.shape = ((ObjectShape) create.shape).optional("allOrNone")
        .with("records", new ArrayShape(new RecordShape(null, IdRule.FORBIDDEN), 200), true);
    create.refinedFrom = rest + "resources_composite_sobjects_collections_create.htm";
    PostmanRequest update = r.get("composite/sobject_collections_update");
    update.segments = List.of("services", "data", "v{version}", "composite", "sobjects");
    update.shape = ((ObjectShape) update.shape).optional("allOrNone")
        .with("records", new ArrayShape(new RecordShape(null, IdRule.REQUIRED), 200), true);
    update.refinedFrom = rest + "resources_composite_sobjects_collections_update.htm";
    PostmanRequest delete = r.get("composite/sobject_collections_delete");
    delete.segments = List.of("services", "data", "v{version}", "composite", "sobjects");
    delete.requiredQuery.remove("allOrNone");
    delete.body = PostmanRequest.Body.NONE;
    delete.refinedFrom = rest + "resources_composite_sobjects_collections_delete.htm";
    r.get("composite/sobject_collections_retrieve").body = PostmanRequest.Body.NONE;

    // Composite: allOrNone and collateSubrequests optional.
    PostmanRequest composite = r.get("composite/composite");
    composite.shape = ((ObjectShape) composite.shape).optional("allOrNone", "collateSubrequests");
    composite.refinedFrom = rest + "requests_composite.htm";
    PostmanRequest batch = r.get("composite/batch");
    batch.shape = ((ObjectShape) batch.shape).optional("haltOnError");
    batch.refinedFrom = rest + "requests_composite_batch.htm";
    PostmanRequest graph = r.get("composite/composite_graph");
    graph.shape = new ObjectShape(Map.of("graphs", new ArrayShape(new ObjectShape(Map.of(
        "graphId", new StringShape(null, null),
        "compositeRequest", new ArrayShape(BodyShape.compositeSubrequest(), 500)), Set.of("graphId",
        "compositeRequest")), 0)), Set.of("graphs"));
    graph.refinedFrom = rest + "resources_composite_graph.htm";
    PostmanRequest tree = r.get("composite/sobject_tree");
    tree.shape = new ObjectShape(Map.of("records", new ArrayShape(new RecordShape(null, IdRule.FORBIDDEN), 200)),
        Set.of("records"));
    tree.refinedFrom = rest + "resources_composite_sobject_tree.htm";

    // Records by REST: the body is one record of the type in the path.
    PostmanRequest sobjectCreate = r.get("rest/sobject_create");
    sobjectCreate.shape = new RecordShape(null, IdRule.FORBIDDEN);
    sobjectCreate.refinedFrom = rest + "dome_sobject_create.htm";
    PostmanRequest sobjectUpdate = r.get("rest/sobject_rows_update");
    sobjectUpdate.shape = new RecordShape(null, IdRule.FORBIDDEN);
    sobjectUpdate.refinedFrom = rest + "dome_update_fields.htm";
    PostmanRequest versions = r.get("rest/versions");
    versions.body = PostmanRequest.Body.NONE;
    versions.refinedFrom = rest + "resources_versions.htm";
    r.get("rest/record_count").requiredQuery.remove("sObjects");
    r.get("rest/queryall").requiredQuery.remove("explain");

    // Bulk API 2.0 ingest.
    PostmanRequest job = r.get("bulk_v2/create_job");
    job.shape = new ObjectShape(Map.of(
        "object", new StringShape(null, null),
        "operation", new StringShape(methods, null),
        "externalIdFieldName", new StringShape(null, null),
        "contentType", new StringShape(Set.of("CSV"), null),
        "columnDelimiter", new StringShape(delimiters, null),
        "lineEnding", new StringShape(lineEndings, null),
        "assignmentRuleId", new StringShape(null, null)), Set.of("object", "operation"));
    job.refinedFrom = bulk + "create_job.htm";
    PostmanRequest close = r.get("bulk_v2/close_or_abort_a_job");
    close.shape = new ObjectShape(Map.of("state", new StringShape(Set.of("UploadComplete", "Aborted"), null)),
        Set.of("state"));
    close.refinedFrom = bulk + "close_job.htm";
    r.get("bulk_v2/delete_job").body = PostmanRequest.Body.NONE;

    // Bulk API 2.0 query.
    PostmanRequest queryJob = r.get("query/create_job_query");
    queryJob.shape = ((ObjectShape) queryJob.shape).optional("contentType", "columnDelimiter", "lineEnding")
        .with("operation", new StringShape(new LinkedHashSet<>(List.of("query", "queryAll")), null), true)
        .with("contentType", new StringShape(Set.of("CSV"), null), false);
    queryJob.refinedFrom = bulk + "query_create_job.htm";
    r.get("query/get_all_query_jobs").requiredQuery.clear();
    r.get("query/delete_job_query").body = PostmanRequest.Body.NONE;

    // OAuth token requests.
    PostmanRequest refresh = r.get("auth/refresh_token");
    refresh.form.add("format");
    refresh.requiredForm.remove("client_secret");
    refresh.refinedFrom = rest + "intro_understanding_refresh_token_oauth.htm";
    PostmanRequest code = r.get("auth/web_server_flow_2");
    code.contentType = FORM;
    code.form.add("code_verifier");
    code.requiredForm.removeAll(List.of("client_secret", "format"));
    code.formConstants.remove("format");
    code.refinedFrom = rest + "intro_understanding_web_server_oauth_flow.htm";
    PostmanRequest jwt = r.get("auth/jwt_bearer_token_flow");
    jwt.form.add("format");
    jwt.refinedFrom = "https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm";
    PostmanRequest authorize = r.get("auth/web_server_flow_1");
    authorize.query.addAll(List.of("state", "prompt", "immediate", "code_challenge", "code_challenge_method",
        "display", "login_hint", "nonce"));
    authorize.requiredQuery.remove("scope");
    authorize.queryConstants.put("response_type", "code");
    PostmanRequest userAgent = r.get("auth/user_agent_flow");
    userAgent.queryConstants.put("response_type", "token");
    userAgent.requiredQuery.retainAll(List.of("response_type", "client_id", "redirect_uri"));
    userAgent.refinedFrom = rest + "intro_understanding_user_agent_oauth_flow.htm";
    authorize.refinedFrom = rest + "intro_understanding_web_server_oauth_flow.htm";
  }

  /** Builds {@link PostmanShapes}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, Set<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private Builder() {}

    /**
     * Declares fields of an sObject type besides those its sObjects OpenAPI schema lists, such as an
     * org's custom fields.
     *
     * @param type the sObject API name, e.g. {@code "Contact"}; not blank
     * @param names field API names, e.g. {@code "Customer_Segment__c"}; not null
     * @return this builder
     * @throws NullPointerException naming {@code type} or {@code names} when null
     * @throws IllegalArgumentException when {@code type} is blank
     */
    public Builder sObjectFields(String type, Collection<String> names) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(names, "names");
      if (type.isBlank()) {
        throw new IllegalArgumentException("type must be an sObject API name such as Contact: '" + type + "'");
      }
      fields.computeIfAbsent(type, t -> new TreeSet<>(String.CASE_INSENSITIVE_ORDER)).addAll(names);
      return this;
    }

    /**
     * Declares the fields of a describe answer ({@code GET /services/data/vNN.N/sobjects/{type}/describe}).
     *
     * @param describeJson the answer's JSON; not null
     * @return this builder
     * @throws IllegalArgumentException when the text is not JSON with {@code name} and {@code fields}
     */
    public Builder describe(String describeJson) {
      Objects.requireNonNull(describeJson, "describeJson");
      Map.Entry<String, Set<String>> described = SObjectFields.fromDescribe(describeJson);
      return sObjectFields(described.getKey(), described.getValue());
    }

    /**
     * Builds the checker.
     *
     * @return the checker over the bundled collection
     */
    public PostmanShapes build() {
      return new PostmanShapes(this);
    }
  }
}
