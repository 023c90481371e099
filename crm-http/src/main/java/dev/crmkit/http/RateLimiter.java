package dev.crmkit.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The proactive rate limiter of one vendor account: several {@link RateLimitWindow}s at once, all
 * of which a request must fit before it is sent. Share one instance among every connector and
 * thread that uses the same account.
 *
 * <p>A rolling window admits at most its limit within any span of its period, wherever the span
 * starts (a log of recent permits, not a smoothly refilling bucket); a daily resetting window admits
 * its limit per local day of its zone. See {@link RateLimitWindow}. A request waits for the window
 * that frees last.
 *
 * <p>A request holds its slot in a rolling window from the moment it is admitted until one period
 * after it finished ({@link #begin} and {@link Permit#close()}), not one period after it was
 * admitted. The vendor counts a request when it arrives, which is somewhere between the two; so
 * however long requests wait in a connection pool or on the wire, the vendor never sees more than
 * the limit in any span of the period, and never answers 429 for a budget this limiter kept. The
 * price is one round trip per period of unused budget.
 *
 * <p>Time comes from the given {@link Clock} and waits go through a {@link Sleeper}, so tests never
 * sleep. Thread-safe: a request takes a slot from all its windows atomically, under one lock per
 * limiter.
 */
public final class RateLimiter {
  private final Clock clock;
  private final List<RateLimitWindow> windows;
  private final List<WindowState> states;
  private final ReentrantLock lock = new ReentrantLock();
  private Instant pausedUntil = Instant.MIN;

  private RateLimiter(Clock clock, List<RateLimitWindow> windows) {
    this.clock = clock;
    this.windows = List.copyOf(windows);
    List<WindowState> s = new ArrayList<>();
    for (RateLimitWindow w : this.windows) {
      s.add(WindowState.of(w));
    }
    this.states = List.copyOf(s);
  }

  /**
   * @param clock time source; use the system UTC clock in production and a fake one in tests
   * @param windows the budgets, at least one, no {@code null} element
   * @return a limiter with no permit granted yet, so each window admits its full limit at once
   * @throws NullPointerException naming {@code clock} or {@code windows} when null
   * @throws IllegalArgumentException naming {@code windows} when it is empty or holds {@code null}
   */
  public static RateLimiter of(Clock clock, List<RateLimitWindow> windows) {
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(windows, "windows");
    if (windows.isEmpty()) {
      throw new IllegalArgumentException("windows must hold at least one window: " + windows);
    }
    if (windows.stream().anyMatch(Objects::isNull)) {
      throw new IllegalArgumentException("windows must not hold null: " + windows);
    }
    return new RateLimiter(clock, windows);
  }

  /** The windows; unmodifiable. */
  public List<RateLimitWindow> windows() {
    return windows;
  }

  /**
   * Takes a slot for a request of {@code costClass} if every counting window has one now, and counts
   * the request as finished at once; never waits. For a host that shares the account's budget with
   * work of its own and would rather skip or defer that work than wait, such as a scheduler that
   * starts an optional refresh only while the account has room:
   *
   * <pre>{@code
   * if (limiter.tryAcquire(ApiRequest.DEFAULT_COST_CLASS)) {
   *   refreshDashboard();
   * } // else: try again on the next tick
   * }</pre>
   *
   * @param costClass the request's cost class, such as {@link ApiRequest#DEFAULT_COST_CLASS}; not null
   * @return true when the slot was taken; false (nothing taken) when the request must wait, including
   *     while the limiter is paused ({@link #pauseFor})
   * @throws NullPointerException naming {@code costClass} when it is null
   */
  public boolean tryAcquire(String costClass) {
    boolean taken = attempt(costClass).delay().isZero();
    if (taken) {
      complete(costClass);
    }
    return taken;
  }

  /**
   * Takes a slot for a request of {@code costClass}, waiting through {@code sleeper} as long as
   * needed, and counts the request as finished at once. Use {@link #begin} for a request that takes
   * time.
   *
   * @param costClass the request's cost class, not null
   * @param sleeper how to wait
   * @throws dev.crmkit.error.ApiConnectionException when the sleeper was interrupted
   */
  public void acquire(String costClass, Sleeper sleeper) {
    begin(costClass, sleeper).close();
  }

  /**
   * Takes a slot for a request of {@code costClass}, waiting through {@code sleeper} as long as
   * needed, and holds it until the returned permit is closed: close it when the response has arrived
   * or the request failed, in a {@code finally} block or try-with-resources. A permit never closed
   * keeps its slot in every rolling window for good.
   *
   * @param costClass the request's cost class, not null
   * @param sleeper how to wait
   * @return the permit of the request now in flight
   * @throws dev.crmkit.error.ApiConnectionException when the sleeper was interrupted
   */
  public Permit begin(String costClass, Sleeper sleeper) {
    Objects.requireNonNull(sleeper, "sleeper");
    Attempt attempt;
    while (!(attempt = attempt(costClass)).delay().isZero()) {
      sleeper.sleep(attempt.delay());
    }
    return new Permit(costClass, attempt.occupancy());
  }

  /**
   * A slot held by one request in flight; see {@link RateLimiter#begin}. Closing it records the
   * request as finished now. Idempotent; not meant to be shared between threads.
   */
  public final class Permit implements AutoCloseable {
    private final String costClass;
    private final double occupancy;
    private boolean closed;

    private Permit(String costClass, double occupancy) {
      this.costClass = costClass;
      this.occupancy = occupancy;
    }

    /**
     * How full the fullest of this permit's rolling windows was once it was granted: 1.0 when it
     * took a window's last slot; 0 when it counts in no rolling window (daily quotas are left out). A vendor that reports its budget spent while this limiter's own window is
     * (nearly) full reports what the limiter already counts, and no pause is needed; a vendor that
     * reports none left while the window is far from full means other clients of the account used
     * the budget.
     *
     * @return a share of the limit, 0 to 1
     */
    public double occupancy() {
      return occupancy;
    }

    /** Records the request as finished now; later calls do nothing. */
    @Override
    public void close() {
      if (!closed) {
        closed = true;
        complete(costClass);
      }
    }
  }

  private void complete(String costClass) {
    lock.lock();
    try {
      Instant now = clock.instant();
      for (int i = 0; i < windows.size(); i++) {
        if (windows.get(i).counts(costClass)) {
          states.get(i).complete(now);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Holds every request until {@code duration} from now, as when the vendor answered 429 with a
   * {@code Retry-After} or its headers said the budget is spent. A shorter pause than one already in
   * force changes nothing.
   *
   * @param duration how long; zero or negative does nothing
   */
  public void pauseFor(Duration duration) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      return;
    }
    lock.lock();
    try {
      Instant until = clock.instant().plus(duration);
      if (until.isAfter(pausedUntil)) {
        pausedUntil = until;
      }
    } finally {
      lock.unlock();
    }
  }

  /** One try for a slot: {@code delay} zero when taken, and then the fullest window's share. */
  private record Attempt(Duration delay, double occupancy) {}

  private Attempt attempt(String costClass) {
    Objects.requireNonNull(costClass, "costClass");
    lock.lock();
    try {
      Instant now = clock.instant();
      if (now.isBefore(pausedUntil)) {
        return new Attempt(Duration.between(now, pausedUntil), 0);
      }
      long waitNanos = 0;
      for (int i = 0; i < windows.size(); i++) {
        if (windows.get(i).counts(costClass)) {
          waitNanos = Math.max(waitNanos, states.get(i).nanosUntilFree(now));
        }
      }
      if (waitNanos > 0) {
        return new Attempt(Duration.ofNanos(waitNanos), 0);
      }
      // All-or-nothing: a permit is recorded in every counting window only when all had one free.
      // Only rolling windows count towards occupancy: a vendor's per-call "none left" header speaks
      // of a short interval, and a nearly spent daily quota says nothing about who spent that.
      double occupancy = 0;
      for (int i = 0; i < windows.size(); i++) {
        if (windows.get(i).counts(costClass)) {
          states.get(i).grant(now);
          if (!windows.get(i).resetsDaily()) {
            occupancy = Math.max(occupancy, states.get(i).occupancy(now));
          }
        }
      }
      return new Attempt(Duration.ZERO, occupancy);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "RateLimiter" + windows;
  }
}
