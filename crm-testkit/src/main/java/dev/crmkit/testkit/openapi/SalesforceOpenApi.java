package dev.crmkit.testkit.openapi;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;

/**
 * Salesforce's sObjects OpenAPI (the "Lightning Platform REST API" document Salesforce generates for
 * one org, API v59.0), cut to the paths crmkit uses and bundled under {@value #RESOURCE_DIRECTORY}:
 * {@code /sobjects}, {@code /sobjects/{sObject}/describe}, {@code /sobjects/{sObject}/deleted},
 * {@code /sobjects/{sObject}/{id}/{blobField}}, and {@code /sobjects/X}, {@code /sobjects/X/{id}}
 * for Account, Contact, Lead, Opportunity, OpportunityContactRole, OpportunityLineItem, Task,
 * Event, Note, ContentDocumentLink, User, Case, CaseComment and Order. Its paths are relative to
 * {@code /services/data/vXX.X}; see {@link #specPath(HttpExchange)}. Query, composite, sObject
 * Collections, Bulk API 2.0, {@code /sobjects/{sObject}/updated}, {@code /limits} and OAuth have no
 * path here: {@link PostmanShapes} checks those.
 *
 * <p>The sObject schemas are one org's: they list that org's custom fields, not another's, so a
 * record body is checked field by field against the schema together with the org's describe by
 * {@link SalesforceConformance}, not by the schema alone.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/openapi_beta.htm">Salesforce: sObjects OpenAPI (beta)</a>
 */
public final class SalesforceOpenApi {
  /** The class-path directory holding the bundled spec. */
  public static final String RESOURCE_DIRECTORY = "/dev/crmkit/testkit/salesforce/openapi/";

  /** The bundled spec's file name. */
  public static final String DOCUMENT = "sobjects-openapi-v59.subset.json";

  private static final Pattern DATA_PREFIX = Pattern.compile("^/services/data/v\\d{2,3}\\.\\d(?=/|$)");

  /**
   * Where Salesforce, and so the provider, departs from the generated spec in requests: the sObject
   * schemas mark no field {@code nullable}, yet a write clears a field by sending it as JSON null.
   * Each pattern matches whole violation messages as {@link OpenApiSpec#check(HttpExchange)} words
   * them.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_update_fields.htm">Salesforce: update a record</a>
   */
  public static final List<Pattern> KNOWN_REQUEST_DEPARTURES = List.of(
      Pattern.compile(".*: request body \\$\\.\\w+: null found, \\w+ expected"));

  /**
   * Where Salesforce's answers, and so the emulator's, depart from the generated spec: a describe's
   * picklist value of an independent picklist has {@code "validFor": null} (the field is nillable,
   * as the PicklistValueInfo reference says; the generated schema does not mark it {@code
   * nullable}); and a record's date-time fields, like a get-deleted answer's {@code deletedDate},
   * come as {@code 2024-01-01T00:00:00.000+0000}, an offset without a colon, which the schemas' {@code date-time} format (RFC 3339) rejects. Requests
   * get no such allowance: send RFC 3339 ({@code Z} or {@code +00:00}). Each pattern matches whole
   * violation messages as {@link OpenApiSpec#check(HttpExchange)} words them, with {@link
   * OpenApiSpec.Builder#rejectUndeclaredResponseProperties(boolean)} on.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.object_reference.meta/object_reference/sforce_api_objects_picklistvalueinfo.htm">Salesforce: PicklistValueInfo</a>
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_get_deleted.htm">Salesforce: get deleted records (example response)</a>
   */
  public static final List<Pattern> KNOWN_RESPONSE_DEPARTURES = List.of(Pattern.compile(
      "GET /sobjects/\\{sObject}/describe: response 200 body \\$\\.fields\\[\\d+]\\.picklistValues\\[\\d+]"
          + "\\.validFor: null found, string expected"),
      Pattern.compile(".*: response 2\\d\\d body \\$(\\.(records|deletedRecords)\\[\\d+])?\\.\\w+: does not match the date-time"
          + " pattern must be a valid RFC 3339 date-time"));

  private SalesforceOpenApi() {}

  /**
   * Whether a violation is one of the known request or response departures.
   *
   * @param violation a message from {@link OpenApiSpec#check(HttpExchange)}; not null
   * @return true when a known departure pattern matches the whole message
   * @throws NullPointerException when {@code violation} is null
   */
  public static boolean isKnownDeparture(String violation) {
    Objects.requireNonNull(violation, "violation");
    return KNOWN_REQUEST_DEPARTURES.stream().anyMatch(p -> p.matcher(violation).matches())
        || KNOWN_RESPONSE_DEPARTURES.stream().anyMatch(p -> p.matcher(violation).matches());
  }

  /**
   * The exchange as the spec names its path: {@code /services/data/v59.0/sobjects/Contact} becomes
   * {@code /sobjects/Contact} (any {@code vNN.N}), and a trailing slash, which Salesforce ignores
   * ({@code /sobjects/Contact/deleted/?start=}), is dropped. An exchange outside {@code /services/data/vNN.N}
   * (such as {@code /services/oauth2/token}) is returned as is, and the spec does not cover it.
   *
   * @param exchange a recorded exchange; not null
   * @return the exchange with its path relative to the REST API version root
   * @throws NullPointerException when {@code exchange} is null
   */
  public static HttpExchange specPath(HttpExchange exchange) {
    HttpUrl url = HttpUrl.get(exchange.url());
    var matcher = DATA_PREFIX.matcher(url.encodedPath());
    if (!matcher.find()) {
      return exchange;
    }
    String rest = url.encodedPath().substring(matcher.end()).replaceFirst("(?<=.)/$", "");
    String rewritten = url.newBuilder().encodedPath(rest.isEmpty() ? "/" : rest).build().toString();
    return new HttpExchange(exchange.method(), rewritten, exchange.requestContentType(), exchange.requestBody(),
        exchange.status(), exchange.responseContentType(), exchange.responseBody());
  }

  /**
   * A builder holding the bundled spec, to which a test can add options or documents.
   *
   * @return a new builder
   */
  public static OpenApiSpec.Builder builder() {
    return OpenApiSpec.builder().classpathDocument(RESOURCE_DIRECTORY + DOCUMENT);
  }

  /**
   * The bundled spec with the default (spec-faithful) options.
   *
   * @return a new spec; building one parses about 500 KB of JSON, so share it across tests
   */
  public static OpenApiSpec spec() {
    return builder().build();
  }
}
