package dev.crmkit.hubspot.internal;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
import dev.crmkit.hubspot.HubSpotWebhookHandler;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import dev.crmkit.webhook.WebhookRouter;
import java.time.Clock;
import java.util.Objects;

/**
 * Routes HubSpot webhook deliveries by portal: the account id is the {@code portalId} every event of
 * the delivery names; the handler is a {@link HubSpotWebhookHandler} (v3 signatures only) keyed by the
 * integration's {@code clientSecret} credential. HubSpot retries a delivery answered 429 or 5xx (or not
 * answered within 5 seconds) and never one answered 400, 401, 403, 404 or 405, so the refusals use
 * those: an unknown portal 404, a bad signature 401, a malformed body 400; a body over the limit 413
 * (HubSpot sends at most 100 events, far less); events that could not be stored 500, so HubSpot
 * delivers them again. Thread-safe.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks">HubSpot: webhooks API (retries)</a>
 */
public final class PortalRouter implements WebhookRouter {
  private static final String TEXT = "text/plain; charset=utf-8";
  private final EventParser parser = new EventParser();

  @Override
  public int maxBodyBytes() {
    return HubSpotWebhookHandler.DEFAULT_MAX_BODY_BYTES;
  }

  @Override
  public String accountId(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    return parser.portalId(request.body());
  }

  @Override
  public WebhookHandler handler(TenantConfig config, String accountId, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(clock, "clock");
    String secret = config.credentials().get(HubSpotCustomerSystemProvider.CLIENT_SECRET);
    if (secret == null || secret.isBlank()) {
      throw new ConfigurationException("tenant '" + config.tenantId() + "', provider 'hubspot': webhooks need credential '"
          + HubSpotCustomerSystemProvider.CLIENT_SECRET + "', the client secret of the app that signs them");
    }
    return HubSpotWebhookHandler.builder().clientSecret(secret).clock(clock).build();
  }

  @Override
  public WebhookResponse acknowledgement() {
    return WebhookResponse.ok();
  }

  @Override
  public WebhookResponse refusal(Refusal refusal) {
    return switch (Objects.requireNonNull(refusal, "refusal")) {
      case UNKNOWN_ACCOUNT -> new WebhookResponse(404, TEXT, "no integration for this portal");
      case BAD_SIGNATURE -> new WebhookResponse(401, TEXT, "signature rejected");
      case BAD_PAYLOAD -> new WebhookResponse(400, TEXT, "not a HubSpot webhook payload for one portal");
      case TOO_LARGE -> new WebhookResponse(413, TEXT, "body larger than " + maxBodyBytes() + " bytes");
      case NOT_STORED -> new WebhookResponse(500, TEXT, "events not stored; deliver again");
    };
  }

  @Override
  public String toString() {
    return "HubSpot PortalRouter";
  }
}
