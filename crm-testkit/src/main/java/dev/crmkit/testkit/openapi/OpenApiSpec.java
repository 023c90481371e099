package dev.crmkit.testkit.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
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
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * One or more OpenAPI 3 documents, and checks of HTTP exchanges against them.
 *
 * <p>{@link #check(HttpExchange)} finds the operation whose method and path template ({@code
 * /crm/v3/objects/contacts/{contactId}}) match the request, then checks:
 *
 * <ul>
 *   <li>path parameters against their schemas;
 *   <li>query parameters: names the operation does not declare, values of the wrong type or
 *       outside an enum, required ones that are missing (form style; {@code explode=false} arrays
 *       are split on commas);
 *   <li>the request body against the operation's {@code requestBody} schema for the request's
 *       content type: JSON bodies as a whole, {@code application/x-www-form-urlencoded} bodies
 *       field by field (undeclared fields are violations);
 *   <li>the response body against the schema declared for its status, or for {@code default}.
 * </ul>
 *
 * <p>Schemas are validated by networknt json-schema-validator with its OpenAPI 3.0 dialect, so
 * {@code $ref}s into the document's components, types, the {@code date-time}, {@code uuid} and
 * other formats, {@code required}, {@code enum}, {@code pattern}, {@code additionalProperties},
 * {@code allOf}/{@code oneOf}/{@code anyOf}, arrays and {@code nullable} are enforced. Not
 * checked: headers, cookies and security requirements; the ranges implied by the {@code int32}
 * and {@code int64} formats; parameter styles other than {@code form} (query) and {@code simple}
 * (path); {@code deepObject} parameters; response headers.
 *
 * <p>Where several templates match a path, the one with the most literal segments wins; between
 * templates with as many, the one whose literal comes later in the path ({@code
 * /sobjects/{sObject}/describe} over {@code /sobjects/Contact/{id}} for {@code
 * /sobjects/Contact/describe}).
 *
 * <p>A request whose path lies under no document's common literal prefix (for HubSpot's contacts
 * spec, {@code /crm/v3/objects/contacts}) is <em>not covered</em>: {@link #check} returns no
 * violations for it and {@link #report} lists it separately. A request under a prefix that matches
 * no operation there is a violation ("no such operation").
 *
 * <p>Violations are messages of the form {@code "POST /crm/v3/objects/contacts/batch/upsert:
 * request body $.inputs[0].idProperty: integer found, string expected"}: the operation, where
 * (a JSON path into the body, or the parameter), and the rule broken.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.0.3">OpenAPI 3.0.3</a>
 */
public final class OpenApiSpec {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FORM = "application/x-www-form-urlencoded";

  private final List<SpecDocument> documents;
  private final SchemaRegistry openSchemas;
  private final SchemaRegistry closedSchemas;
  private final boolean closeRequests;
  private final boolean closeResponses;
  private final Map<String, Schema> cache = new ConcurrentHashMap<>();

  private OpenApiSpec(Builder builder) {
    this.documents = List.copyOf(builder.documents.values());
    this.closeRequests = builder.rejectUndeclaredRequestProperties;
    this.closeResponses = builder.rejectUndeclaredResponseProperties;
    this.openSchemas = registry(d -> d.root);
    this.closedSchemas = registry(SpecDocument::closedCopy);
  }

  private SchemaRegistry registry(Function<SpecDocument, JsonNode> content) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (SpecDocument document : documents) {
      texts.put(document.iri, content.apply(document).toString());
    }
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).pathType(PathType.JSON_PATH).build();
    return SchemaRegistry.withDialect(
        Dialects.getOpenApi30(), b -> b.schemas(texts).schemaRegistryConfig(config));
  }

  /** A builder with no documents and both undeclared-property checks off. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every operation of every document, as {@code "METHOD /path/template"}, sorted.
   *
   * @return an unmodifiable sorted set; never empty
   */
  public SortedSet<String> operations() {
    return documents.stream()
        .flatMap(d -> d.operations.stream())
        .map(Operation::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * Checks one exchange.
   *
   * @param exchange the exchange; not null
   * @return the violations in the order found, as readable messages; empty when the exchange
   *     conforms or when no document covers its path
   * @throws NullPointerException when {@code exchange} is null
   */
  public List<String> check(HttpExchange exchange) {
    Match match = match(exchange);
    if (match.problem() != null) {
      return List.of(match.problem());
    }
    if (match.operation() == null) {
      return List.of();
    }
    Set<String> violations = new LinkedHashSet<>();
    String prefix = match.operation().key() + ": ";
    checkPathParameters(match, violations);
    checkQuery(match.operation(), exchange.httpUrl(), violations);
    checkRequestBody(match.operation(), exchange, violations);
    checkResponse(match.operation(), exchange, violations);
    return violations.stream().map(v -> prefix + v).toList();
  }

  /**
   * Checks every exchange and reports coverage.
   *
   * @param exchanges the exchanges, e.g. {@link RecordingInterceptor#exchanges()}; not null
   * @return the violations of all exchanges, the operations exercised and not, and the requests
   *     no document covers
   * @throws NullPointerException when {@code exchanges} or an element is null
   */
  public ConformanceReport report(Collection<HttpExchange> exchanges) {
    List<String> violations = new ArrayList<>();
    SortedSet<String> exercised = new TreeSet<>();
    List<String> uncovered = new ArrayList<>();
    for (HttpExchange exchange : exchanges) {
      Match match = match(exchange);
      if (match.operation() != null) {
        exercised.add(match.operation().key());
      } else if (match.problem() == null) {
        uncovered.add(exchange.method() + " " + exchange.httpUrl().encodedPath()
            + ": not covered by a provided spec");
      }
      violations.addAll(check(exchange));
    }
    SortedSet<String> unexercised = operations();
    unexercised.removeAll(exercised);
    return new ConformanceReport(violations, exercised, unexercised, uncovered);
  }

  private record Match(Operation operation, Map<String, String> pathValues, String problem) {}

  private Match match(HttpExchange exchange) {
    List<String> segments = exchange.httpUrl().pathSegments();
    String request = exchange.method() + " " + exchange.httpUrl().encodedPath();
    for (SpecDocument document : documents) {
      if (!document.covers(segments)) {
        continue;
      }
      Operation best = null;
      Map<String, String> bound = null;
      SortedSet<String> otherMethods = new TreeSet<>();
      for (Operation operation : document.operations) {
        Map<String, String> values = operation.bind(segments);
        if (values == null) {
          continue;
        }
        if (!operation.method().equals(exchange.method())) {
          otherMethods.add(operation.method());
        } else if (best == null || operation.moreSpecificThan(best)) {
          best = operation;
          bound = values;
        }
      }
      if (best != null) {
        return new Match(best, bound, null);
      }
      String allowed = otherMethods.isEmpty() ? "" : " (the path allows " + String.join(", ", otherMethods) + ")";
      return new Match(null, null, request + ": no such operation in " + document.name + allowed);
    }
    return new Match(null, null, null);
  }

  private void checkPathParameters(Match match, Set<String> violations) {
    for (SpecDocument.Located parameter : match.operation().parameters("path")) {
      String name = parameter.node().path("name").asText();
      String value = match.pathValues().get(name);
      if (value == null) {
        continue;
      }
      JsonNode node = parameterValue(match.operation().document(), parameter.child("schema"), List.of(value), false);
      validate(openSchemas, match.operation().document(), parameter.child("schema").pointer(), node,
          "path parameter " + name, violations);
    }
  }

  private void checkQuery(Operation operation, HttpUrl url, Set<String> violations) {
    Map<String, SpecDocument.Located> declared = new LinkedHashMap<>();
    for (SpecDocument.Located parameter : operation.parameters("query")) {
      declared.put(parameter.node().path("name").asText(), parameter);
    }
    for (String name : new TreeSet<>(url.queryParameterNames())) {
      SpecDocument.Located parameter = declared.get(name);
      if (parameter == null) {
        violations.add("query parameter " + name + " is not declared by the operation");
        continue;
      }
      List<String> values = url.queryParameterValues(name).stream()
          .map(v -> v == null ? "" : v)
          .toList();
      boolean explode = parameter.node().path("explode").asBoolean(true);
      JsonNode node = parameterValue(operation.document(), parameter.child("schema"), values, !explode);
      if (node == null) {
        violations.add("query parameter " + name + " is repeated but is not an array");
        continue;
      }
      validate(openSchemas, operation.document(), parameter.child("schema").pointer(), node,
          "query parameter " + name, violations);
    }
    declared.forEach((name, parameter) -> {
      if (parameter.node().path("required").asBoolean(false) && !url.queryParameterNames().contains(name)) {
        violations.add("required query parameter " + name + " is missing");
      }
    });
  }

  private void checkRequestBody(Operation operation, HttpExchange exchange, Set<String> violations) {
    SpecDocument.Located declared = operation.node().child("requestBody");
    boolean hasBody = exchange.requestBody() != null && !exchange.requestBody().isEmpty();
    if (declared.node().isMissingNode()) {
      if (hasBody) {
        violations.add("request has a body but the operation declares no requestBody");
      }
      return;
    }
    SpecDocument.Located requestBody = operation.document().resolve(declared.pointer());
    if (!hasBody) {
      if (requestBody.node().path("required").asBoolean(false)) {
        violations.add("request body is required but missing");
      }
      return;
    }
    SpecDocument.Located media =
        mediaType(requestBody.child("content"), exchange.requestContentType(), "request", violations);
    if (media == null) {
      return;
    }
    SchemaRegistry schemas = closeRequests ? closedSchemas : openSchemas;
    if (isForm(exchange.requestContentType())) {
      checkForm(operation.document(), media.child("schema"), exchange.requestBody(), violations);
    } else {
      validateJson(schemas, operation.document(), media.child("schema").pointer(),
          exchange.requestBody(), "request body", violations);
    }
  }

  private void checkForm(
      SpecDocument document, SpecDocument.Located schemaAt, String body, Set<String> violations) {
    SpecDocument.Located schema = document.resolve(schemaAt.pointer());
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
    fields.forEach((name, values) -> {
      SpecDocument.Located field = schema.child("properties", name);
      if (field.node().isMissingNode()) {
        violations.add("request form field " + name + " is not declared");
        return;
      }
      JsonNode node = parameterValue(document, field, values, false);
      if (node == null) {
        violations.add("request form field " + name + " is repeated but is not an array");
        return;
      }
      validate(openSchemas, document, field.pointer(), node, "request form field " + name, violations);
    });
    for (JsonNode required : schema.node().path("required")) {
      if (!fields.containsKey(required.asText())) {
        violations.add("required request form field " + required.asText() + " is missing");
      }
    }
  }

  private void checkResponse(Operation operation, HttpExchange exchange, Set<String> violations) {
    SpecDocument.Located responses = operation.node().child("responses");
    String status = String.valueOf(exchange.status());
    SpecDocument.Located declared = responses.child(status);
    if (declared.node().isMissingNode()) {
      declared = responses.child(status.charAt(0) + "XX");
    }
    if (declared.node().isMissingNode()) {
      declared = responses.child("default");
    }
    if (declared.node().isMissingNode()) {
      List<String> statuses = new ArrayList<>();
      responses.node().fieldNames().forEachRemaining(statuses::add);
      violations.add("response status " + status + " is not declared (declared: " + String.join(", ", statuses) + ")");
      return;
    }
    SpecDocument.Located response = operation.document().resolve(declared.pointer());
    String where = "response " + status + " body";
    boolean hasBody = !exchange.responseBody().isEmpty();
    SpecDocument.Located content = response.child("content");
    if (content.node().isMissingNode() || content.node().isEmpty()) {
      if (hasBody) {
        violations.add(where + " must be empty, the operation declares no content for " + status);
      }
      return;
    }
    if (!hasBody) {
      violations.add(where + " is empty but the operation declares content for " + status);
      return;
    }
    SpecDocument.Located media = mediaType(content, exchange.responseContentType(), "response", violations);
    if (media != null) {
      validateJson(closeResponses ? closedSchemas : openSchemas, operation.document(),
          media.child("schema").pointer(), exchange.responseBody(), where, violations);
    }
  }

  /** The declared media type for a content type: exact, then a JSON type for {@code *}{@code /*}. */
  private static SpecDocument.Located mediaType(
      SpecDocument.Located content, String contentType, String side, Set<String> violations) {
    String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
    SpecDocument.Located exact = content.child(type);
    if (!type.isEmpty() && !exact.node().isMissingNode()) {
      return exact;
    }
    SpecDocument.Located any = content.child("*/*");
    if (!any.node().isMissingNode() && !isForm(type)) {
      return any;
    }
    List<String> declared = new ArrayList<>();
    content.node().fieldNames().forEachRemaining(declared::add);
    violations.add(side + " content type " + (type.isEmpty() ? "(none)" : type)
        + " is not declared (declared: " + String.join(", ", declared) + ")");
    return null;
  }

  private static boolean isForm(String contentType) {
    return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(FORM);
  }

  private void validateJson(SchemaRegistry schemas, SpecDocument document, String pointer,
      String text, String where, Set<String> violations) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      violations.add(where + " is not JSON: " + e.getOriginalMessage());
      return;
    }
    validate(schemas, document, pointer, node, where, violations);
  }

  private void validate(SchemaRegistry schemas, SpecDocument document, String pointer,
      JsonNode value, String where, Set<String> violations) {
    String location = document.iri + "#" + pointer;
    Schema schema = cache.computeIfAbsent(
        (schemas == closedSchemas ? "closed " : "open ") + location,
        key -> schemas.getSchema(SchemaLocation.of(location)));
    BiFunction<String, String, String> describe = where.endsWith(" body")
        ? (at, message) -> where + " " + at + ": " + message
        : (at, message) -> where + at.substring(1) + ": " + message;
    schema.validate(value).forEach(error ->
        violations.add(describe.apply(error.getInstanceLocation().toString(), error.getMessage())));
  }

  /**
   * A parameter's string values as the JSON its schema describes, or null when several values
   * were given for a schema that is not an array.
   */
  private static JsonNode parameterValue(
      SpecDocument document, SpecDocument.Located schemaAt, List<String> values, boolean splitCommas) {
    SpecDocument.Located located = document.resolve(schemaAt.pointer());
    JsonNode schema = located.node();
    if ("array".equals(schema.path("type").asText())) {
      JsonNode items = document.resolve(located.child("items").pointer()).node();
      ArrayNode array = JSON.createArrayNode();
      for (String value : values) {
        for (String part : splitCommas ? value.split(",", -1) : new String[] {value}) {
          array.add(scalar(part, items));
        }
      }
      return array;
    }
    return values.size() == 1 ? scalar(values.get(0), schema) : null;
  }

  private static JsonNode scalar(String value, JsonNode schema) {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    try {
      switch (schema.path("type").asText()) {
        case "integer":
          return nodes.numberNode(new BigInteger(value));
        case "number":
          return nodes.numberNode(new BigDecimal(value));
        case "boolean":
          if (value.equals("true") || value.equals("false")) {
            return nodes.booleanNode(Boolean.parseBoolean(value));
          }
          return nodes.textNode(value);
        default:
          return nodes.textNode(value);
      }
    } catch (NumberFormatException e) {
      return nodes.textNode(value);
    }
  }

  /**
   * Builds an {@link OpenApiSpec}. Not thread-safe; use one builder per thread.
   */
  public static final class Builder {
    private final Map<String, SpecDocument> documents = new LinkedHashMap<>();
    private boolean rejectUndeclaredRequestProperties;
    private boolean rejectUndeclaredResponseProperties;

    private Builder() {}

    /**
     * Adds an OpenAPI 3 document given as JSON text.
     *
     * @param name a name for messages and reports, unique within the builder, e.g. {@code
     *     "contacts.v3.json"}; not blank
     * @param json the document; not null
     * @return this builder
     * @throws NullPointerException naming {@code name} or {@code json} when null
     * @throws IllegalArgumentException naming the document when the name is blank or taken, or the
     *     text is not JSON, not OpenAPI 3 or declares no paths
     */
    public Builder document(String name, String json) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(json, "json");
      if (name.isBlank()) {
        throw new IllegalArgumentException("name must name the document, e.g. contacts.v3.json: '" + name + "'");
      }
      if (documents.containsKey(name)) {
        throw new IllegalArgumentException("name '" + name + "' is already the name of another document");
      }
      JsonNode root;
      try {
        root = JSON.readTree(json);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("document '" + name + "' is not JSON: " + e.getOriginalMessage(), e);
      }
      documents.put(name, new SpecDocument(name, root));
      return this;
    }

    /**
     * Adds an OpenAPI 3 JSON document read from the class path, named after its file name.
     *
     * @param resource an absolute resource path, e.g. {@code
     *     "/dev/crmkit/testkit/hubspot/openapi/contacts.v3.json"}
     * @return this builder
     * @throws NullPointerException naming {@code resource} when null
     * @throws IllegalArgumentException naming the resource when it does not exist, or as {@link #document} does
     * @throws UncheckedIOException when reading the resource fails
     */
    public Builder classpathDocument(String resource) {
      Objects.requireNonNull(resource, "resource");
      try (InputStream in = OpenApiSpec.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalArgumentException("resource must be on the class path: '" + resource + "'");
        }
        String name = resource.substring(resource.lastIndexOf('/') + 1);
        return document(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + resource, e);
      }
    }

    /**
     * Whether a request body may carry properties its object schemas do not declare. OpenAPI
     * allows them unless a schema says {@code additionalProperties: false}; turning this on
     * treats every object schema that lists {@code properties} and says nothing about {@code
     * additionalProperties} as closed, which catches misspelt field names. Schemas combining
     * others through allOf/oneOf/anyOf stay open, but their parts are closed, which suits oneOf
     * and anyOf and would wrongly reject a value assembled through allOf (HubSpot's specs use no
     * allOf). Default: {@code false}.
     *
     * @param reject true to report undeclared properties in request bodies
     * @return this builder
     */
    public Builder rejectUndeclaredRequestProperties(boolean reject) {
      this.rejectUndeclaredRequestProperties = reject;
      return this;
    }

    /**
     * As {@link #rejectUndeclaredRequestProperties}, for response bodies; useful to keep an
     * emulator from inventing fields. Default: {@code false}.
     *
     * @param reject true to report undeclared properties in response bodies
     * @return this builder
     */
    public Builder rejectUndeclaredResponseProperties(boolean reject) {
      this.rejectUndeclaredResponseProperties = reject;
      return this;
    }

    /**
     * Builds the spec.
     *
     * @return the spec over the documents added so far
     * @throws IllegalStateException when no document was added
     */
    public OpenApiSpec build() {
      if (documents.isEmpty()) {
        throw new IllegalStateException("add at least one OpenAPI document: call document(...) or classpathDocument(...)");
      }
      return new OpenApiSpec(this);
    }
  }
}
