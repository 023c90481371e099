package dev.crmkit.examples.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.crmkit.examples.server.ApiClient.Answer;
import dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
import dev.crmkit.testkit.OAuthConsent;
import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example server over a real {@link dev.crmkit.integrations.IntegrationService} on in-memory H2,
 * with the HubSpot and Salesforce emulators, as {@code crmkit serve} wires them. Route tests loop over
 * {@link IntegrationsServer#routes()}, so a route added later is covered without editing them.
 */
class IntegrationsServerTest {
  private static final String ACME = "acme";
  private static final String GLOBEX = "globex";

  @TempDir static Path dataDir;

  private static ServeEnvironment env;
  private static ApiClient client;
  private static String acmeToken;
  private static String globexToken;

  @BeforeAll
  static void start() {
    env = ServeEnvironment.builder()
        .port(0)
        .dataDir(dataDir)
        .jdbcUrl("jdbc:h2:mem:server-test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
        .environment(Map.of())
        .tenants(List.of(ACME, GLOBEX))
        .start();
    client = new ApiClient(env.server().url());
    acmeToken = env.tokens().get(ACME);
    globexToken = env.tokens().get(GLOBEX);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  private static String hubspotDraft(String name) {
    return "{\"provider\":\"hubspot\",\"name\":\"" + name + "\",\"flow\":\"bidirectional\",\"schedule\":\"manual\","
        + "\"settings\":{\"" + HubSpotCustomerSystemProvider.BASE_URL + "\":\"" + env.hubspot().baseUrl() + "\"},"
        + "\"credentials\":{\"" + HubSpotCustomerSystemProvider.ACCESS_TOKEN + "\":\"" + env.hubspot().accessToken() + "\"}}";
  }

  private static JsonNode create(String token, String name) {
    Answer created = client.call("POST", IntegrationApi.BASE, token, hubspotDraft(name));
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    return created.json();
  }

  /** The path of a route with its captures filled: {id} the given id, others a plausible value. */
  private static String path(Route route, String id) {
    return route.pattern().replace(Route.INTEGRATION_ID, id).replace("{conflictId}", "conflict-1")
        .replace("{platform}", "hubspot").replace("{page}", "x").replace("{path*}", "server-test-fixture.css");
  }

  /** A body that would change something if the call went through. */
  private static String body(Route route) {
    if (route.method().equals("PUT") && route.pattern().endsWith("/mapping")) {
      return "{\"rules\":[{\"field\":\"email\",\"remoteField\":\"email\",\"flow\":\"push\",\"transform\":null}]}";
    }
    if (route.method().equals("PUT")) {
      return "{\"name\":\"taken over\",\"schedule\":\"hourly\"}";
    }
    if (route.pattern().endsWith("/resolve")) {
      return "{\"resolution\":\"remote\"}";
    }
    if (route.pattern().endsWith("/sync")) {
      return "{\"mode\":\"full\"}";
    }
    return route.method().equals("GET") || route.method().equals("DELETE") ? null : "{}";
  }

  private static List<Route> tenantRoutes() {
    return env.server().routes().stream().filter(r -> r.access() == Route.Access.TENANT).toList();
  }

  @Test
  void everyTenantRouteAnswers401WithoutATokenOrWithAWrongOne() {
    List<Route> routes = tenantRoutes();
    assertThat(routes).hasSizeGreaterThanOrEqualTo(16);
    String wrong = TenantTokens.newToken();

    for (Route route : routes) {
      for (String token : new String[] {null, wrong, acmeToken.substring(1), ""}) {
        Answer answer = client.call(route.method(), path(route, "whatever"), token, body(route));

        assertThat(answer.status()).as(route + " with token " + (token == null ? "none" : "wrong")).isEqualTo(401);
        assertThat(answer.errorCode()).isEqualTo("unauthorized");
        assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
      }
    }
  }

  @Test
  void everyRouteOnAnIntegrationAnswers404ToAnotherTenantAsToAnUnknownIdAndChangesNothing() {
    JsonNode integration = create(acmeToken, "Acme HubSpot");
    String id = integration.get("id").asText();
    Answer before = client.get(IntegrationApi.BASE + "/" + id, acmeToken);
    Answer mappingBefore = client.get(IntegrationApi.BASE + "/" + id + "/mapping", acmeToken);
    Answer logsBefore = client.get(IntegrationApi.BASE + "/" + id + "/logs", acmeToken);
    assertThat(List.of(before.status(), mappingBefore.status(), logsBefore.status())).as(logsBefore.toString())
        .containsOnly(200);
    List<Route> onOne = tenantRoutes().stream().filter(Route::ownsIntegration).toList();
    assertThat(onOne).hasSizeGreaterThanOrEqualTo(13);

    for (Route route : onOne) {
      Answer stolen = client.call(route.method(), path(route, id), globexToken, body(route));
      Answer unknown = client.call(route.method(), path(route, "no-such-id"), globexToken, body(route));

      assertThat(stolen.status()).as(route + ": " + stolen).isEqualTo(404);
      assertThat(stolen.errorCode()).isEqualTo("not_found");
      assertThat(stolen.json().toString().replace(id, "ID"))
          .as(route + ": another tenant's id reads like an unknown one")
          .isEqualTo(unknown.json().toString().replace("no-such-id", "ID"));
    }

    assertThat(client.get(IntegrationApi.BASE + "/" + id, acmeToken).json()).isEqualTo(before.json());
    assertThat(client.get(IntegrationApi.BASE + "/" + id + "/mapping", acmeToken).json()).isEqualTo(mappingBefore.json());
    assertThat(client.get(IntegrationApi.BASE + "/" + id + "/logs", acmeToken).json()).isEqualTo(logsBefore.json());
  }

  @Test
  void tenantRoutesWithoutAnIdShowAndTouchOnlyTheCallersIntegrations() {
    String acmeId = create(acmeToken, "Acme only").get("id").asText();
    Set<String> withoutId = tenantRoutes().stream().filter(r -> !r.ownsIntegration()).map(Route::toString)
        .collect(Collectors.toCollection(TreeSet::new));
    // A new tenant route without {id} must be added here with a check of its own.
    assertThat(withoutId).containsExactlyInAnyOrder("GET /api/v1/integrations", "GET /api/v1/integrations/configured",
        "POST /api/v1/integrations");

    Answer globexList = client.get(IntegrationApi.BASE + "/configured", globexToken);
    String globexId = create(globexToken, "Globex own").get("id").asText();
    Answer acmeList = client.get(IntegrationApi.BASE + "/configured", acmeToken);

    assertThat(globexList.status()).isEqualTo(200);
    assertThat(ids(globexList)).doesNotContain(acmeId);
    assertThat(ids(acmeList)).contains(acmeId).doesNotContain(globexId);
    assertThat(client.get(IntegrationApi.BASE + "/" + globexId, acmeToken).status()).isEqualTo(404);
    assertThat(client.get(IntegrationApi.BASE, globexToken).json().path("categories").size()).isPositive();
  }

  private static List<String> ids(Answer list) {
    List<String> ids = new ArrayList<>();
    list.json().path("integrations").forEach(i -> ids.add(i.path("id").asText()));
    return ids;
  }

  @Test
  void aBodyOverTheCapIs413WithOrWithoutAContentLength() {
    byte[] big = new byte[IntegrationsServer.DEFAULT_API_BODY_BYTES + 1];
    Arrays.fill(big, (byte) ' ');

    Answer declared = client.call("POST", IntegrationApi.BASE, acmeToken, HttpRequest.BodyPublishers.ofByteArray(big));
    Answer chunked = client.call("POST", IntegrationApi.BASE, acmeToken,
        HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
    byte[] bigWebhook = new byte[IntegrationsServer.DEFAULT_WEBHOOK_BODY_BYTES + 1];
    Answer webhook = client.call("POST", "/webhooks/integrations/hubspot", null,
        HttpRequest.BodyPublishers.ofByteArray(bigWebhook));

    assertThat(declared.status()).isEqualTo(413);
    assertThat(declared.errorCode()).isEqualTo("too_large");
    assertThat(chunked.status()).isEqualTo(413);
    assertThat(webhook.status()).isEqualTo(413);
  }

  @Test
  void aBodyJustUnderTheCapIsRead() {
    String padded = hubspotDraft("Padded");
    String body = padded + " ".repeat(IntegrationsServer.DEFAULT_API_BODY_BYTES - padded.length());

    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken, body).status()).isEqualTo(201);
  }

  @Test
  void malformedJsonIs400NamingTheBody() {
    Answer answer = client.call("POST", IntegrationApi.BASE, acmeToken, "{\"provider\": \"hubspot\",");

    assertThat(answer.status()).isEqualTo(400);
    assertThat(answer.errorCode()).isEqualTo("validation");
    assertThat(answer.errorField()).isEqualTo("body");
    assertThat(answer.json().path("error").path("message").asText()).contains("malformed JSON");
    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken, "[1,2]").errorField()).isEqualTo("body");
    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken, "{} {}").errorField()).isEqualTo("body");
  }

  @Test
  void aBadFieldIs400NamingTheField() {
    String draft = hubspotDraft("Bad");

    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken, draft.replace("\"bidirectional\"", "\"sideways\""))
        .errorField()).isEqualTo("flow");
    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken, draft.replace("\"schedule\"", "\"shedule\""))
        .errorField()).isEqualTo("shedule");
    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken, draft.replace("\"name\":\"Bad\"", "\"name\":7"))
        .errorField()).isEqualTo("name");
    assertThat(client.call("POST", IntegrationApi.BASE, acmeToken,
        draft.replace("\"settings\":{", "\"settings\":{\"nested\":{\"a\":1},")).errorField()).isEqualTo("settings.nested");
    Answer missing = client.call("POST", IntegrationApi.BASE, acmeToken, "{\"name\":\"x\",\"flow\":\"push\",\"schedule\":\"manual\"}");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.errorField()).isEqualTo("provider");
    String id = create(acmeToken, "Limits").get("id").asText();
    Answer limit = client.get(IntegrationApi.BASE + "/" + id + "/logs?limit=0", acmeToken);
    assertThat(limit.status()).isEqualTo(400);
    assertThat(limit.errorField()).isEqualTo("limit");
    Answer rules = client.call("PUT", IntegrationApi.BASE + "/" + id + "/mapping", acmeToken,
        "{\"rules\":[{\"field\":\"email\",\"remoteField\":\"email\",\"flow\":\"up\"}]}");
    assertThat(rules.errorField()).isEqualTo("rules[0].flow");
  }

  @Test
  void anUnknownRouteIs404AndAWrongMethod405WithAllow() {
    Answer unknown = client.get("/api/v1/nothing", acmeToken);
    Answer wrongMethod = client.call("PATCH", IntegrationApi.BASE + "/configured", acmeToken, "{}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.errorCode()).isEqualTo("not_found");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
    assertThat(client.get(IntegrationApi.BASE + "/", acmeToken).status()).isEqualTo(404);
  }

  @Test
  void apiAnswersAreNotCachedAndCarryTheSecurityHeaders() {
    Answer answer = client.get(IntegrationApi.BASE + "/configured", acmeToken);

    assertThat(answer.header("Cache-Control")).isEqualTo("no-store");
    assertThat(answer.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.header("Content-Security-Policy")).contains("default-src 'self'").contains("frame-ancestors 'none'");
  }

  @Test
  void thePagesAreServedAtTheirRoutesAsHtmlUnderTheStrictPolicy() {
    for (String[] page : new String[][] {{"/", "/assets/index.js"}, {"/integrations/new?provider=hubspot", "/assets/edit.js"},
        {"/integrations/some-id", "/assets/detail.js"}}) {
      Answer answer = client.get(page[0], null);

      assertThat(answer.status()).as(page[0]).isEqualTo(200);
      assertThat(answer.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
      assertThat(answer.header("Content-Security-Policy")).isEqualTo(IntegrationsServer.CONTENT_SECURITY_POLICY);
      assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(answer.response().body()).contains(page[1]);
      assertThat(client.get(page[1], null).header("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    }
    assertThat(client.call("POST", "/", null, "{}").status()).isEqualTo(405);
  }

  @Test
  void assetsAreServedWithTheirTypeAndTraversalIsNot() {
    Answer css = client.get("/assets/server-test-fixture.css", null);

    assertThat(css.status()).isEqualTo(200);
    assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(css.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(css.header("Content-Security-Policy")).isEqualTo(IntegrationsServer.CONTENT_SECURITY_POLICY);
    assertThat(css.response().body()).contains("color");
    assertThat(client.get("/assets/..%2Fpages%2Fassets%2Fserver-test-fixture.css", null).status()).isEqualTo(404);
    assertThat(client.get("/assets/%2E%2E/index.html", null).status()).isEqualTo(404);
    assertThat(client.get("/assets/server-test-fixture.class", null).status()).isEqualTo(404);
    assertThat(client.get("/assets/missing.css", null).status()).isEqualTo(404);
  }

  @Test
  void theOAuthCallbackWithoutAValidStateRedirectsToTheListWithAnError() {
    Answer noState = client.get("/api/v1/oauth/hubspot/callback?code=abc", null);
    Answer denied = client.get("/api/v1/oauth/hubspot/callback?error=access_denied&state=s", null);

    assertThat(noState.status()).isEqualTo(302);
    assertThat(noState.header("Location")).isEqualTo("/?oauthError=missing_code_or_state");
    assertThat(denied.header("Location")).isEqualTo("/?oauthError=access_denied");
  }

  @Test
  void aSalesforceIntegrationConnectsByOAuthThroughTheCallbackWhoseStateIsSingleUse() {
    String draft = "{\"provider\":\"salesforce\",\"name\":\"Acme Salesforce\",\"flow\":\"bidirectional\","
        + "\"schedule\":\"manual\",\"settings\":{\"clientId\":\"" + env.salesforceClientId() + "\",\"instanceUrl\":\""
        + env.salesforce().baseUrl() + "\",\"loginUrl\":\"" + env.salesforce().baseUrl() + "\"},"
        + "\"credentials\":{\"clientSecret\":\"" + env.salesforceClientSecret() + "\"}}";
    Answer created = client.call("POST", IntegrationApi.BASE, acmeToken, draft);
    assertThat(created.status()).as(created.toString()).isEqualTo(201);
    String id = created.json().path("id").asText();
    String callback = env.server().url() + "/api/v1/oauth/salesforce/callback";

    Answer foreignRedirect = client.get(IntegrationApi.BASE + "/" + id + "/connect?redirect="
        + URLEncoder.encode("https://evil.example/cb", UTF_8), acmeToken);
    Answer connect = client.get(IntegrationApi.BASE + "/" + id + "/connect", acmeToken);
    assertThat(foreignRedirect.status()).isEqualTo(400);
    assertThat(foreignRedirect.errorField()).isEqualTo("redirect");
    assertThat(connect.status()).as(connect.toString()).isEqualTo(200);
    URI authorizationUrl = URI.create(connect.json().path("authorizationUrl").asText());
    assertThat(authorizationUrl.toString()).startsWith(env.salesforce().baseUrl())
        .contains("redirect_uri=" + URLEncoder.encode(callback, UTF_8));

    HttpUrl redirect = OAuthConsent.using(new OkHttpClient()).allow(authorizationUrl);
    assertThat(redirect.toString()).startsWith(callback);
    String pathAndQuery = redirect.encodedPath() + "?" + redirect.encodedQuery();
    Answer back = client.get(pathAndQuery, null);
    Answer replayed = client.get(pathAndQuery, null);

    assertThat(back.status()).as(back.toString()).isEqualTo(302);
    assertThat(back.header("Location")).isEqualTo("/integrations/" + id + "?connected=1");
    assertThat(replayed.header("Location")).isEqualTo("/?oauthError=invalid_state");
    JsonNode connected = client.get(IntegrationApi.BASE + "/" + id, acmeToken).json();
    assertThat(connected.path("status").asText()).isEqualTo("active");
    assertThat(connected.path("accountId").asText()).isNotEmpty();
    assertThat(connected.toString()).doesNotContain(env.salesforceClientSecret());
    Answer test = client.call("POST", IntegrationApi.BASE + "/" + id + "/test", acmeToken, (String) null);
    assertThat(test.json().path("ok").asBoolean()).as(test.toString()).isTrue();
  }

  @Test
  void hubSpotWebhooksReachTheConnectedIntegrationThroughTheServerAndShowInItsLogs() {
    String draft = "{\"provider\":\"hubspot\",\"name\":\"Acme HubSpot app\",\"flow\":\"bidirectional\","
        + "\"schedule\":\"manual\",\"settings\":{\"clientId\":\"" + env.hubspotClientId() + "\",\"baseUrl\":\""
        + env.hubspot().baseUrl() + "\"},\"credentials\":{\"clientSecret\":\"" + env.hubspotClientSecret() + "\"}}";
    String id = client.call("POST", IntegrationApi.BASE, acmeToken, draft).json().path("id").asText();
    URI authorizationUrl = URI.create(client.get(IntegrationApi.BASE + "/" + id + "/connect", acmeToken).json()
        .path("authorizationUrl").asText());
    HttpUrl redirect = OAuthConsent.using(new OkHttpClient()).allow(authorizationUrl);
    assertThat(client.get(redirect.encodedPath() + "?" + redirect.encodedQuery(), null).header("Location"))
        .isEqualTo("/integrations/" + id + "?connected=1");
    String unsigned = "[{\"eventId\":1,\"subscriptionId\":1,\"portalId\":" + env.hubspot().webhooks().portalId()
        + ",\"appId\":1,\"occurredAt\":1,\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,\"objectId\":1}]";

    String contact = env.hubspot().seedContact(Map.of("email", "hook@example.com", "firstname", "Hook"));
    env.hubspot().updateContact(contact, Map.of("firstname", "Hooked"));
    env.flushWebhooks();
    Answer forged = client.call("POST", "/webhooks/integrations/hubspot", null, unsigned);

    assertThat(forged.status()).isEqualTo(401);
    JsonNode webhooks = client.get(IntegrationApi.BASE + "/" + id + "/logs", acmeToken).json().path("webhooks");
    assertThat(webhooks.findValuesAsText("outcome")).as(webhooks.toString()).contains("accepted", "bad_signature");
    assertThat(webhooks.findValuesAsText("platform")).containsOnly("hubspot");
  }

  @Test
  void closingAnIdleServerDoesNotWaitOutItsGraceAndThenRefusesConnections() {
    IntegrationsServer second = IntegrationsServer.builder().service(env.service())
        .tokens(TenantTokens.of(Map.of(acmeToken, ACME))).stopGrace(Duration.ofSeconds(5)).start();
    ApiClient secondClient = new ApiClient(second.url());
    assertThat(secondClient.get(IntegrationApi.BASE + "/configured", acmeToken).status()).isEqualTo(200);

    long started = System.nanoTime();
    second.close();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    assertThatThrownBy(() -> secondClient.get("/", null))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void aHubSpotIntegrationByApiKeyTestsSyncsShowsItsRunAndIsGoneAfterDelete() {
    env.hubspot().seedContact(Map.of("email", "ada@example.com", "firstname", "Ada", "lastname", "Lovelace"));
    JsonNode created = create(acmeToken, "Acme CRM");
    String id = created.get("id").asText();
    String one = IntegrationApi.BASE + "/" + id;

    assertThat(created.path("provider").asText()).isEqualTo("hubspot");
    assertThat(created.path("credentialKeys").toString()).contains(HubSpotCustomerSystemProvider.ACCESS_TOKEN);
    assertThat(created.toString()).doesNotContain(env.hubspot().accessToken());

    Answer test = client.call("POST", one + "/test", acmeToken, (String) null);
    assertThat(test.status()).as(test.toString()).isEqualTo(200);
    assertThat(test.json().path("ok").asBoolean()).as(test.toString()).isTrue();
    assertThat(test.json().path("failure").isNull()).isTrue();

    Answer sync = client.call("POST", one + "/sync", acmeToken, "{\"mode\":\"full\"}");
    assertThat(sync.status()).as(sync.toString()).isEqualTo(200);
    JsonNode result = sync.json().path("result");
    assertThat(sync.json().path("success").asBoolean()).as(sync.toString()).isTrue();
    assertThat(result.path("synced").asInt()).isPositive();
    assertThat(result.path("created").asInt()).isPositive();
    assertThat(result.has("updated")).isTrue();
    assertThat(result.path("errors").asInt()).isZero();
    assertThat(result.path("duration").isIntegralNumber()).isTrue();
    String runId = sync.json().path("runId").asText();

    Answer logs = client.get(one + "/logs?limit=5", acmeToken);
    assertThat(logs.status()).isEqualTo(200);
    assertThat(logs.json().path("runs").findValuesAsText("id")).contains(runId);
    assertThat(logs.json().path("webhooks").isArray()).isTrue();

    Answer deleted = client.call("DELETE", one + "?eraseSyncState=true", acmeToken, (String) null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(client.get(one, acmeToken).status()).isEqualTo(404);
    assertThat(client.get(one + "/logs", acmeToken).status()).isEqualTo(404);
  }

  @Test
  void enableDisableAndUpdateAnswerTheIntegration() {
    String id = create(acmeToken, "Toggle").get("id").asText();
    String one = IntegrationApi.BASE + "/" + id;

    Answer disabled = client.call("POST", one + "/disable", acmeToken, (String) null);
    Answer enabled = client.call("POST", one + "/enable", acmeToken, (String) null);
    Answer renamed = client.call("PUT", one, acmeToken, "{\"name\":\"Renamed\",\"schedule\":\"daily\"}");

    assertThat(disabled.json().path("status").asText()).as(disabled.toString()).isEqualTo("paused");
    assertThat(enabled.json().path("status").asText()).isEqualTo("active");
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(renamed.json().path("name").asText()).isEqualTo("Renamed");
    assertThat(renamed.json().path("schedule").asText()).isEqualTo("daily");
  }
}
