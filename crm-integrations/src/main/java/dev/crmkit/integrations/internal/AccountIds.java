package dev.crmkit.integrations.internal;

import dev.crmkit.CustomerSystemProvider;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.WebhookRouter;
import dev.crmkit.webhook.WebhookRouter.ConfiguredAccount;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives integrations connected without OAuth (an API key, an access token) their vendor account id,
 * which webhook routing ({@link WebhookRouting}) looks deliveries up by; asks the provider's
 * {@link WebhookRouter}, so this layer stays vendor-neutral. Two moments:
 * <ul>
 *   <li>create and update: the account the settings name ({@link WebhookRouter#configuredAccount},
 *       Salesforce's {@code organizationId} in its 18-character form) becomes the account id; a
 *       malformed one is a {@link ValidationException} and one another integration holds a
 *       {@link ConflictException}, both naming {@code settings.<key>};
 *   <li>a successful connection test (also the health-check job's) of an integration without an account
 *       id: one lookup through its system ({@link WebhookRouter#connectedAccountId}, HubSpot's {@code GET
 *       /account-info/v3/details}). Not at create: a create makes no vendor call, so it never waits on,
 *       or fails by, the vendor; an integration created active gets its account at its first test or
 *       health check (every 5 minutes by default).
 * </ul>
 * Thread-safe.
 */
public final class AccountIds {
  /** How the last error of a failed lookup starts; a later successful lookup clears it. */
  static final String LOOKUP_FAILED = "connected, but its account could not be looked up, so its webhooks are not "
      + "routed to it: ";
  private static final Logger LOG = LoggerFactory.getLogger(AccountIds.class);

  private final Runtime runtime;

  public AccountIds(Runtime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  /**
   * The account a provider's settings name, or empty (no webhook routing, or no such setting given).
   *
   * @throws ValidationException naming {@code settings.<key>} when the setting is malformed
   */
  public Optional<ConfiguredAccount> configured(String tenantId, String provider, Map<String, String> settings) {
    Optional<WebhookRouter> router = runtime.factory().provider(provider).flatMap(CustomerSystemProvider::webhooks);
    if (router.isEmpty()) {
      return Optional.empty();
    }
    try {
      return router.get().configuredAccount(new TenantConfig(tenantId, provider, 0, settings, Map.of()));
    } catch (ValidationException e) {
      throw new ValidationException(null, e.fieldErrors().stream()
          .map(f -> new FieldError("settings." + f.field(), f.value(), f.message())).toList());
    }
  }

  /**
   * The clash of a configured account with another integration's, naming the setting; {@code e} itself
   * when it is another conflict (such as the version).
   */
  public static ConflictException taken(Optional<ConfiguredAccount> configured, ConflictException e) {
    if (configured.isEmpty() || !"accountId".equals(e.field())) {
      return e;
    }
    ConfiguredAccount a = configured.get();
    return new ConflictException("setting '" + a.setting() + "': the account '" + a.accountId()
        + "' is connected to another integration already; each account routes its webhooks to one integration",
        null, "settings." + a.setting(), null, 409, null, null, e);
  }

  /**
   * Looks up and stores the account of an integration that has none, after its connection succeeded.
   * Never throws: a failed lookup (the vendor, or another integration holding the account) is kept as
   * the integration's last error, since its webhooks stay unrouted until it is fixed; a later successful
   * lookup clears that error.
   */
  public void lookUp(StoredIntegration s) {
    if (s.integration().accountId() != null) {
      return;
    }
    Optional<WebhookRouter> router = runtime.factory().provider(s.integration().provider())
        .flatMap(CustomerSystemProvider::webhooks);
    if (router.isEmpty()) {
      return;
    }
    String id = s.id();
    try {
      TenantConfig config = runtime.config(s);
      Optional<String> account = router.get().connectedAccountId(config, runtime.remote(s));
      if (account.isPresent()) {
        runtime.update(id, null, e -> {
          if (e.accountId == null) {
            e.accountId = account.get();
          }
          if (e.lastError != null && e.lastError.startsWith(LOOKUP_FAILED)) {
            e.lastError = null;
          }
        });
      }
    } catch (NotFoundException deletedMeanwhile) {
      // Nothing to store it on.
    } catch (CrmException e) {
      // crmkit's messages hold no secret; the tenant sees why webhooks do not arrive.
      LOG.info("account of integration '{}' not looked up: {}", id, e.getMessage());
      try {
        runtime.update(id, null, edit -> edit.lastError = LOOKUP_FAILED + e.getMessage());
      } catch (NotFoundException deletedMeanwhile) {
        // Nothing to record on.
      }
    }
  }
}
