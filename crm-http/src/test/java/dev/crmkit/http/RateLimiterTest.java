package dev.crmkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final FakeTime time = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));

  private RateLimiter hubSpotLike() {
    return RateLimiter.of(time, List.of(
        RateLimitWindow.of("burst", 10, Duration.ofSeconds(10)),
        RateLimitWindow.of("search", 4, Duration.ofSeconds(1), Set.of("search")),
        RateLimitWindow.of("daily", 25, Duration.ofDays(1))));
  }

  private static int takeAll(RateLimiter limiter, String costClass, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (limiter.tryAcquire(costClass)) {
        taken++;
      }
    }
    return taken;
  }

  @Test
  void burstWindowAdmitsItsLimitThenNothingUntilTheBurstIsOnePeriodOld() {
    RateLimiter limiter = hubSpotLike();

    assertThat(takeAll(limiter, "default", 20)).isEqualTo(10);
    time.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter, "default", 20)).isZero();
    time.advance(Duration.ofMillis(8_999));
    assertThat(takeAll(limiter, "default", 20)).isZero();
    time.advance(Duration.ofMillis(1));
    assertThat(takeAll(limiter, "default", 20)).isEqualTo(10);
  }

  @Test
  void permitsAgeOutOneByOneSoASteadyTrickleFollowsAStaggeredBurst() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 3, Duration.ofSeconds(10))));
    for (int i = 0; i < 3; i++) {
      assertThat(limiter.tryAcquire("default")).isTrue();
      time.advance(Duration.ofSeconds(1));
    }

    time.advance(Duration.ofSeconds(7));
    assertThat(takeAll(limiter, "default", 5)).isEqualTo(1);
    time.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter, "default", 5)).isEqualTo(1);
  }

  @Test
  void searchWindowLimitsOnlySearchRequestsWhichAlsoCountAgainstTheBurstWindow() {
    RateLimiter limiter = hubSpotLike();

    assertThat(takeAll(limiter, "search", 10)).isEqualTo(4);
    assertThat(takeAll(limiter, "default", 10)).isEqualTo(6);
    time.advance(Duration.ofSeconds(1));
    assertThat(takeAll(limiter, "search", 10)).isZero();
    time.advance(Duration.ofSeconds(9));
    assertThat(takeAll(limiter, "search", 10)).isEqualTo(4);
  }

  @Test
  void dailyQuotaHoldsAcrossManyBurstWindows() {
    RateLimiter limiter = hubSpotLike();

    int taken = 0;
    for (int window = 0; window < 5; window++) {
      taken += takeAll(limiter, "default", 20);
      time.advance(Duration.ofSeconds(10));
    }

    assertThat(taken).isEqualTo(25);
    assertThat(limiter.tryAcquire("default")).isFalse();
  }

  @Test
  void acquireWaitsThroughTheSleeperForTheLongestBlockingWindow() {
    RateLimiter limiter = hubSpotLike();
    takeAll(limiter, "search", 4);
    time.advance(Duration.ofMillis(300));
    takeAll(limiter, "default", 6);

    limiter.acquire("search", time);

    assertThat(time.sleeps).containsExactly(Duration.ofMillis(9_700));
  }

  @Test
  void pauseHoldsEveryCostClassUntilItEnds() {
    RateLimiter limiter = hubSpotLike();

    limiter.pauseFor(Duration.ofSeconds(3));
    limiter.pauseFor(Duration.ofSeconds(1));

    assertThat(limiter.tryAcquire("default")).isFalse();
    assertThat(limiter.tryAcquire("search")).isFalse();
    limiter.acquire("default", time);
    assertThat(time.sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void oneLimiterIsSharedByAllThreadsOfTheAccount() throws Exception {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 50, Duration.ofSeconds(10))));
    int threads = 8;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Callable<Integer> worker = () -> {
          go.await();
          return takeAll(limiter, "default", 100);
        };
        results.add(pool.submit(worker));
      }
      go.countDown();
      int total = 0;
      for (Future<Integer> f : results) {
        total += f.get();
      }
      assertThat(total).isEqualTo(50);
    } finally {
      pool.shutdownNow();
    }
  }

  /** One step of the rolling-window property: time moves on, then each of four threads tries a few times. */
  record Step(long advanceMillis, List<Integer> triesPerThread) {}

  @Provide
  Arbitrary<List<Step>> steps() {
    // Mostly short gaps, now and then one longer than half the period, so windows both fill and drain.
    Arbitrary<Long> advance = Arbitraries.frequencyOf(
        Tuple.of(9, Arbitraries.longs().between(0, 1_499)), Tuple.of(1, Arbitraries.longs().between(0, 5_999)));
    Arbitrary<List<Integer>> tries = Arbitraries.integers().between(0, 3).list().ofSize(4);
    return Combinators.combine(advance, tries).as(Step::new).list().ofMinSize(1).ofMaxSize(400);
  }

  @Property(tries = 200)
  void rollingWindowNeverAdmitsMoreThanItsLimitInAnySpanOfItsPeriodAndRefusesOnlyWhenFull(
      @ForAll("steps") List<Step> script) throws Exception {
    int limit = 10;
    long periodMillis = 10_000;
    FakeTime clock = new FakeTime(Instant.parse("2026-01-01T00:00:00Z"));
    RateLimiter limiter = RateLimiter.of(clock, List.of(RateLimitWindow.of("burst", limit, Duration.ofMillis(periodMillis))));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<long[]> steps = new ArrayList<>();
    try {
      for (Step step : script) {
        clock.advance(Duration.ofMillis(step.advanceMillis()));
        List<Callable<int[]>> workers = new ArrayList<>();
        for (int tries : step.triesPerThread()) {
          workers.add(() -> {
            int granted = takeAll(limiter, "default", tries);
            return new int[] {granted, tries - granted};
          });
        }
        long granted = 0;
        long refused = 0;
        for (Future<int[]> f : pool.invokeAll(workers)) {
          granted += f.get()[0];
          refused += f.get()[1];
        }
        steps.add(new long[] {clock.instant().toEpochMilli(), granted, refused});
      }
    } finally {
      pool.shutdownNow();
    }

    for (long[] step : steps) {
      long start = step[0];
      long inSpanFromHere = steps.stream().filter(s -> s[0] >= start && s[0] < start + periodMillis).mapToLong(s -> s[1]).sum();
      assertThat(inSpanFromHere).as("permits in [%d ms, +%d ms)", start, periodMillis).isLessThanOrEqualTo(limit);
      if (step[2] > 0) {
        long inSpanUpToHere = steps.stream().filter(s -> s[0] > start - periodMillis && s[0] <= start).mapToLong(s -> s[1]).sum();
        assertThat(inSpanUpToHere).as("permits in (%d ms - %d ms, %d ms] when one was refused", start, periodMillis, start)
            .isEqualTo(limit);
      }
    }
  }

  @Test
  void dailyQuotaResetsInFullAtMidnightInTheAccountsZoneNotGradually() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.dailyResettingAt(25, ZoneId.of("America/New_York"))));

    assertThat(takeAll(limiter, "default", 40)).isEqualTo(25);
    time.advance(Duration.ofHours(4).plusMinutes(59).plusSeconds(59));
    assertThat(takeAll(limiter, "default", 40)).isZero();
    time.advance(Duration.ofSeconds(1));
    assertThat(time.instant()).isEqualTo(Instant.parse("2026-01-01T05:00:00Z"));
    assertThat(takeAll(limiter, "default", 40)).isEqualTo(25);
  }

  @Test
  void acquireOnASpentDailyQuotaSleepsUntilTheNextLocalMidnightAcrossADaylightSavingChange() {
    time.advance(Duration.between(time.instant(), Instant.parse("2026-03-08T05:00:00Z")));
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.dailyResettingAt(3, ZoneId.of("America/New_York"))));
    takeAll(limiter, "default", 3);

    limiter.acquire("default", time);

    assertThat(time.sleeps).containsExactly(Duration.ofHours(23));
    assertThat(takeAll(limiter, "default", 5)).isEqualTo(2);
  }

  @Test
  void dailyQuotaCanResetAtAnotherLocalTimeAndCountOnlySomeCostClasses() {
    RateLimitWindow window = RateLimitWindow.dailyResettingAt(
        "bulk", 2, ZoneId.of("Europe/Paris"), LocalTime.of(6, 30), Set.of("bulk"));
    RateLimiter limiter = RateLimiter.of(time, List.of(window));

    assertThat(takeAll(limiter, "bulk", 5)).isEqualTo(2);
    assertThat(takeAll(limiter, "default", 5)).isEqualTo(5);
    limiter.acquire("bulk", time);

    assertThat(time.instant()).isEqualTo(Instant.parse("2026-01-01T05:30:00Z"));
    assertThat(window.resetsDaily()).isTrue();
    assertThat(window.period()).isEqualTo(Duration.ofDays(1));
    assertThat(RateLimitWindow.of("burst", 1, Duration.ofSeconds(1)).resetsDaily()).isFalse();
  }

  @Test
  void badDailyWindowsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> RateLimitWindow.dailyResettingAt(10, null))
        .isInstanceOf(NullPointerException.class).hasMessage("resetZone");
    assertThatThrownBy(() -> RateLimitWindow.dailyResettingAt("daily", 10, ZoneOffset.UTC, null, Set.of()))
        .isInstanceOf(NullPointerException.class).hasMessage("resetTime");
    assertThatThrownBy(() -> RateLimitWindow.dailyResettingAt(0, ZoneOffset.UTC))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be positive: 0");
    assertThatThrownBy(() -> new RateLimitWindow("daily", 10, Duration.ofHours(12), Set.of(), ZoneOffset.UTC, LocalTime.NOON))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("period must be PT24H for a daily resetting window: PT12H");
    assertThatThrownBy(() -> new RateLimitWindow("daily", 10, Duration.ofDays(1), Set.of(), ZoneOffset.UTC, null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("resetTime");
  }

  @Test
  void badWindowsAreRejectedNamingTheField() {
    assertThatThrownBy(() -> RateLimitWindow.of("burst", 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be positive: 0");
    assertThatThrownBy(() -> RateLimitWindow.of("burst", -5, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("limit must be positive: -5");
    assertThatThrownBy(() -> RateLimitWindow.of("burst", 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("period must be positive: PT0S");
    assertThatThrownBy(() -> RateLimitWindow.of("burst", 1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("period must be positive: PT-1S");
    assertThatThrownBy(() -> RateLimitWindow.of("burst", 1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("period");
    assertThatThrownBy(() -> RateLimitWindow.of(" ", 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> RateLimitWindow.of("yearly", 1, Duration.ofDays(367)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("period").hasMessageContaining("PT8808H");
    assertThatThrownBy(() -> RateLimitWindow.of("huge", Integer.MAX_VALUE, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit").hasMessageContaining("2147483647");
    assertThatThrownBy(() -> RateLimiter.of(time, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windows");
    assertThatThrownBy(() -> RateLimiter.of(time, null))
        .isInstanceOf(NullPointerException.class).hasMessage("windows");
    assertThatThrownBy(() -> RateLimiter.of(null, List.of(RateLimitWindow.of("burst", 1, Duration.ofSeconds(1)))))
        .isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> RateLimiter.of(time, Arrays.asList(RateLimitWindow.of("burst", 1, Duration.ofSeconds(1)), null)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("windows").hasMessageContaining("null");
  }

  @Test
  void aSlowRequestHoldsItsSlotUntilOnePeriodAfterItsResponseNotAfterItsStart() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 2, Duration.ofSeconds(10))));
    RateLimiter.Permit slow = limiter.begin("default", time);
    assertThat(limiter.tryAcquire("default")).isTrue();
    assertThat(limiter.tryAcquire("default")).as("one in flight, one finished").isFalse();

    time.advance(Duration.ofSeconds(4));
    slow.close();
    time.advance(Duration.ofSeconds(6));
    assertThat(limiter.tryAcquire("default")).as("the quick one aged out after 10 s").isTrue();
    assertThat(limiter.tryAcquire("default")).as("the slow one counts until 10 s after its response").isFalse();
    time.advance(Duration.ofSeconds(4));
    assertThat(limiter.tryAcquire("default")).isTrue();
  }

  @Test
  void whenEverySlotIsInFlightBeginPollsBrieflyAndGoesOnOnceOneFinishesAndAges() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 1, Duration.ofSeconds(10))));
    RateLimiter.Permit first = limiter.begin("default", time);
    assertThat(limiter.tryAcquire("default")).isFalse();

    Sleeper finishingSleeper = d -> {
      time.sleep(d);
      first.close();
    };
    limiter.begin("default", finishingSleeper).close();

    assertThat(time.sleeps.get(0)).isEqualTo(Duration.ofMillis(5));
    assertThat(time.sleeps.get(1)).isEqualTo(Duration.ofSeconds(10));
    first.close();
    assertThat(time.sleeps).hasSize(2);
  }

  @Test
  void closingAPermitTwiceCountsItOnce() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 2, Duration.ofSeconds(10))));
    RateLimiter.Permit permit = limiter.begin("default", time);
    permit.close();
    permit.close();
    assertThat(limiter.tryAcquire("default")).isTrue();
    assertThat(limiter.tryAcquire("default")).isFalse();
  }

  @Test
  void aDailyQuotaCountsARequestWhenItIsAdmitted() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.dailyResettingAt(1, java.time.ZoneOffset.UTC)));
    RateLimiter.Permit permit = limiter.begin("default", time);
    assertThat(limiter.tryAcquire("default")).isFalse();
    permit.close();
    assertThat(limiter.tryAcquire("default")).isFalse();
  }

  @Test
  void aHostCanSkipOptionalWorkWithTryAcquireWithoutEverWaiting() {
    RateLimiter limiter = RateLimiter.of(time, List.of(RateLimitWindow.of("burst", 2, Duration.ofSeconds(10))));
    int refreshed = 0;
    for (int tick = 0; tick < 5; tick++) {
      if (limiter.tryAcquire(ApiRequest.DEFAULT_COST_CLASS)) {
        refreshed++;
      }
    }

    assertThat(refreshed).isEqualTo(2);
    assertThat(time.sleeps).as("tryAcquire never sleeps").isEmpty();
    limiter.pauseFor(Duration.ofSeconds(30));
    time.advance(Duration.ofSeconds(10));
    assertThat(limiter.tryAcquire(ApiRequest.DEFAULT_COST_CLASS)).as("paused").isFalse();
    assertThatThrownBy(() -> limiter.tryAcquire(null)).isInstanceOf(NullPointerException.class).hasMessage("costClass");
  }
}
