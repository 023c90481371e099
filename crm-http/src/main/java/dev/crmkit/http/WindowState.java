package dev.crmkit.http;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The mutable state of one {@link RateLimitWindow} inside a {@link RateLimiter}. Not thread-safe:
 * the limiter calls it only under its lock.
 */
interface WindowState {
  /** Zero when a permit is free at {@code now}; otherwise the nanoseconds until one is. */
  long nanosUntilFree(Instant now);

  /**
   * Records a permit granted at {@code now} for a request now in flight; call only after {@link
   * #nanosUntilFree} returned zero. The permit holds its slot until {@link #complete} is called.
   */
  void grant(Instant now);

  /**
   * Records that a request granted earlier finished at {@code now}. A rolling window counts the
   * request from then on for one period: the vendor received it at some instant no later than
   * {@code now}, so the vendor's window never holds a request that this one no longer counts.
   */
  void complete(Instant now);

  /** The share of the limit in use at {@code now}, 0 to 1, counting the permit just granted. */
  double occupancy(Instant now);

  static WindowState of(RateLimitWindow window) {
    return window.resetsDaily()
        ? new DailyQuota(window.limit(), window.resetZone(), window.resetTime())
        : new SlidingLog((int) window.limit(), window.period().toNanos());
  }

  /**
   * The requests in flight, plus a log of the completion instants of the requests that finished
   * within the last period, oldest first, in a ring buffer that grows up to {@code limit} entries. A
   * permit is free when fewer than {@code limit} requests are in flight or finished within the last
   * period. A request is counted from its grant until one period after it finished, which covers
   * the instant the vendor received it, so no span of one period at the vendor ever holds more than
   * {@code limit} of them, however long each took on the way.
   */
  final class SlidingLog implements WindowState {
    private static final int INITIAL_CAPACITY = 16;
    /** How often to look again when every slot is held by a request in flight: 5 ms at most. */
    private static final long IN_FLIGHT_POLL_NANOS = 5_000_000L;
    private final int limit;
    private final long periodNanos;
    private long[] grants;
    private int head;
    private int size;
    private int inFlight;

    SlidingLog(int limit, long periodNanos) {
      this.limit = limit;
      this.periodNanos = periodNanos;
      this.grants = new long[Math.min(limit, INITIAL_CAPACITY)];
    }

    @Override
    public long nanosUntilFree(Instant now) {
      long t = nanos(now);
      evict(t);
      if (size + inFlight < limit) {
        return 0;
      }
      if (size == 0) {
        return Math.min(periodNanos, IN_FLIGHT_POLL_NANOS);
      }
      return Math.max(1, grants[head] + periodNanos - t);
    }

    @Override
    public void grant(Instant now) {
      inFlight++;
    }

    @Override
    public double occupancy(Instant now) {
      evict(nanos(now));
      return Math.min(1.0, (size + inFlight) / (double) limit);
    }

    @Override
    public void complete(Instant now) {
      long t = nanos(now);
      evict(t);
      if (size > 0) {
        // A wall clock may step back; keep the log ordered so eviction stays a scan from the head.
        t = Math.max(t, grants[(head + size - 1) % grants.length]);
      }
      if (size == grants.length) {
        grow();
      }
      grants[(head + size) % grants.length] = t;
      size++;
      inFlight--;
    }

    private void evict(long t) {
      while (size > 0 && grants[head] + periodNanos <= t) {
        head = (head + 1) % grants.length;
        size--;
      }
    }

    private void grow() {
      long[] bigger = new long[(int) Math.min(limit, 2L * grants.length)];
      for (int i = 0; i < size; i++) {
        bigger[i] = grants[(head + i) % grants.length];
      }
      grants = bigger;
      head = 0;
    }

    private static long nanos(Instant now) {
      return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }
  }

  /** A counter of the permits granted since the last daily reset. */
  final class DailyQuota implements WindowState {
    private final long limit;
    private final ZoneId zone;
    private final LocalTime resetTime;
    private Instant nextReset = Instant.MIN;
    private long used;

    DailyQuota(long limit, ZoneId zone, LocalTime resetTime) {
      this.limit = limit;
      this.zone = zone;
      this.resetTime = resetTime;
    }

    @Override
    public long nanosUntilFree(Instant now) {
      roll(now);
      return used < limit ? 0 : Math.max(1, Duration.between(now, nextReset).toNanos());
    }

    @Override
    public void grant(Instant now) {
      roll(now);
      used++;
    }

    @Override
    public double occupancy(Instant now) {
      roll(now);
      return Math.min(1.0, used / (double) limit);
    }

    /** A daily quota counts a request on the day it was granted; its completion changes nothing. */
    @Override
    public void complete(Instant now) {}

    private void roll(Instant now) {
      if (!now.isBefore(nextReset)) {
        used = 0;
        LocalDate today = now.atZone(zone).toLocalDate();
        Instant reset = ZonedDateTime.of(today, resetTime, zone).toInstant();
        nextReset = reset.isAfter(now) ? reset : ZonedDateTime.of(today.plusDays(1), resetTime, zone).toInstant();
      }
    }
  }
}
