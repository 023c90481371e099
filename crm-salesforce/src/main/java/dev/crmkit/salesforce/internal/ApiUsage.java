package dev.crmkit.salesforce.internal;

import dev.crmkit.error.RateLimitedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An org's daily API usage as Salesforce last reported it in {@code Sforce-Limit-Info: api-usage=N/M},
 * and the proactive budget built on it: once the calls used reach the limit minus the reserve, calls
 * are refused here, before Salesforce refuses them for the whole org. The limit is a rolling 24 hours,
 * so after {@link #PROBE_INTERVAL} one call is let through to read the current usage again.
 * Before the first call, and after {@link #STALE_AFTER} without a report, {@link #stale()} tells the caller to
 * read {@code GET /limits} ({@code DailyApiRequests}) first, so a budget already spent by other clients of the
 * org is seen before the first call. A {@code REQUEST_LIMIT_EXCEEDED} for the daily total marks the budget spent
 * ({@link #exhausted()}). Thread-safe; shared by every system of one org.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm">Salesforce: Limit Info header</a>
 */
public final class ApiUsage {
  /** The header Salesforce reports usage in. */
  public static final String HEADER = "Sforce-Limit-Info";
  /** How long a spent budget refuses calls before one is let through to read the usage again. */
  public static final Duration PROBE_INTERVAL = Duration.ofMinutes(5);
  /** How long a usage report stays current before {@link #stale()} asks for {@code GET /limits}. */
  public static final Duration STALE_AFTER = Duration.ofMinutes(15);
  private static final Pattern API_USAGE = Pattern.compile("api-usage=(\\d+)/(\\d+)");

  private final Clock clock;
  private final int reservePercent;
  private long used = -1;
  private long limit = -1;
  private Instant refusingSince;
  private Instant reportedAt;

  /**
   * @param clock for the probe interval
   * @param reservePercent share of the daily limit kept free, 0 to 99
   */
  public ApiUsage(Clock clock, int reservePercent) {
    if (reservePercent < 0 || reservePercent > 99) {
      throw new IllegalArgumentException("reservePercent must be 0 to 99: " + reservePercent);
    }
    this.clock = clock;
    this.reservePercent = reservePercent;
  }

  /** Reads {@code api-usage=N/M} from a response header value; other values are ignored. */
  public synchronized void record(String headerValue) {
    if (headerValue == null) {
      return;
    }
    Matcher m = API_USAGE.matcher(headerValue);
    if (m.find()) {
      report(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    }
  }

  /**
   * Takes the {@code DailyApiRequests} entry of {@code GET /limits}.
   *
   * @param max the org's daily limit ({@code Max})
   * @param remaining calls left ({@code Remaining})
   */
  public synchronized void recordLimits(long max, long remaining) {
    report(Math.max(0, max - remaining), max);
  }

  /** Notes that {@code GET /limits} could not be read (say, no "View Setup" permission), so it is not asked again before {@link #STALE_AFTER}. */
  public synchronized void limitsUnavailable() {
    reportedAt = clock.instant();
  }

  /** True before any report, or when the last is older than {@link #STALE_AFTER}. */
  public synchronized boolean stale() {
    return reportedAt == null || !clock.instant().isBefore(reportedAt.plus(STALE_AFTER));
  }

  /** Salesforce refused a call for the daily total ({@code REQUEST_LIMIT_EXCEEDED}): the budget is spent until the next probe. */
  public synchronized void exhausted() {
    if (limit <= 0) {
      limit = Math.max(1, used);
    }
    used = Math.max(used, limit);
    refusingSince = clock.instant();
    reportedAt = refusingSince;
  }

  private void report(long used, long limit) {
    this.used = used;
    this.limit = limit;
    reportedAt = clock.instant();
    if (!spent()) {
      refusingSince = null;
    }
  }

  /**
   * Admits a call, or refuses it while the budget is spent.
   *
   * @throws RateLimitedException with vendor code {@code API_BUDGET_RESERVE} and the wait until the next probe
   */
  public synchronized void admit() {
    if (!spent()) {
      return;
    }
    Instant now = clock.instant();
    if (refusingSince == null) {
      refusingSince = now;
    }
    Instant probe = refusingSince.plus(PROBE_INTERVAL);
    if (!now.isBefore(probe)) {
      refusingSince = now;
      return;
    }
    throw new RateLimitedException("salesforce: daily API budget spent: " + used + " of " + limit
        + " calls used, " + reservePercent + "% kept in reserve", SalesforceApi.PROVIDER,
        Duration.between(now, probe), "API_BUDGET_RESERVE", null);
  }

  /** Calls used as last reported; -1 before the first response. */
  public synchronized long used() {
    return used;
  }

  /** The org's daily limit as last reported; -1 before the first response. */
  public synchronized long limit() {
    return limit;
  }

  private boolean spent() {
    return limit > 0 && used >= limit - (limit * reservePercent / 100);
  }
}
