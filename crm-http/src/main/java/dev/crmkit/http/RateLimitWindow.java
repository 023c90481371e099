package dev.crmkit.http;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Set;

/**
 * One budget of a vendor account: at most {@code limit} requests per {@code period}, for the
 * requests of the given cost classes (all requests when empty). A window is one of two kinds.
 *
 * <p><b>Rolling</b> ({@link #of(String, long, Duration)}): within <em>any</em> span of time of length
 * {@code period} at most {@code limit} requests are admitted, wherever the span starts. The limiter
 * counts the requests in flight and keeps a log of the instants the others finished within the last
 * {@code period}, and admits a request only when fewer than {@code limit} are counted (see
 * {@link RateLimiter}); so a full burst is followed by a wait until the first request of the burst
 * finished {@code period} ago, and two bursts never add up to more than {@code limit} per rolling
 * period. Memory: 8 bytes per request finished within the last {@code period}, at most
 * {@code 8 * limit} bytes.
 *
 * <p><b>Daily resetting</b> ({@link #dailyResettingAt(long, ZoneId)}): a quota of {@code limit}
 * requests that resets in full once a day at {@code resetTime} local time in {@code resetZone}, as
 * vendors that count per calendar day do (HubSpot resets the daily limit at midnight in the
 * account's time zone). Days follow the zone's rules, so a day with a daylight-saving change is 23
 * or 25 hours long; a reset time that falls into a daylight-saving gap moves forward by the length of
 * the gap. {@code period} of such a window is nominal ({@code P1D}).
 *
 * <p>Example, a HubSpot private app in an account set to New York time (see
 * <a href="https://developers.hubspot.com/docs/api/usage-details">HubSpot API usage limits</a>):
 * {@code of("burst", 100, Duration.ofSeconds(10))},
 * {@code dailyResettingAt(250_000, ZoneId.of("America/New_York"))} and
 * {@code of("search", 5, Duration.ofSeconds(1), Set.of("search"))}.
 *
 * @param name label for messages, such as {@code "daily"}; not blank
 * @param limit requests per period; positive; for a rolling window at most {@link #MAX_ROLLING_LIMIT}
 * @param period length of the window; positive, at most {@link #MAX_PERIOD}; exactly one day for a
 *     daily resetting window
 * @param costClasses cost classes this window counts ({@link ApiRequest#costClass()}); copied; empty
 *     (or {@code null}) means every request
 * @param resetZone the time zone of the daily reset; {@code null} for a rolling window
 * @param resetTime the local time of the daily reset in {@code resetZone}; {@code null} exactly when
 *     {@code resetZone} is
 */
public record RateLimitWindow(
    String name, long limit, Duration period, Set<String> costClasses, ZoneId resetZone, LocalTime resetTime) {
  /** The largest {@code limit} of a rolling window (the permit log is one array). */
  public static final long MAX_ROLLING_LIMIT = Integer.MAX_VALUE - 8;
  /** The longest {@code period} of any window: 366 days. */
  public static final Duration MAX_PERIOD = Duration.ofDays(366);

  /**
   * @throws NullPointerException naming {@code period} when it is null
   * @throws IllegalArgumentException naming the field and value that is invalid
   */
  public RateLimitWindow {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank: '" + name + "'");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    Objects.requireNonNull(period, "period");
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
    if (period.compareTo(MAX_PERIOD) > 0) {
      throw new IllegalArgumentException("period must be at most " + MAX_PERIOD + ": " + period);
    }
    if ((resetZone == null) != (resetTime == null)) {
      throw new IllegalArgumentException(
          "resetZone and resetTime must be both set or both null: resetZone " + resetZone + ", resetTime " + resetTime);
    }
    if (resetZone == null && limit > MAX_ROLLING_LIMIT) {
      throw new IllegalArgumentException("limit must be at most " + MAX_ROLLING_LIMIT + " for a rolling window: " + limit);
    }
    if (resetZone != null && !period.equals(Duration.ofDays(1))) {
      throw new IllegalArgumentException("period must be PT24H for a daily resetting window: " + period);
    }
    costClasses = costClasses == null ? Set.of() : Set.copyOf(costClasses);
  }

  /**
   * A rolling window; the same as {@code new RateLimitWindow(name, limit, period, costClasses, null, null)}.
   *
   * @throws IllegalArgumentException naming the field and value that is invalid
   */
  public RateLimitWindow(String name, long limit, Duration period, Set<String> costClasses) {
    this(name, limit, period, costClasses, null, null);
  }

  /**
   * A rolling window counting every request; see the record's rules.
   *
   * @throws IllegalArgumentException naming the field and value that is invalid
   */
  public static RateLimitWindow of(String name, long limit, Duration period) {
    return new RateLimitWindow(name, limit, period, Set.of());
  }

  /**
   * A rolling window counting only requests of the given cost classes; see the record's rules.
   *
   * @throws IllegalArgumentException naming the field and value that is invalid
   */
  public static RateLimitWindow of(String name, long limit, Duration period, Set<String> costClasses) {
    return new RateLimitWindow(name, limit, period, costClasses);
  }

  /**
   * A daily quota named {@code "daily"} counting every request, reset at midnight in {@code zone}.
   *
   * @param limit requests per day; positive
   * @param zone the account's time zone, such as {@code ZoneId.of("Europe/Paris")}; not null
   * @return the window
   * @throws NullPointerException naming {@code resetZone} when {@code zone} is null
   * @throws IllegalArgumentException naming the field and value that is invalid
   */
  public static RateLimitWindow dailyResettingAt(long limit, ZoneId zone) {
    return dailyResettingAt("daily", limit, zone, LocalTime.MIDNIGHT, Set.of());
  }

  /**
   * A daily quota reset at {@code resetTime} local time in {@code zone}; see the record's rules.
   *
   * @param name label for messages; not blank
   * @param limit requests per day; positive
   * @param zone the time zone of the reset; not null
   * @param resetTime the local time of the reset, such as {@link LocalTime#MIDNIGHT}; not null
   * @param costClasses cost classes this window counts; empty means every request
   * @return the window
   * @throws NullPointerException naming {@code resetZone} or {@code resetTime} when null
   * @throws IllegalArgumentException naming the field and value that is invalid
   */
  public static RateLimitWindow dailyResettingAt(
      String name, long limit, ZoneId zone, LocalTime resetTime, Set<String> costClasses) {
    Objects.requireNonNull(zone, "resetZone");
    Objects.requireNonNull(resetTime, "resetTime");
    return new RateLimitWindow(name, limit, Duration.ofDays(1), costClasses, zone, resetTime);
  }

  /** True for a daily resetting window, false for a rolling one. */
  public boolean resetsDaily() {
    return resetZone != null;
  }

  /** True when a request of {@code costClass} counts against this window. */
  public boolean counts(String costClass) {
    return costClasses.isEmpty() || costClasses.contains(costClass);
  }
}
