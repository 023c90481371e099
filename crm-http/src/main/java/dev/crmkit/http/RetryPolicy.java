package dev.crmkit.http;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how long to wait before retrying. Connection errors and 5xx are retried only for
 * retryable requests ({@link ApiRequest#isRetryable()}); 429 is retried for every request, since
 * the vendor did not process it. The wait before retry {@code n} (1-based) is
 * {@code min(maxBackoff, initialBackoff * multiplier^(n-1))}, reduced by a random fraction up to
 * {@code jitter}; a {@code Retry-After} header replaces it.
 *
 * @param maxAttempts attempts in total, including the first; at least 1
 * @param initialBackoff wait before the first retry; positive
 * @param maxBackoff longest computed wait; at least {@code initialBackoff}
 * @param multiplier growth per retry; at least 1.0
 * @param jitter fraction (0.0 to 1.0) of each wait that is randomly taken off, spreading retries of
 *     many clients apart
 * @param maxRetryAfter longest {@code Retry-After} the connector waits for; a longer one fails at once
 *     with {@link dev.crmkit.error.RateLimitedException}; positive
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, double multiplier, double jitter,
    Duration maxRetryAfter) {

  /**
   * @throws NullPointerException naming a {@code null} duration
   * @throws IllegalArgumentException naming the field and value that is out of range
   */
  public RetryPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff " + initialBackoff + ": " + maxBackoff);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be a finite number of at least 1.0: " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0.0 and 1.0: " + jitter);
    }
    if (maxRetryAfter.isNegative() || maxRetryAfter.isZero()) {
      throw new IllegalArgumentException("maxRetryAfter must be positive: " + maxRetryAfter);
    }
  }

  /** 4 attempts, 500 ms doubling up to 30 s, 20 % jitter, {@code Retry-After} up to 60 s: the default. */
  public static RetryPolicy defaults() {
    return new RetryPolicy(4, Duration.ofMillis(500), Duration.ofSeconds(30), 2.0, 0.2, Duration.ofSeconds(60));
  }

  /** A single attempt: nothing is retried. */
  public static RetryPolicy none() {
    return defaults().withMaxAttempts(1);
  }

  /**
   * A copy with another {@code maxAttempts}.
   *
   * @throws IllegalArgumentException when {@code maxAttempts} is below 1
   */
  public RetryPolicy withMaxAttempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
  }

  /**
   * A copy with another {@code jitter}: for a host that spreads the retries of many workers wider
   * than the default 20 %, or turns jitter off ({@code 0.0}) for predictable waits. Hand the policy to
   * a connector ({@link HttpConnector.Builder#retryPolicy}) or, for a provider built by
   * {@code IntegrationFactory}, register it as a {@code RetryPolicy} resource.
   *
   * @param jitter fraction of each wait randomly taken off, 0.0 to 1.0
   * @return the changed copy
   * @throws IllegalArgumentException when {@code jitter} is outside 0.0 to 1.0 or not a number
   */
  public RetryPolicy withJitter(double jitter) {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, multiplier, jitter, maxRetryAfter);
  }

  /**
   * The computed wait before a retry, before jitter.
   *
   * @param retry 1 for the first retry
   * @return the wait, at most {@code maxBackoff}
   */
  public Duration backoff(int retry) {
    double nanos = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, retry - 1));
    return nanos >= maxBackoff.toNanos() ? maxBackoff : Duration.ofNanos((long) nanos);
  }
}
