package dev.crmkit.testkit.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The faults an emulator injects into its next responses, one per incoming request, in the order
 * they were asked for. Each vendor's public faults class validates and delegates here; the
 * dispatcher polls. Thread-safe.
 */
public final class FaultQueue {
  /** What to do instead of (or on top of) a normal answer. */
  public enum Kind {
    /** Answer with an error status and the vendor's error body. */
    FAIL,
    /** Answer 200 with a body that is not valid JSON. */
    MALFORMED,
    /** Close the connection without answering. */
    DROP,
    /** Serve normally but hold the response headers back. */
    SLOW
  }

  /**
   * @param status only for {@link Kind#FAIL}
   * @param delay only for {@link Kind#SLOW}
   */
  public record Fault(Kind kind, int status, Duration delay) {}

  private final Queue<Fault> pending = new ConcurrentLinkedQueue<>();

  /** @throws IllegalArgumentException naming {@code count} or {@code status} and the value when out of range */
  public void failNext(int count, int status) {
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be from 400 to 599: " + status);
    }
    add(count, new Fault(Kind.FAIL, status, Duration.ZERO));
  }

  /** @throws IllegalArgumentException naming {@code count} and the value when below one */
  public void malformedNext(int count) {
    add(count, new Fault(Kind.MALFORMED, 200, Duration.ZERO));
  }

  /** @throws IllegalArgumentException naming {@code count} and the value when below one */
  public void dropNext(int count) {
    add(count, new Fault(Kind.DROP, 0, Duration.ZERO));
  }

  /**
   * @throws NullPointerException naming {@code delay} when null
   * @throws IllegalArgumentException naming {@code count} or {@code delay} and the value when out of range
   */
  public void slowNext(int count, Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative() || delay.isZero()) {
      throw new IllegalArgumentException("delay must be more than zero: " + delay);
    }
    add(count, new Fault(Kind.SLOW, 0, delay));
  }

  /** @return how many faults have not been used yet */
  public int pending() {
    return pending.size();
  }

  /** Forgets every fault not used yet. */
  public void clear() {
    pending.clear();
  }

  /** @return the next fault to inject, or null for a normal answer */
  public Fault poll() {
    return pending.poll();
  }

  private void add(int count, Fault fault) {
    if (count < 1) {
      throw new IllegalArgumentException("count must be one or more: " + count);
    }
    for (int i = 0; i < count; i++) {
      pending.add(fault);
    }
  }
}
