package dev.crmkit.webhook;

import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import java.time.Clock;

/**
 * One provider's part in routing webhook deliveries to the tenant integration they belong to, when one
 * endpoint per platform receives the deliveries of every tenant: which vendor account a delivery says
 * it is for, how to verify it with that account's integration, and what the vendor expects to hear
 * when it is refused. Returned by {@link dev.crmkit.CustomerSystemProvider#webhooks()}. Implementations
 * are immutable and thread-safe.
 *
 * <p>A router's host (such as crmkit's integrations layer) works in this order: refuse a body over
 * {@link #maxBodyBytes()} ({@link Refusal#TOO_LARGE}); read {@link #accountId} (not yet trusted); find
 * the integration whose stored account id equals it, else {@link Refusal#UNKNOWN_ACCOUNT}; verify and
 * parse with {@link #handler} built from that integration's config ({@link Refusal#BAD_SIGNATURE} on
 * {@link dev.crmkit.error.SignatureVerificationException}, {@link Refusal#BAD_PAYLOAD} on {@link
 * ValidationException}); store the events, answering the handler's response, or {@link
 * Refusal#NOT_STORED} when they could not be stored.
 */
public interface WebhookRouter {

  /** Why a delivery is refused; each is answered by {@link #refusal}. */
  enum Refusal {
    /** The delivery names an account no integration is connected to. */
    UNKNOWN_ACCOUNT,
    /** The signature (or the sender, or the account named inside the verified payload) was not accepted. */
    BAD_SIGNATURE,
    /** The body is not the payload the vendor documents, or does not name one account. */
    BAD_PAYLOAD,
    /** The body is longer than {@link #maxBodyBytes()}. */
    TOO_LARGE,
    /** The delivery was verified but its events could not be stored; the vendor should deliver it again. */
    NOT_STORED
  }

  /**
   * The largest body, in bytes, this provider's deliveries may have: the vendor's own bound with room.
   * A host's HTTP server should stop reading at this size plus one byte.
   *
   * @return a positive number of bytes
   */
  int maxBodyBytes();

  /**
   * Reads the vendor account a delivery says it is for, before anything is verified: the value only
   * selects whose secret verifies the delivery, and must never be trusted further.
   *
   * @param request the delivery as received; not {@code null}
   * @return the account id in the form integrations store it (such as HubSpot's portal id in decimal,
   *     or Salesforce's 18-character org id); never blank
   * @throws ValidationException naming the field when the body does not name exactly one account (not
   *     the vendor's payload shape, no account, or several accounts in one delivery)
   * @throws NullPointerException naming {@code request} when it is {@code null}
   */
  String accountId(WebhookRequest request);

  /**
   * The handler that verifies and parses one integration's deliveries.
   *
   * @param config the integration's configuration (settings and credentials); not {@code null}
   * @param accountId the account the integration is connected to, as its host stored it (from an OAuth
   *     connect, say), which is the account the delivery named; used where the config does not name the
   *     account itself (Salesforce without an {@code organizationId} setting); not {@code null}
   * @param clock the clock signature timestamps are checked against; not {@code null}
   * @return the handler; it checks again that the verified payload is for the integration's account
   * @throws ConfigurationException naming the setting or credential that is missing or malformed (such
   *     as HubSpot's {@code clientSecret}), never its value
   * @throws NullPointerException naming the {@code null} argument
   */
  WebhookHandler handler(TenantConfig config, String accountId, Clock clock);

  /**
   * The answer to a verified delivery whose events are deliberately not applied (such as one for a
   * paused integration): what the vendor takes as received, so it neither retries nor counts a failure.
   *
   * @return the response; never {@code null}
   */
  WebhookResponse acknowledgement();

  /**
   * The answer the vendor expects for a refused delivery: a status that stops retries where retrying
   * cannot help, and one that makes the vendor deliver again for {@link Refusal#NOT_STORED}.
   *
   * @param refusal why the delivery is refused; not {@code null}
   * @return the response; never {@code null}, never a 2xx
   * @throws NullPointerException naming {@code refusal} when it is {@code null}
   */
  WebhookResponse refusal(Refusal refusal);
}
