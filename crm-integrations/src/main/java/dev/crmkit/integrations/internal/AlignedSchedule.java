package dev.crmkit.integrations.internal;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A fixed-rate db-scheduler schedule on epoch-aligned periods: executions are due at period
 * boundaries (multiples of the period since the epoch, UTC: an hourly job on the hour, a daily one at
 * midnight UTC), the first at the first boundary from now, every next one at the first boundary after
 * the previous one finished. So each execution falls into a period of its own, a late or long run
 * skips the periods it overran instead of catching up, and every node computes the same boundaries.
 */
final class AlignedSchedule implements Schedule {
  private final long periodMillis;

  AlignedSchedule(Duration period) {
    this.periodMillis = period.toMillis();
    if (periodMillis <= 0) {
      throw new IllegalArgumentException("period must be positive: " + period);
    }
  }

  /** The start of the aligned period holding {@code t}. */
  static Instant periodStart(Instant t, Duration period) {
    long p = period.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), p) * p);
  }

  @Override
  public Instant getInitialExecutionTime(Instant now) {
    long t = now.toEpochMilli();
    return Instant.ofEpochMilli(Math.floorDiv(t + periodMillis - 1, periodMillis) * periodMillis);
  }

  @Override
  public Instant getNextExecutionTime(ExecutionComplete complete) {
    Objects.requireNonNull(complete, "complete");
    long done = complete.getTimeDone().toEpochMilli();
    return Instant.ofEpochMilli((Math.floorDiv(done, periodMillis) + 1) * periodMillis);
  }

  @Override
  public boolean isDeterministic() {
    return true;
  }

  @Override
  public String toString() {
    return "AlignedSchedule[" + Duration.ofMillis(periodMillis) + "]";
  }
}
