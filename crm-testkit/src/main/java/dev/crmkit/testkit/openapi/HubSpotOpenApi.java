package dev.crmkit.testkit.openapi;

import java.util.List;
import java.util.regex.Pattern;

/**
 * HubSpot's published OpenAPI specs, bundled unmodified under {@value #RESOURCE_DIRECTORY}:
 * CRM contacts v3, CRM deals v3, CRM notes v3, CRM pipelines v3, OAuth v1 and webhooks v3. The
 * deals spec names its paths by the deals objectTypeId ({@code /crm/v3/objects/0-3}); see
 * {@link #specPath(HttpExchange)}. Engagements other than notes (calls,
 * emails, meetings, communications) and v4 associations have no spec here, so requests to them
 * come out as not covered.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/overview">HubSpot API overview</a>
 */
public final class HubSpotOpenApi {
  /** The class-path directory holding the bundled spec files. */
  public static final String RESOURCE_DIRECTORY = "/dev/crmkit/testkit/hubspot/openapi/";

  /** The bundled spec files, by file name. */
  public static final List<String> DOCUMENTS =
      List.of("contacts.v3.json", "deals.v3.json", "notes.v3.json", "oauth.v1.json", "pipelines.v3.json",
          "webhooks.v3.json");

  private static final String DEALS_PATH = "/crm/v3/objects/deals";
  private static final String DEALS_SPEC_PATH = "/crm/v3/objects/0-3";

  /**
   * Where real HubSpot, and so the emulator, departs from HubSpot's own specs in its answers: a
   * requested property with no value comes back as JSON null (the specs say string), and error
   * bodies carry {@code "status": "error"}, which the Error schema does not declare. Each pattern
   * matches whole violation messages as {@link OpenApiSpec#check(HttpExchange)} words them, with
   * {@link OpenApiSpec.Builder#rejectUndeclaredResponseProperties(boolean)} on.
   */
  public static final List<Pattern> KNOWN_RESPONSE_DEPARTURES = List.of(
      Pattern.compile(".*: response 2\\d\\d body \\$(\\.results\\[\\d+])?\\.properties\\.\\w+: null found, string expected"),
      Pattern.compile(".*: response [45]\\d\\d body \\$: property 'status' is not defined in the schema and the"
          + " schema does not allow additional properties"));

  private HubSpotOpenApi() {}

  /**
   * Whether a violation is one of the {@link #KNOWN_RESPONSE_DEPARTURES}.
   *
   * @param violation a message from {@link OpenApiSpec#check(HttpExchange)}; not null
   * @return true when a known departure pattern matches the whole message
   * @throws NullPointerException when {@code violation} is null
   */
  public static boolean isKnownDeparture(String violation) {
    return KNOWN_RESPONSE_DEPARTURES.stream().anyMatch(p -> p.matcher(violation).matches());
  }

  /**
   * The exchange as HubSpot's deals spec names it: a request to {@code /crm/v3/objects/deals...}
   * becomes one to {@code /crm/v3/objects/0-3...} (the deals objectTypeId, which HubSpot's API takes
   * as well as {@code deals}), so the deals spec covers it; any other exchange is returned as is.
   *
   * @param exchange a recorded exchange; not null
   * @return the exchange with the deals path in the spec's form
   * @throws NullPointerException when {@code exchange} is null
   * @see <a href="https://developers.hubspot.com/docs/api/crm/understanding-the-crm">HubSpot: object type ids</a>
   */
  public static HttpExchange specPath(HttpExchange exchange) {
    okhttp3.HttpUrl url = okhttp3.HttpUrl.get(exchange.url());
    String path = url.encodedPath();
    if (!path.equals(DEALS_PATH) && !path.startsWith(DEALS_PATH + "/")) {
      return exchange;
    }
    String rewritten = url.newBuilder().encodedPath(DEALS_SPEC_PATH + path.substring(DEALS_PATH.length())).build()
        .toString();
    return new HttpExchange(exchange.method(), rewritten, exchange.requestContentType(), exchange.requestBody(),
        exchange.status(), exchange.responseContentType(), exchange.responseBody());
  }

  /**
   * A builder holding all six bundled specs, to which a test can add options or documents.
   *
   * @return a new builder
   */
  public static OpenApiSpec.Builder builder() {
    OpenApiSpec.Builder builder = OpenApiSpec.builder();
    DOCUMENTS.forEach(name -> builder.classpathDocument(RESOURCE_DIRECTORY + name));
    return builder;
  }

  /**
   * All six bundled specs with the default (spec-faithful) options.
   *
   * @return a new spec; building one parses about 400 KB of JSON, so share it across tests
   */
  public static OpenApiSpec spec() {
    return builder().build();
  }
}
