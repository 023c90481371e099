package dev.crmkit.salesforce.internal;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.salesforce.SalesforceOutboundMessageHandler;
import dev.crmkit.webhook.WebhookHandler;
import dev.crmkit.webhook.WebhookRequest;
import dev.crmkit.webhook.WebhookResponse;
import dev.crmkit.webhook.WebhookRouter;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Routes Salesforce outbound messages by org: the account id is the message's {@code OrganizationId} in
 * its 18-character form, read with the hardened {@link OutboundMessageParser} (no DOCTYPE, no entity,
 * capped nesting and notifications); the handler is a {@link SalesforceOutboundMessageHandler} built from
 * the integration's {@code organizationId} (or, when not set, as after an OAuth connect, its stored account
 * id) and {@code outboundMessageIpRanges} settings, which checks the sender and the org again. Salesforce delivers again every message not answered with an
 * acknowledgement (for up to 24 hours), whatever the status, so every refusal is a SOAP 1.1 fault whose
 * HTTP status says why: 404 unknown org, 403 wrong org or sender, 400 malformed, 413 too large, and 500
 * ({@link SalesforceOutboundMessageHandler#negativeAcknowledgement()}) when the events were not stored.
 * Thread-safe.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_om_outboundmessaging_understanding.htm">Salesforce: outbound messaging</a>
 */
public final class OrgRouter implements WebhookRouter {
  private final OutboundMessageParser parser = new OutboundMessageParser(SalesforceOutboundMessageHandler.MAX_NOTIFICATIONS);

  @Override
  public int maxBodyBytes() {
    return SalesforceOutboundMessageHandler.DEFAULT_MAX_BODY_BYTES;
  }

  @Override
  public String accountId(WebhookRequest request) {
    Objects.requireNonNull(request, "request");
    String org = SalesforceIds.to18(parser.parse(request.body()).organizationId());
    if (org == null || !org.startsWith("00D")) {
      throw new ValidationException(SalesforceApi.PROVIDER, List.of(new FieldError("OrganizationId", null,
          "not a 15- or 18-character org id starting 00D")));
    }
    return org;
  }

  @Override
  public WebhookHandler handler(TenantConfig config, String accountId, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(clock, "clock");
    TenantConfig effective = config;
    String configured = config.setting(SalesforceCustomerSystemProvider.ORGANIZATION_ID);
    if (configured == null || configured.isBlank()) {
      // Connected by OAuth: the org the identity URL named is the integration's account.
      Map<String, String> settings = new HashMap<>(config.settings());
      settings.put(SalesforceCustomerSystemProvider.ORGANIZATION_ID, accountId);
      effective = new TenantConfig(config.tenantId(), config.provider(), config.version(), settings,
          config.credentials());
    }
    return SalesforceCustomerSystemProvider.outboundMessageHandler(effective).build();
  }

  @Override
  public WebhookResponse acknowledgement() {
    return SalesforceOutboundMessageHandler.acknowledgement();
  }

  @Override
  public WebhookResponse refusal(Refusal refusal) {
    return switch (Objects.requireNonNull(refusal, "refusal")) {
      case UNKNOWN_ACCOUNT -> fault(404, "no integration for this organization");
      case BAD_SIGNATURE -> fault(403, "sender or organization refused");
      case BAD_PAYLOAD -> fault(400, "not an outbound message for one organization");
      case TOO_LARGE -> fault(413, "message larger than " + maxBodyBytes() + " bytes");
      case NOT_STORED -> SalesforceOutboundMessageHandler.negativeAcknowledgement();
    };
  }

  private static WebhookResponse fault(int status, String text) {
    return new WebhookResponse(status, SalesforceOutboundMessageHandler.CONTENT_TYPE,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\">\n"
            + " <soapenv:Body>\n"
            + "  <soapenv:Fault>\n"
            + "   <faultcode>soapenv:Client</faultcode>\n"
            + "   <faultstring>" + text + "</faultstring>\n"
            + "  </soapenv:Fault>\n"
            + " </soapenv:Body>\n"
            + "</soapenv:Envelope>\n");
  }

  @Override
  public String toString() {
    return "Salesforce OrgRouter";
  }
}
