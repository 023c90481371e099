package dev.crmkit.testkit.hubspot;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Faults the emulator injects into its next responses, in the order they were asked for: one
 * fault per incoming request, before authentication and rate limiting, so a faulted request
 * changes no state and uses no rate budget. The exception is a slow response, which is served
 * normally (authenticated, rate limited, changing state) and only delayed. Thread-safe.
 */
public final class HubSpotFaults {
  enum Kind {
    FAIL,
    MALFORMED,
    DROP,
    SLOW
  }

  /** @param delay only for {@link Kind#SLOW}: how long to hold the response headers back */
  record Fault(Kind kind, int status, Duration delay) {
    Fault(Kind kind, int status) {
      this(kind, status, Duration.ZERO);
    }
  }

  private final Queue<Fault> pending = new ConcurrentLinkedQueue<>();

  HubSpotFaults() {}

  /**
   * Answers the next {@code count} requests with {@code status} and a HubSpot-shaped error body.
   *
   * @param count one or more
   * @param status an HTTP status from 400 to 599, such as 502
   * @return this, for chaining
   * @throws IllegalArgumentException naming {@code count} or {@code status} and the value when out of range
   */
  public HubSpotFaults failNext(int count, int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be from 400 to 599: " + status);
    }
    return add(count, new Fault(Kind.FAIL, status));
  }

  /**
   * Answers the next {@code count} requests with status 200 and a body that is not valid JSON.
   *
   * @param count one or more
   * @return this, for chaining
   * @throws IllegalArgumentException naming {@code count} and the value when it is below one
   */
  public HubSpotFaults malformedNext(int count) {
    return add(count, new Fault(Kind.MALFORMED, 200));
  }

  /**
   * Closes the connection instead of answering the next {@code count} requests, so the client
   * sees an I/O error after sending its request.
   *
   * @param count one or more
   * @return this, for chaining
   * @throws IllegalArgumentException naming {@code count} and the value when it is below one
   */
  public HubSpotFaults dropNext(int count) {
    return add(count, new Fault(Kind.DROP, 0));
  }

  /**
   * Serves the next {@code count} requests normally but holds each response's headers back for
   * {@code delay}, so a client sees a slow HubSpot (and its read timeout, when shorter). The delay
   * is real time on the server's thread; keep it short in tests.
   *
   * @param count one or more
   * @param delay more than zero, such as {@code Duration.ofMillis(300)}
   * @return this, for chaining
   * @throws NullPointerException naming {@code delay} when null
   * @throws IllegalArgumentException naming {@code count} or {@code delay} and the value when out of range
   */
  public HubSpotFaults slowNext(int count, Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be more than zero: " + delay);
    }
    return add(count, new Fault(Kind.SLOW, 0, delay));
  }

  /** @return how many injected faults have not been used yet */
  public int pending() {
    return pending.size();
  }

  /** Forgets every fault not used yet. */
  public void clear() {
    pending.clear();
  }

  /** @return the next fault to inject, or null for a normal answer */
  Fault poll() {
    return pending.poll();
  }

  private HubSpotFaults add(int count, Fault fault) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be one or more: " + count);
    }
    for (int i = 0; i < count; i++) {
      pending.add(fault);
    }
    return this;
  }
}
