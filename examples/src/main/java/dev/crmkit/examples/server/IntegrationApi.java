package dev.crmkit.examples.server;

import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.examples.webhook.JdkHttp;
import dev.crmkit.integrations.IntegrationDraft;
import dev.crmkit.integrations.IntegrationService;
import dev.crmkit.integrations.IntegrationUpdate;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.SyncSchedule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.webhook.WebhookRequest;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The REST API's routes over an {@link IntegrationService} (README, "The example server"). Every tenant
 * route hands the caller's tenant id to the service, which acts only on that tenant's integrations;
 * routes on one integration ({@code {id}}) are also checked by the server before they run (see
 * {@link Route#ownsIntegration()}).
 */
final class IntegrationApi {
  static final String BASE = "/api/v1/integrations";
  static final String ONE = BASE + "/" + Route.INTEGRATION_ID;

  /** The most runs, deliveries or conflicts one answer lists. */
  static final int MAX_LIMIT = 200;
  /** How many runs, deliveries or conflicts an answer lists without {@code ?limit=}. */
  static final int DEFAULT_LIMIT = 20;
  /** The most mapping rules one integration takes. */
  static final int MAX_RULES = 200;

  /** Who resolved a conflict, as the service records it; a host passes its signed-in user instead. */
  static final String RESOLVED_BY = "example-server";

  private final IntegrationService service;

  IntegrationApi(IntegrationService service) {
    this.service = service;
  }

  /**
   * Every API route.
   *
   * @param apiBodyBytes the body cap of tenant routes
   * @param webhookBodyBytes the body cap of the vendor webhook route
   */
  List<Route> routes(int apiBodyBytes, int webhookBodyBytes) {
    List<Route> r = new ArrayList<>();
    r.add(tenant("GET", BASE, apiBodyBytes, c -> c.json(200, ApiViews.catalogue(service.catalogue()))));
    r.add(tenant("GET", BASE + "/configured", apiBodyBytes, c -> c.json(200, ApiViews.configured(service.list(c.tenant())))));
    r.add(tenant("POST", BASE, apiBodyBytes, this::create));
    r.add(tenant("GET", ONE, apiBodyBytes, c -> c.json(200, ApiViews.integration(service.get(c.tenant(), id(c))))));
    r.add(tenant("PUT", ONE, apiBodyBytes, this::update));
    r.add(tenant("DELETE", ONE, apiBodyBytes, this::delete));
    r.add(tenant("POST", ONE + "/enable", apiBodyBytes,
        c -> c.json(200, ApiViews.integration(service.enable(c.tenant(), id(c))))));
    r.add(tenant("POST", ONE + "/disable", apiBodyBytes,
        c -> c.json(200, ApiViews.integration(service.disable(c.tenant(), id(c))))));
    r.add(tenant("POST", ONE + "/test", apiBodyBytes,
        c -> c.json(200, ApiViews.connectionTest(service.testConnection(c.tenant(), id(c))))));
    r.add(tenant("POST", ONE + "/sync", apiBodyBytes, this::sync));
    r.add(tenant("GET", ONE + "/logs", apiBodyBytes, c -> {
      int limit = limit(c);
      c.json(200, ApiViews.logs(service.history(c.tenant(), id(c), limit),
          service.webhookDeliveries(c.tenant(), id(c), limit)));
    }));
    r.add(tenant("GET", ONE + "/mapping", apiBodyBytes, c -> c.json(200, ApiViews.mapping(service.mapping(c.tenant(), id(c))))));
    r.add(tenant("PUT", ONE + "/mapping", apiBodyBytes, this::updateMapping));
    r.add(tenant("GET", ONE + "/conflicts", apiBodyBytes,
        c -> c.json(200, ApiViews.conflicts(service.conflicts(c.tenant(), id(c), limit(c))))));
    r.add(tenant("POST", ONE + "/conflicts/{conflictId}/resolve", apiBodyBytes, this::resolve));
    r.add(tenant("GET", ONE + "/connect", apiBodyBytes, this::connect));
    r.add(new Route("GET", "/api/v1/oauth/{platform}/callback", Route.Access.PUBLIC, 0, this::oauthCallback));
    r.add(new Route("POST", "/webhooks/integrations/{platform}", Route.Access.PUBLIC, webhookBodyBytes, this::webhook));
    return r;
  }

  private static Route tenant(String method, String pattern, int maxBodyBytes, Route.Handler handler) {
    return new Route(method, pattern, Route.Access.TENANT, maxBodyBytes, handler);
  }

  private static String id(Call c) {
    return c.param("id");
  }

  private void create(Call c) throws IOException {
    JsonBody body = c.json().only("provider", "name", "flow", "schedule", "settings", "credentials");
    IntegrationDraft draft = new IntegrationDraft(
        body.text("provider", true),
        body.text("name", true),
        body.choice("flow", SyncFlow.class, true),
        body.choice("schedule", SyncSchedule.class, true),
        orEmpty(body.strings("settings", true)),
        orEmpty(body.strings("credentials", false)));
    TenantIntegration created = service.create(c.tenant(), draft);
    c.exchange().getResponseHeaders().set("Location", BASE + "/" + created.id());
    c.json(201, ApiViews.integration(created));
  }

  private void update(Call c) throws IOException {
    JsonBody body = c.json().only("name", "flow", "schedule", "settings", "credentials", "version");
    Long version = body.whole("version");
    if (version != null && version < 0) {
      throw ApiError.badField("version", "must be 0 or more, was " + version);
    }
    IntegrationUpdate update = new IntegrationUpdate(
        body.text("name", false),
        body.choice("flow", SyncFlow.class, false),
        body.choice("schedule", SyncSchedule.class, false),
        body.strings("settings", true),
        body.strings("credentials", false),
        version);
    TenantIntegration updated;
    try {
      updated = service.update(c.tenant(), id(c), update);
    } catch (ConflictException e) {
      throw new ApiError(409, "conflict", e.getMessage(), "version");
    }
    c.json(200, ApiViews.integration(updated));
  }

  private void delete(Call c) throws IOException {
    service.delete(c.tenant(), id(c), flag(c, "eraseSyncState"));
    c.noContent();
  }

  private void sync(Call c) throws IOException {
    JsonBody body = c.json().only("mode", "customerId");
    SyncMode mode = body.choice("mode", SyncMode.class, false);
    String customerId = body.text("customerId", false);
    if (customerId != null && mode != null) {
      throw ApiError.badField("mode", "goes without customerId: one customer is synced as it is now");
    }
    c.json(200, ApiViews.syncResult(customerId != null
        ? service.syncCustomer(c.tenant(), id(c), customerId)
        : service.syncNow(c.tenant(), id(c), mode == null ? SyncMode.DELTA : mode)));
  }

  private void updateMapping(Call c) throws IOException {
    JsonBody body = c.json().only("rules");
    List<MappingRule> rules = new ArrayList<>();
    List<JsonBody> given = body.objects("rules", MAX_RULES);
    for (int i = 0; i < given.size(); i++) {
      JsonBody rule = given.get(i).only("field", "remoteField", "flow", "transform");
      try {
        rules.add(new MappingRule(rule.text("field", true), rule.text("remoteField", true),
            rule.choice("flow", SyncFlow.class, true), rule.text("transform", false)));
      } catch (ValidationException e) {
        // The record names its own component; the caller needs the rule's place in the body too.
        FieldError first = e.fieldErrors().get(0);
        throw ApiError.badField("rules[" + i + "]." + first.field(), first.message());
      }
    }
    c.json(200, ApiViews.mapping(service.updateMapping(c.tenant(), id(c), rules)));
  }

  private void resolve(Call c) throws IOException {
    JsonBody body = c.json().only("resolution");
    SyncSide side = body.choice("resolution", SyncSide.class, true);
    if (side == SyncSide.MERGED) {
      throw ApiError.badField("resolution", "must be local or remote, was 'merged'");
    }
    c.json(200, ApiViews.conflict(service.resolveConflict(c.tenant(), id(c), c.param("conflictId"), side, RESOLVED_BY)));
  }

  private void connect(Call c) throws IOException {
    TenantIntegration integration = service.get(c.tenant(), id(c));
    URI callback = URI.create(c.publicBase() + "/api/v1/oauth/" + integration.provider() + "/callback");
    String redirect = c.query("redirect");
    if (redirect != null && !redirect.isEmpty() && !redirect.equals(callback.toString())) {
      // Only this server's callback: anything else would send the vendor's code to another site.
      throw ApiError.badField("redirect", "must be this server's callback " + callback + " or absent");
    }
    c.json(200, ApiViews.oauthStart(service.startOAuth(c.tenant(), id(c), callback)));
  }

  /**
   * The vendor sends the user back here with {@code code} and {@code state} (or {@code error});
   * the answer sends the browser on to the integration's page, or to the list with {@code oauthError}:
   * the vendor's {@code error} (such as {@code access_denied}), {@code missing_code_or_state}, {@code
   * invalid_state} (forged, used, expired, another platform's), {@code code_refused} (the vendor refused
   * the code), {@code account_already_connected} (another integration holds that account), {@code
   * exchange_failed}.
   */
  private void oauthCallback(Call c) throws IOException {
    String vendorError = c.query("error");
    String code = c.query("code");
    String state = c.query("state");
    if (vendorError != null || code == null || code.isEmpty() || state == null || state.isEmpty()) {
      c.redirect("/?oauthError=" + encode(vendorError != null ? vendorError : "missing_code_or_state"));
      return;
    }
    TenantIntegration connected;
    try {
      connected = service.completeOAuth(c.param("platform"), code, state);
    } catch (NotFoundException | ValidationException e) {
      c.redirect("/?oauthError=invalid_state");
      return;
    } catch (ConflictException e) {
      c.redirect("/?oauthError=account_already_connected");
      return;
    } catch (AuthenticationException e) {
      c.redirect("/?oauthError=code_refused");
      return;
    } catch (CrmException e) {
      c.redirect("/?oauthError=exchange_failed");
      return;
    }
    c.redirect("/integrations/" + encode(connected.id()) + "?connected=1");
  }

  private void webhook(Call c) throws IOException {
    WebhookRequest request = JdkHttp.request(c.exchange(), c.publicBase(), c.body());
    JdkHttp.answer(c.exchange(), service.receiveWebhook(c.param("platform"), request));
  }

  private static int limit(Call c) {
    String raw = c.query("limit");
    if (raw == null || raw.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(raw);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // falls through to the error naming the field
    }
    throw ApiError.badField("limit", "must be a whole number from 1 to " + MAX_LIMIT + ", was '"
        + (raw.length() > 16 ? raw.substring(0, 16) + "…" : raw) + "'");
  }

  private static boolean flag(Call c, String name) {
    String raw = c.query(name);
    if (raw == null || raw.isEmpty() || raw.equals("false")) {
      return false;
    }
    if (raw.equals("true")) {
      return true;
    }
    throw ApiError.badField(name, "must be true or false");
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
