package dev.crmkit.testkit.openapi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks HTTP exchanges with Salesforce against both bundled materials at once: the sObjects
 * OpenAPI subset ({@link SalesforceOpenApi}) where it has the path, and the Postman collection's
 * request shapes ({@link PostmanShapes}) for query, composite, sObject Collections, Bulk API 2.0,
 * describe, get updated/deleted, limits and OAuth. A request both cover (a record create, read,
 * update or delete; describe; get deleted) is checked by both.
 *
 * <p>Operation names in reports: the OpenAPI's as {@code "GET /sobjects/Contact/{id}"} (paths
 * relative to {@code /services/data/vNN.N}), the collection's as its file name, such as {@code
 * "rest/query"}. A request neither covers is listed in {@link ConformanceReport#uncoveredRequests()}.
 *
 * <p>Record bodies (a create or update, the records of a Collections call or of a composite
 * subrequest) may carry the fields the OpenAPI schema of their type lists and those of the org's
 * describe given to {@link Builder#describe(String)}; any other key is a violation. The OpenAPI
 * request check itself is open (its schemas list one org's custom fields, not the tested org's);
 * responses are checked against the OpenAPI with undeclared properties rejected.
 *
 * <p>Two Salesforce resources the subset lacks fit its templates by shape, and are kept from it:
 * {@code /sobjects/{type}/updated} (it would read as a record id) and the upsert by external id,
 * {@code PATCH /sobjects/{type}/{field}/{value}} (it would read as a blob field). The upsert is not
 * in the collection either (the collection has its GET), so it is reported as not covered. Violations
 * matching {@link SalesforceOpenApi#isKnownDeparture} are left out.
 *
 * <p>Immutable and thread-safe.
 */
public final class SalesforceConformance {
  private static final Pattern GET_UPDATED = Pattern.compile("/sobjects/[^/]+/updated/?");
  private static final Pattern EXTERNAL_ID_ROW = Pattern.compile("/sobjects/[^/]+/[^/]+/[^/]+");
  private static final Pattern DATA_EXTERNAL_ID_ROW =
      Pattern.compile("/services/data/v\\d{2,3}\\.\\d/sobjects/[^/]+/[^/]+/[^/]+");

  private final OpenApiSpec openApi;
  private final PostmanShapes postman;

  private SalesforceConformance(Builder builder) {
    this.openApi = SalesforceOpenApi.builder().rejectUndeclaredResponseProperties(true).build();
    this.postman = builder.postman.build();
  }

  /** A builder over both bundled materials with no describe given. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Every operation of both materials: the OpenAPI's as {@code "METHOD /path"}, the collection's by
   * file name.
   *
   * @return a new sorted set
   */
  public SortedSet<String> operations() {
    SortedSet<String> all = new TreeSet<>(openApi.operations());
    all.addAll(postman.operations());
    return all;
  }

  /** The Postman checker this conformance uses, for its operation descriptions and refinements. */
  public PostmanShapes postman() {
    return postman;
  }

  /**
   * What one exchange did.
   *
   * @param operations the operations it matched, zero (not covered) to two (both materials)
   * @param covered whether either material has its path
   * @param violations its violations, known departures left out
   */
  public record Result(SortedSet<String> operations, boolean covered, List<String> violations) {
    /** Copies both collections. */
    public Result {
      operations = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(operations));
      violations = List.copyOf(violations);
    }
  }

  /**
   * Checks one exchange against both materials.
   *
   * @param exchange the exchange; not null
   * @return the operations matched and the violations
   * @throws NullPointerException when {@code exchange} is null
   */
  public Result check(HttpExchange exchange) {
    Objects.requireNonNull(exchange, "exchange");
    SortedSet<String> operations = new TreeSet<>();
    List<String> violations = new ArrayList<>();
    boolean covered = false;
    HttpExchange relative = SalesforceOpenApi.specPath(exchange);
    String path = relative.httpUrl().encodedPath();
    boolean underData = relative != exchange;
    boolean keptFromSubset = GET_UPDATED.matcher(path).matches()
        || (!exchange.method().equals("GET") && EXTERNAL_ID_ROW.matcher(path).matches());
    if (underData && !keptFromSubset) {
      ConformanceReport report = openApi.report(List.of(relative));
      operations.addAll(report.exercisedOperations());
      covered = report.uncoveredRequests().isEmpty();
      report.violations().stream().filter(v -> !SalesforceOpenApi.isKnownDeparture(v)).forEach(violations::add);
    }
    boolean upsertByExternalId = !exchange.method().equals("GET")
        && DATA_EXTERNAL_ID_ROW.matcher(exchange.httpUrl().encodedPath()).matches();
    if (!upsertByExternalId) {
      PostmanShapes.Result shapes = postman.check(exchange);
      if (shapes.operation() != null) {
        operations.add(shapes.operation());
      }
      covered |= shapes.covered();
      violations.addAll(shapes.violations());
    }
    return new Result(operations, covered, violations);
  }

  /**
   * Checks every exchange and reports coverage over both materials.
   *
   * @param exchanges the exchanges, e.g. {@link RecordingInterceptor#exchanges()}; not null
   * @return the violations, the operations of both materials exercised and not, and the requests
   *     neither covers ({@code "METHOD /path: not covered by a provided spec"})
   * @throws NullPointerException when {@code exchanges} or an element is null
   */
  public ConformanceReport report(Collection<HttpExchange> exchanges) {
    List<String> violations = new ArrayList<>();
    SortedSet<String> exercised = new TreeSet<>();
    List<String> uncovered = new ArrayList<>();
    for (HttpExchange exchange : exchanges) {
      Result result = check(exchange);
      violations.addAll(result.violations());
      exercised.addAll(result.operations());
      if (!result.covered()) {
        uncovered.add(exchange.method() + " " + exchange.httpUrl().encodedPath() + ": not covered by a provided spec");
      }
    }
    SortedSet<String> unexercised = operations();
    unexercised.removeAll(exercised);
    return new ConformanceReport(violations, exercised, unexercised, uncovered);
  }

  /** Builds {@link SalesforceConformance}. Not thread-safe. */
  public static final class Builder {
    private final PostmanShapes.Builder postman = PostmanShapes.builder();

    private Builder() {}

    /**
     * As {@link PostmanShapes.Builder#sObjectFields}.
     *
     * @param type the sObject API name; not blank
     * @param names field API names; not null
     * @return this builder
     */
    public Builder sObjectFields(String type, Collection<String> names) {
      postman.sObjectFields(type, names);
      return this;
    }

    /**
     * As {@link PostmanShapes.Builder#describe}: the org's fields of one sObject type.
     *
     * @param describeJson a describe answer's JSON; not null
     * @return this builder
     */
    public Builder describe(String describeJson) {
      postman.describe(describeJson);
      return this;
    }

    /**
     * Builds the checker; parses about 600 KB of JSON, so share it across tests.
     *
     * @return the checker
     */
    public SalesforceConformance build() {
      return new SalesforceConformance(this);
    }
  }
}
