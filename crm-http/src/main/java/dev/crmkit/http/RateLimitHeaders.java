package dev.crmkit.http;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads a vendor's rate-limit response headers into a pause: when the vendor says the budget is
 * spent, the connector's {@link RateLimiter} holds every call of the account until the reset.
 *
 * <p>Implementations must be thread-safe and must not throw on malformed headers (ignore them).
 */
@FunctionalInterface
public interface RateLimitHeaders {
  /**
   * @param response any response, successful or not
   * @return how long to hold further calls, or empty to go on
   */
  Optional<Duration> pauseAfter(ApiResponse response);

  /** Reads nothing: the default. */
  static RateLimitHeaders none() {
    return response -> Optional.empty();
  }

  /**
   * Pauses when a "remaining" header reads 0 (or less), for as long as a second header says.
   *
   * @param remainingHeader such as {@code X-RateLimit-Remaining}
   * @param resetHeader such as {@code X-RateLimit-Reset}; its value is in {@code resetUnit} until reset
   * @param resetUnit unit of the reset value, such as {@link Duration#ofSeconds(long) 1 second} or
   *     {@link Duration#ofMillis(long) 1 ms} (HubSpot's {@code X-HubSpot-RateLimit-Interval-Milliseconds})
   * @return the reader; stateless
   * @throws NullPointerException naming the argument that is null
   * @throws IllegalArgumentException naming {@code resetUnit} and the value when it is zero or negative
   */
  static RateLimitHeaders remainingAndReset(String remainingHeader, String resetHeader, Duration resetUnit) {
    java.util.Objects.requireNonNull(remainingHeader, "remainingHeader");
    java.util.Objects.requireNonNull(resetHeader, "resetHeader");
    java.util.Objects.requireNonNull(resetUnit, "resetUnit");
    if (resetUnit.isNegative() || resetUnit.isZero()) {
      throw new IllegalArgumentException("resetUnit must be positive: " + resetUnit);
    }
    return response -> {
      try {
        String remaining = response.header(remainingHeader);
        String reset = response.header(resetHeader);
        if (remaining == null || reset == null || Long.parseLong(remaining.strip()) > 0) {
          return Optional.empty();
        }
        long units = Long.parseLong(reset.strip());
        return units <= 0 ? Optional.empty() : Optional.of(resetUnit.multipliedBy(units));
      } catch (NumberFormatException malformed) {
        return Optional.empty();
      }
    };
  }
}
