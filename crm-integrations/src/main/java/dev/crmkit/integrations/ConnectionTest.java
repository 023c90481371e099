package dev.crmkit.integrations;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The answer of {@link IntegrationService#testConnection}. Immutable.
 *
 * @param ok whether the cheap authenticated call succeeded
 * @param failure what failed; null exactly when {@code ok}
 * @param message a message for the tenant, never a secret; null when ok
 * @param latency how long the call took (including building the provider's client); not negative, never null
 * @param testedAt when it ran; never null
 */
public record ConnectionTest(boolean ok, Failure failure, String message, Duration latency, Instant testedAt) {
  /** What made a connection test fail. */
  public enum Failure {
    /** The vendor refused the credentials (HTTP 401, a revoked or wrong token, no credential given). */
    CREDENTIALS,
    /** The credentials are valid but lack a permission the call needs (HTTP 403, missing scopes). */
    SCOPES,
    /** The vendor could not be reached: DNS, connection refused, timeout, TLS. */
    NETWORK,
    /** The vendor throttled the call (HTTP 429); try again later. */
    RATE_LIMITED,
    /** The integration's settings are wrong or incomplete, or its provider is not installed. */
    CONFIGURATION,
    /** The vendor failed (HTTP 5xx) or answered something the provider could not use. */
    SERVER
  }

  /**
   * @throws NullPointerException naming {@code latency} or {@code testedAt} when null
   * @throws IllegalArgumentException when {@code failure} is null but not {@code ok} (or set while ok),
   *     or {@code latency} is negative
   */
  public ConnectionTest {
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(testedAt, "testedAt");
    if (ok == (failure != null)) {
      throw new IllegalArgumentException("failure must be null exactly when ok: ok=" + ok + ", failure=" + failure);
    }
    if (latency.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + latency);
    }
  }
}
