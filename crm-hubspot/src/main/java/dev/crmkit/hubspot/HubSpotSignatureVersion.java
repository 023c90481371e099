package dev.crmkit.hubspot;

/**
 * The versions of HubSpot's request signature.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/webhooks/validating-requests">HubSpot: validating requests</a>
 */
public enum HubSpotSignatureVersion {
  /** {@code X-HubSpot-Signature} = hex SHA-256 of client secret + body; no replay protection. */
  V1,
  /** {@code X-HubSpot-Signature} = hex SHA-256 of client secret + method + URI + body; no replay protection. */
  V2,
  /**
   * {@code X-HubSpot-Signature-v3} = Base64 HMAC-SHA256 keyed by the client secret over method + URI
   * (with HubSpot's listed characters decoded) + body + {@code X-HubSpot-Request-Timestamp}; replay
   * protected by the timestamp.
   */
  V3
}
