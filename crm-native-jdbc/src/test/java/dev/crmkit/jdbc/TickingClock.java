package dev.crmkit.jdbc;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/** A clock that moves one millisecond forward each time it is read, so every write has its own time. */
final class TickingClock extends Clock {
  private final AtomicLong millis;

  TickingClock(Instant start) {
    millis = new AtomicLong(start.toEpochMilli());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }

  @Override
  public long millis() {
    return millis.getAndIncrement();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }
}
