package dev.crmkit.testkit.hubspot;

import dev.crmkit.testkit.internal.FaultQueue;
import java.time.Duration;

/**
 * Faults the emulator injects into its next responses, in the order they were asked for: one
 * fault per incoming request, before authentication and rate limiting, so a faulted request
 * changes no state and uses no rate budget. The exception is a slow response, which is served
 * normally (authenticated, rate limited, changing state) and only delayed. Thread-safe.
 */
public final class HubSpotFaults {
  private final FaultQueue queue = new FaultQueue();

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
    queue.failNext(count, status);
    return this;
  }

  /**
   * Answers the next {@code count} requests with status 200 and a body that is not valid JSON.
   *
   * @param count one or more
   * @return this, for chaining
   * @throws IllegalArgumentException naming {@code count} and the value when it is below one
   */
  public HubSpotFaults malformedNext(int count) {
    queue.malformedNext(count);
    return this;
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
    queue.dropNext(count);
    return this;
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
    queue.slowNext(count, delay);
    return this;
  }

  /** @return how many injected faults have not been used yet */
  public int pending() {
    return queue.pending();
  }

  /** Forgets every fault not used yet. */
  public void clear() {
    queue.clear();
  }

  /** @return the next fault to inject, or null for a normal answer */
  FaultQueue.Fault poll() {
    return queue.poll();
  }
}
