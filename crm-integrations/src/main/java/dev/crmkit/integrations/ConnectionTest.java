package dev.crmkit.integrations;

import java.time.Duration;
import java.time.Instant;

/**
 * The answer of {@link IntegrationService#testConnection}.
 *
 * @param ok whether the cheap authenticated call succeeded
 * @param failure what failed, or null when ok
 * @param message a message for the tenant, never a secret; null when ok
 * @param latency how long the call took
 * @param testedAt when it ran
 */
public record ConnectionTest(boolean ok, Failure failure, String message, Duration latency, Instant testedAt) {
  /** What made a connection test fail. */
  public enum Failure { CREDENTIALS, SCOPES, NETWORK, RATE_LIMITED, CONFIGURATION, SERVER }
}
