package dev.crmkit.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so tests never sleep and can make many
 * writes share one instant. Zone UTC. Thread-safe: readers always see a whole instant.
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;

  /**
   * @param start the first instant this clock reports; not null
   * @throws NullPointerException when {@code start} is null
   */
  public MutableClock(Instant start) {
    this.now = new AtomicReference<>(Objects.requireNonNull(start, "start"));
  }

  /**
   * Moves the clock forward.
   *
   * @param amount zero or more
   * @return the new instant
   * @throws NullPointerException naming {@code amount} when it is null
   * @throws IllegalArgumentException naming {@code amount} and the value when it is negative
   */
  public Instant advance(Duration amount) {
    Objects.requireNonNull(amount, "amount");
    if (amount.isNegative()) {
      throw new IllegalArgumentException("amount must be zero or more, a clock only moves forward: " + amount);
    }
    return now.updateAndGet(t -> t.plus(amount));
  }

  /**
   * Sets the clock to an instant, earlier or later.
   *
   * @param instant the new time; not null
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  /** UTC. */
  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /**
   * This clock itself for UTC.
   *
   * @throws UnsupportedOperationException for any other zone: a copy would not move with this
   *     clock, which tests rely on
   */
  @Override
  public Clock withZone(ZoneId zone) {
    if (ZoneOffset.UTC.equals(zone)) {
      return this;
    }
    throw new UnsupportedOperationException("a MutableClock is always UTC, not " + zone);
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + "]";
  }
}
