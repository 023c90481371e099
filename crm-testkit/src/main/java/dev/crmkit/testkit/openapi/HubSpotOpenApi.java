package dev.crmkit.testkit.openapi;

import java.util.List;

/**
 * HubSpot's published OpenAPI specs, bundled unmodified under {@value #RESOURCE_DIRECTORY}:
 * CRM contacts v3, CRM notes v3, OAuth v1 and webhooks v3. Engagements other than notes (calls,
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
      List.of("contacts.v3.json", "notes.v3.json", "oauth.v1.json", "webhooks.v3.json");

  private HubSpotOpenApi() {}

  /**
   * A builder holding all four bundled specs, to which a test can add options or documents.
   *
   * @return a new builder
   */
  public static OpenApiSpec.Builder builder() {
    OpenApiSpec.Builder builder = OpenApiSpec.builder();
    DOCUMENTS.forEach(name -> builder.classpathDocument(RESOURCE_DIRECTORY + name));
    return builder;
  }

  /**
   * All four bundled specs with the default (spec-faithful) options.
   *
   * @return a new spec; building one parses about 200 KB of JSON, so share it across tests
   */
  public static OpenApiSpec spec() {
    return builder().build();
  }
}
