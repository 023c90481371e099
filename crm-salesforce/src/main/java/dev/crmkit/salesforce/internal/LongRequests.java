package dev.crmkit.salesforce.internal;

import dev.crmkit.error.RateLimitedException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The cap on an org's concurrent long-running requests (SOQL query pages, Bulk API job uploads, polls and
 * result reads): Salesforce allows 25 requests running 20 seconds or longer at once per production org, 5 per
 * Developer Edition or trial org, and answers {@code REQUEST_LIMIT_EXCEEDED} to the next, for every client of the
 * org. A caller waits up to {@link #maxWait()} for a slot, then gets a {@link RateLimitedException}. Thread-safe;
 * shared by every system of one org.
 *
 * @see <a href="https://developer.salesforce.com/docs/platform/salesforce-app-limits-cheatsheet/guide/salesforce-app-limits-platform-api.html">Salesforce: API request limits</a>
 */
public final class LongRequests {
  /** Default cap: the Developer Edition limit, safe on every org. */
  public static final int DEFAULT_MAX = 5;
  /** Default wait for a slot. */
  public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

  private final Semaphore slots;
  private final int max;
  private final Duration maxWait;

  /**
   * @param max requests at once, 1 to 25
   * @param maxWait how long a caller waits for a slot; not negative
   * @throws IllegalArgumentException naming the bad value
   */
  public LongRequests(int max, Duration maxWait) {
    if (max < 1 || max > 25) {
      throw new IllegalArgumentException("max must be 1 to 25: " + max);
    }
    if (maxWait.isNegative()) {
      throw new IllegalArgumentException("maxWait must not be negative: " + maxWait);
    }
    this.slots = new Semaphore(max, true);
    this.max = max;
    this.maxWait = maxWait;
  }

  /**
   * Runs a call in a slot.
   *
   * @throws RateLimitedException with vendor code {@code CONCURRENCY_CAP} when no slot frees within {@link #maxWait()}
   */
  public <T> T run(Supplier<T> call) {
    boolean acquired;
    try {
      acquired = slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RateLimitedException("salesforce: interrupted while waiting for a long-request slot",
          SalesforceApi.PROVIDER, maxWait, "CONCURRENCY_CAP", null);
    }
    if (!acquired) {
      throw new RateLimitedException("salesforce: all " + max + " long-request slots of the org stayed busy for "
          + maxWait, SalesforceApi.PROVIDER, maxWait, "CONCURRENCY_CAP", null);
    }
    try {
      return call.get();
    } finally {
      slots.release();
    }
  }

  /** The cap. */
  public int max() {
    return max;
  }

  /** How long a caller waits for a slot. */
  public Duration maxWait() {
    return maxWait;
  }

  /** Slots free now. */
  public int available() {
    return slots.availablePermits();
  }
}
