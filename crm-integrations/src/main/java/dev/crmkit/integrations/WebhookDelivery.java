package dev.crmkit.integrations;

import java.time.Instant;

/**
 * One logged webhook delivery (SKELETON: helper D owns it).
 *
 * @param id opaque id
 * @param integrationId the integration it was routed to, or null when it matched none
 * @param platform the provider name of the route
 * @param receivedAt when it arrived
 * @param status the HTTP status answered
 * @param outcome what happened
 * @param events how many events it carried
 * @param duplicates how many of them the inbox already held
 * @param detail why it was refused, or null; never a secret or a payload value
 */
public record WebhookDelivery(String id, String integrationId, String platform, Instant receivedAt, int status,
    Outcome outcome, int events, int duplicates, String detail) {
  /** What became of a delivery. */
  public enum Outcome { ACCEPTED, UNROUTED, BAD_SIGNATURE, BAD_PAYLOAD, PAUSED }
}
