package dev.crmkit.integrations.internal;

import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.WebhookDelivery;
import dev.crmkit.integrations.WebhookDelivery.Outcome;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import dev.crmkit.webhook.WebhookResult;
import dev.crmkit.webhook.WebhookRouter;
import dev.crmkit.webhook.WebhookRouter.Refusal;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One entry point per platform for webhook deliveries of every tenant: finds the integration a delivery
 * belongs to by the account it names, verifies it with that integration's settings, stores its events
 * in that integration's inbox, logs the delivery and says what to answer. See {@link
 * dev.crmkit.integrations.IntegrationService#receiveWebhook} for the contract. Thread-safe.
 */
public final class WebhookRouting implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookRouting.class);
  private static final String TEXT = "text/plain; charset=utf-8";

  /** The integrations a delivery can be routed to: the store's view that routing needs. */
  public interface Accounts {
    /**
     * @param provider the canonical provider name
     * @param accountId the account id in the provider router's form
     * @return the integration of that provider connected to that account, or empty
     */
    Optional<Route> byAccount(String provider, String accountId);
  }

  /**
   * An integration a delivery was routed to.
   *
   * @param tenantId its tenant
   * @param integrationId its id
   * @param status where it stands
   * @param config its settings and opened credentials, built only when needed
   * @param inbox puts one verified event into its sync inbox (keyed by its tenant and id), true when new
   *     and false when the inbox already holds the event id; needs no remote system, so a disconnected
   *     integration's events are kept too
   * @param engine its sync engine, built only when its inbox is drained
   */
  public record Route(String tenantId, String integrationId, IntegrationStatus status, Supplier<TenantConfig> config,
      Predicate<ChangeEvent> inbox, Supplier<SyncEngine> engine) {}

  private final IntegrationFactory factory;
  private final Accounts accounts;
  private final WebhookDeliveryLog log;
  private final InboxDrains drains;
  private final Metrics metrics;
  private final Clock clock;

  /**
   * @param factory finds each platform's provider and its {@link WebhookRouter}
   * @param accounts finds the integration of an account
   * @param log the delivery log
   * @param drains applies the inboxes after the answer
   * @param metrics counts each delivery by provider, integration and outcome
   * @param clock the clock signature timestamps are checked against
   */
  public WebhookRouting(IntegrationFactory factory, Accounts accounts, WebhookDeliveryLog log,
      InboxDrains drains, Metrics metrics, Clock clock) {
    this.factory = Objects.requireNonNull(factory, "factory");
    this.accounts = Objects.requireNonNull(accounts, "accounts");
    this.log = Objects.requireNonNull(log, "log");
    this.drains = Objects.requireNonNull(drains, "drains");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The routing over the layer's runtime: integrations found by their stored account id, each one's
   * config and sync engine built by the runtime, deliveries logged on its data source.
   *
   * @param runtime the layer's shared context
   * @param drainExecutor runs the inbox drains, or {@code null} for {@link InboxDrains}' own threads
   * @param metrics the layer's meters
   * @return the routing; close it to stop its own drain threads
   */
  public static WebhookRouting of(Runtime runtime, java.util.concurrent.Executor drainExecutor, Metrics metrics) {
    Accounts accounts = (provider, account) -> runtime.byAccount(provider, account).map(s -> new Route(
        s.tenantId(), s.id(), s.integration().status(), () -> runtime.config(s),
        event -> runtime.syncStore().putEvent(Runtime.key(s.integration()), event), () -> runtime.engine(s)));
    return new WebhookRouting(runtime.factory(), accounts, new WebhookDeliveryLog(runtime.dataSource()),
        drainExecutor == null ? new InboxDrains() : new InboxDrains(drainExecutor), metrics, runtime.clock());
  }

  /**
   * Routes, verifies, stores and logs one delivery.
   *
   * @param platform the route's platform, a provider name or alias
   * @param request the delivery as received
   * @return the answer for the vendor
   */
  public WebhookResponse receive(String platform, WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    Optional<CustomerSystemProvider> provider = factory.provider(platform);
    Optional<WebhookRouter> found = provider.flatMap(CustomerSystemProvider::webhooks);
    if (found.isEmpty()) {
      // Not a platform with deliveries to route: nothing to log under, like any unknown path.
      return new WebhookResponse(404, TEXT, "no webhook route for this platform");
    }
    String name = provider.get().name();
    WebhookRouter router = found.get();
    if (request.bodyLength() > router.maxBodyBytes()) {
      return refuse(router, Refusal.TOO_LARGE, null, name, request, Outcome.TOO_LARGE, 0,
          "body of " + request.bodyLength() + " bytes is over the limit of " + router.maxBodyBytes() + " bytes");
    }
    String account;
    try {
      account = router.accountId(request);
    } catch (ValidationException e) {
      return refuse(router, Refusal.BAD_PAYLOAD, null, name, request, Outcome.BAD_PAYLOAD, 0,
          "names no single account: " + fields(e));
    }
    Optional<Route> routed = accounts.byAccount(name, account);
    if (routed.isEmpty()) {
      return refuse(router, Refusal.UNKNOWN_ACCOUNT, null, name, request, Outcome.UNROUTED, 0,
          "no " + name + " integration is connected to the account it names");
    }
    Route route = routed.get();
    WebhookResult result;
    try {
      WebhookHandler handler;
      try {
        handler = router.handler(route.config().get(), account, clock);
      } catch (ConfigurationException e) {
        LOG.warn("webhook for integration {} cannot be verified: {}", route.integrationId(), e.getMessage());
        return refuse(router, Refusal.BAD_SIGNATURE, route, name, request, Outcome.BAD_SIGNATURE, 0,
            "cannot be verified: the integration's webhook settings are missing or malformed");
      }
      result = handler.handle(request);
    } catch (SignatureVerificationException e) {
      return refuse(router, Refusal.BAD_SIGNATURE, route, name, request, Outcome.BAD_SIGNATURE, 0,
          "signature, sender or account not accepted");
    } catch (ValidationException e) {
      return refuse(router, Refusal.BAD_PAYLOAD, route, name, request, Outcome.BAD_PAYLOAD, 0,
          "verified, but not the vendor's payload: " + fields(e));
    }
    WebhookResponse answer = result.response();
    List<ChangeEvent> events = result.events();
    if (answer.status() / 100 != 2) {
      // The handler's own refusal, such as its size limit: answered as it says.
      return logged(route, name, request, answer, Outcome.BAD_PAYLOAD, events.size(), 0,
          "refused by the " + name + " handler");
    }
    if (route.status() == IntegrationStatus.PAUSED) {
      return logged(route, name, request, router.acknowledgement(), Outcome.PAUSED, events.size(), 0,
          "the integration is paused: acknowledged, not applied");
    }
    int duplicates = 0;
    try {
      for (ChangeEvent event : events) {
        if (!route.inbox().test(event)) {
          duplicates++;
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("webhook events for integration {} not stored: {}", route.integrationId(), e.toString());
      return refuse(router, Refusal.NOT_STORED, route, name, request, Outcome.NOT_STORED, events.size(),
          "verified, but its events could not be stored; the vendor delivers it again");
    }
    WebhookResponse accepted = logged(route, name, request, answer, Outcome.ACCEPTED, events.size(), duplicates, null);
    if (duplicates < events.size() && route.status() != IntegrationStatus.DISCONNECTED) {
      drains.drainSoon(route.integrationId(), route.engine());
    }
    return accepted;
  }

  /**
   * An integration's deliveries, newest first; the caller has checked that it is the tenant's.
   *
   * @param tenantId the tenant
   * @param integrationId the integration
   * @param limit at most this many
   * @return the deliveries
   */
  public List<WebhookDelivery> deliveries(String tenantId, String integrationId, int limit) {
    return log.recent(tenantId, integrationId, limit);
  }

  private WebhookResponse refuse(WebhookRouter router, Refusal refusal, Route route, String platform,
      WebhookRequest request, Outcome outcome, int events, String detail) {
    return logged(route, platform, request, router.refusal(refusal), outcome, events, 0, detail);
  }

  private WebhookResponse logged(Route route, String platform, WebhookRequest request, WebhookResponse answer,
      Outcome outcome, int events, int duplicates, String detail) {
    String integrationId = route == null ? null : route.integrationId();
    try {
      log.log(route == null ? null : route.tenantId(), integrationId, platform, request.receivedAt(), answer.status(),
          outcome, events, duplicates, detail);
    } catch (RuntimeException e) {
      // The answer stands: the events (if any) are stored; only the log line is lost.
      LOG.warn("webhook delivery on {} not logged: {}", platform, e.toString());
    }
    metrics.webhookDelivery(platform, integrationId, outcome.name().toLowerCase(java.util.Locale.ROOT));
    if (outcome != Outcome.ACCEPTED) {
      LOG.info("webhook delivery on {} for integration {}: {} ({}), answered {}", platform, integrationId, outcome,
          detail, answer.status());
    }
    return answer;
  }

  /** The fields a validation error names, never their values (an unverified payload's). */
  private static String fields(ValidationException e) {
    return e.fieldErrors().stream().map(FieldError::field).distinct().collect(Collectors.joining(", ", "field ", ""));
  }

  /** Stops the drain threads this routing owns, letting running drains finish. */
  @Override
  public void close() {
    drains.close();
  }

  @Override
  public String toString() {
    return "WebhookRouting";
  }
}
