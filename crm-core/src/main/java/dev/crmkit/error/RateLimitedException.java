package dev.crmkit.error;

import java.time.Duration;

/** The vendor refused the call for rate limiting (HTTP 429) and retries ran out. */
public class RateLimitedException extends CrmException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param message what was limited
   * @param provider provider name
   * @param retryAfter how long the vendor asked to wait; {@code null} when it did not say
   * @param vendorCode the vendor's error code, or {@code null}
   * @param requestId the vendor's request id, or {@code null}
   */
  public RateLimitedException(
      String message, String provider, Duration retryAfter, String vendorCode, String requestId) {
    super(message, provider, 429, vendorCode, requestId, null);
    this.retryAfter = retryAfter;
  }

  /** How long the vendor asked to wait; {@code null} when it did not say. */
  public Duration retryAfter() {
    return retryAfter;
  }
}
