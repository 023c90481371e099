package dev.crmkit.testkit.hubspot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * HubSpot's private-app limits as exact sliding logs: a rolling ten-second window for ordinary
 * calls, a rolling one-second window for search calls, and a daily count that resets at midnight
 * in the clock's zone. Rejected calls use no budget. Thread-safe: every method holds the lock.
 */
final class RateLimiter {
  static final Duration INTERVAL = Duration.ofSeconds(10);
  private static final Duration SEARCH_INTERVAL = Duration.ofSeconds(1);

  /** Which limit rejected a call; the names are HubSpot's {@code policyName} values. */
  enum Policy {
    TEN_SECONDLY_ROLLING("You have reached your ten_secondly_rolling limit."),
    SECONDLY("You have reached your secondly limit."),
    DAILY("You have reached your daily limit.");

    final String message;

    Policy(String message) {
      this.message = message;
    }
  }

  /**
   * @param rejectedBy null when the call may go ahead
   * @param remaining calls left in the current ten-second window
   * @param dailyRemaining calls left today
   */
  record Decision(Policy rejectedBy, int remaining, int dailyRemaining) {}

  private final Clock clock;
  private final boolean enabled;
  private final int tenSecondlyMax;
  private final int searchPerSecondMax;
  private final int dailyMax;
  private final Deque<Instant> window = new ArrayDeque<>();
  private final Deque<Instant> searchWindow = new ArrayDeque<>();
  private LocalDate day;
  private int usedToday;

  RateLimiter(Clock clock, boolean enabled, int tenSecondlyMax, int searchPerSecondMax, int dailyMax) {
    this.clock = clock;
    this.enabled = enabled;
    this.tenSecondlyMax = tenSecondlyMax;
    this.searchPerSecondMax = searchPerSecondMax;
    this.dailyMax = dailyMax;
  }

  int tenSecondlyMax() {
    return tenSecondlyMax;
  }

  int dailyMax() {
    return dailyMax;
  }

  /** Reports the budgets left without taking from them, for answers that use no budget. */
  synchronized Decision peek() {
    if (!enabled) {
      return new Decision(null, tenSecondlyMax, dailyMax);
    }
    roll(clock.instant());
    return new Decision(null, tenSecondlyMax - window.size(), dailyMax - usedToday);
  }

  /** Takes one call from the budgets, or reports which budget is spent. */
  synchronized Decision acquire(boolean search) {
    if (!enabled) {
      return new Decision(null, tenSecondlyMax, dailyMax);
    }
    Instant now = clock.instant();
    roll(now);
    Policy rejectedBy = null;
    if (usedToday >= dailyMax) {
      rejectedBy = Policy.DAILY;
    } else if (search && searchWindow.size() >= searchPerSecondMax) {
      rejectedBy = Policy.SECONDLY;
    } else if (!search && window.size() >= tenSecondlyMax) {
      rejectedBy = Policy.TEN_SECONDLY_ROLLING;
    }
    if (rejectedBy == null) {
      usedToday++;
      (search ? searchWindow : window).addLast(now);
    }
    return new Decision(rejectedBy, tenSecondlyMax - window.size(), dailyMax - usedToday);
  }

  private void roll(Instant now) {
    LocalDate today = LocalDate.ofInstant(now, clock.getZone());
    if (!today.equals(day)) {
      day = today;
      usedToday = 0;
    }
    evict(window, now.minus(INTERVAL));
    evict(searchWindow, now.minus(SEARCH_INTERVAL));
  }

  private static void evict(Deque<Instant> log, Instant horizon) {
    while (!log.isEmpty() && !log.peekFirst().isAfter(horizon)) {
      log.removeFirst();
    }
  }
}
