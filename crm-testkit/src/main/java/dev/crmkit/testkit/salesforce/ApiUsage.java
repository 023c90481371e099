package dev.crmkit.testkit.salesforce;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The org's daily API request allocation over a rolling 24 hours, as {@code Sforce-Limit-Info:
 * api-usage=used/max} reports it. A request that would go over the allocation is refused and not
 * counted. Thread-safe: every method holds the lock.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm">Limit Info header</a>
 */
final class ApiUsage {
  static final Duration WINDOW = Duration.ofHours(24);

  private final Clock clock;
  private final int max;
  private final Deque<Instant> calls = new ArrayDeque<>();

  ApiUsage(Clock clock, int max) {
    this.clock = clock;
    this.max = max;
  }

  int max() {
    return max;
  }

  /** @return calls counted in the last 24 hours */
  synchronized int used() {
    evict(clock.instant());
    return calls.size();
  }

  /** @return true and counts the call when the allocation has room; false when it is spent */
  synchronized boolean acquire() {
    Instant now = clock.instant();
    evict(now);
    if (calls.size() >= max) {
      return false;
    }
    calls.addLast(now);
    return true;
  }

  /** @return the header value {@code api-usage=used/max} */
  String header() {
    return "api-usage=" + used() + "/" + max;
  }

  private void evict(Instant now) {
    Instant horizon = now.minus(WINDOW);
    while (!calls.isEmpty() && !calls.peekFirst().isAfter(horizon)) {
      calls.removeFirst();
    }
  }
}
