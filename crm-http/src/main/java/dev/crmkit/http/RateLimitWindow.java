package dev.crmkit.http;

import dev.crmkit.error.ValidationException;
import java.time.Duration;
import java.util.Set;

/**
 * One budget of a vendor account: at most {@code limit} requests per {@code period}, for the
 * requests of the given cost classes (all requests when empty).
 *
 * <p>A window is a token bucket that starts full (a burst of {@code limit}) and refills smoothly at
 * {@code limit / period}. Over a long run it never exceeds {@code limit} per {@code period} on
 * average; within one rolling {@code period} right after a full burst up to twice {@code limit} can
 * pass, so for a vendor that enforces a strict rolling window configure half its limit, or rely
 * on the connector's 429 handling for the rare excess.
 *
 * <p>Example, a HubSpot private app (see
 * <a href="https://developers.hubspot.com/docs/api/usage-details">HubSpot API usage limits</a>):
 * {@code of("burst", 100, Duration.ofSeconds(10))}, {@code of("daily", 250_000, Duration.ofDays(1))}
 * and {@code of("search", 5, Duration.ofSeconds(1), Set.of("search"))}.
 *
 * @param name label for messages, such as {@code "daily"}; not blank
 * @param limit requests per period; positive
 * @param period length of the window; positive
 * @param costClasses cost classes this window counts ({@link ApiRequest#costClass()}); copied; empty
 *     means every request
 */
public record RateLimitWindow(String name, long limit, Duration period, Set<String> costClasses) {
  /** @throws ValidationException naming the field and value that is invalid */
  public RateLimitWindow {
    if (name == null || name.isBlank()) {
      throw ValidationException.of("name", name, "must not be blank");
    }
    if (limit < 1) {
      throw ValidationException.of("limit", String.valueOf(limit), "must be positive");
    }
    if (period == null || period.isNegative() || period.isZero()) {
      throw ValidationException.of("period", String.valueOf(period), "must be positive");
    }
    costClasses = costClasses == null ? Set.of() : Set.copyOf(costClasses);
  }

  /** A window counting every request; see the record's rules. */
  public static RateLimitWindow of(String name, long limit, Duration period) {
    return new RateLimitWindow(name, limit, period, Set.of());
  }

  /** A window counting only requests of the given cost classes; see the record's rules. */
  public static RateLimitWindow of(String name, long limit, Duration period, Set<String> costClasses) {
    return new RateLimitWindow(name, limit, period, costClasses);
  }

  /** True when a request of {@code costClass} counts against this window. */
  public boolean counts(String costClass) {
    return costClasses.isEmpty() || costClasses.contains(costClass);
  }
}
