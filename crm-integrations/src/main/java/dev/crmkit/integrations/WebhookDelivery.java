package dev.crmkit.integrations;

import java.time.Instant;

/**
 * One webhook delivery as the integrations layer logged it, accepted or refused: what {@link
 * IntegrationService#webhookDeliveries} lists. Never holds a secret, a header or a payload value. Immutable.
 *
 * @param id opaque id, unique across tenants
 * @param integrationId the integration it was routed to; {@code null} when it matched none ({@link
 *     Outcome#UNROUTED}) or named no single account ({@link Outcome#BAD_PAYLOAD}, {@link Outcome#TOO_LARGE})
 * @param platform the provider name of the route it came in on, such as {@code "hubspot"}
 * @param receivedAt when it arrived (the request's receive time)
 * @param status the HTTP status answered
 * @param outcome what became of it
 * @param events how many events it carried once verified; 0 when it was refused before
 * @param duplicates how many of them the integration's inbox already held (a vendor's retry); they
 *     were not stored again
 * @param detail why it was refused, in crmkit's words; {@code null} when accepted
 */
public record WebhookDelivery(String id, String integrationId, String platform, Instant receivedAt, int status,
    Outcome outcome, int events, int duplicates, String detail) {

  /** What became of a delivery. */
  public enum Outcome {
    /** Verified; its new events are in the integration's inbox, to be applied shortly. */
    ACCEPTED,
    /** Named an account no integration of the platform is connected to; answered as the vendor expects. */
    UNROUTED,
    /** Its signature, sender or account did not verify with the integration's settings; nothing was stored. */
    BAD_SIGNATURE,
    /** Its body is not the vendor's payload, or names no single account; nothing was stored. */
    BAD_PAYLOAD,
    /** Its body is over the platform's size limit; answered 413, nothing was read. */
    TOO_LARGE,
    /** Verified, for a paused integration: acknowledged so the vendor stops retrying, its events dropped. */
    PAUSED,
    /** Verified, but its events could not be stored; answered so that the vendor delivers it again. */
    NOT_STORED
  }
}
