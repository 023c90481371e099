package dev.crmkit.http;

import dev.crmkit.error.ApiConnectionException;
import java.time.Duration;

/**
 * Waits for a duration. Every wait of the connector runtime (backoff, {@code Retry-After}, rate
 * limit) goes through one, so tests can advance a fake clock instead of sleeping.
 *
 * <p>Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Sleeper {
  /**
   * Waits for {@code duration}.
   *
   * @param duration how long to wait; never negative, may be zero
   * @throws ApiConnectionException when the wait was interrupted (the interrupt flag is set again)
   */
  void sleep(Duration duration);

  /** Real sleeping with {@link Thread#sleep(long, int)}; an interrupt becomes an {@link ApiConnectionException}. */
  static Sleeper system() {
    return duration -> {
      try {
        Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ApiConnectionException("interrupted while waiting " + duration, null, 0, null, null, e);
      }
    };
  }
}
