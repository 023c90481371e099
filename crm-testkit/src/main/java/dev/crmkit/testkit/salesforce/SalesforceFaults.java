package dev.crmkit.testkit.salesforce;

import dev.crmkit.testkit.internal.FaultQueue;
import java.time.Duration;

/**
 * Faults the emulator injects into its next responses, in the order they were asked for: one
 * fault per incoming request, before the session check and the API allocation, so a faulted
 * request changes nothing and is not counted in {@code api-usage}. A slow response is the
 * exception: it is served normally and only delayed. Thread-safe.
 */
public final class SalesforceFaults {
  private final FaultQueue queue = new FaultQueue();

  SalesforceFaults() {}

  /**
   * Answers the next {@code count} requests with {@code status} and a Salesforce error body (error
   * code {@code SERVER_UNAVAILABLE} for 503, {@code UNKNOWN_EXCEPTION} for other 5xx, {@code
   * BAD_REQUEST} for 4xx).
   *
   * @param count one or more
   * @param status an HTTP status from 400 to 599, such as 503
   * @return this, for chaining
   * @throws IllegalArgumentException naming {@code count} or {@code status} and the value when out of range
   */
  public SalesforceFaults failNext(int count, int status) {
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
  public SalesforceFaults malformedNext(int count) {
    queue.malformedNext(count);
    return this;
  }

  /**
   * Closes the connection instead of answering the next {@code count} requests.
   *
   * @param count one or more
   * @return this, for chaining
   * @throws IllegalArgumentException naming {@code count} and the value when it is below one
   */
  public SalesforceFaults dropNext(int count) {
    queue.dropNext(count);
    return this;
  }

  /**
   * Serves the next {@code count} requests normally but holds each response's headers back for
   * {@code delay} of real time; keep it short in tests.
   *
   * @param count one or more
   * @param delay more than zero
   * @return this, for chaining
   * @throws NullPointerException naming {@code delay} when null
   * @throws IllegalArgumentException naming {@code count} or {@code delay} and the value when out of range
   */
  public SalesforceFaults slowNext(int count, Duration delay) {
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

  FaultQueue.Fault poll() {
    return queue.poll();
  }
}
