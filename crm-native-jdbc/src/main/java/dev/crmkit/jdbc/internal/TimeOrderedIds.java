package dev.crmkit.jdbc.internal;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Version 7 UUIDs (RFC 9562): 48 bits of clock milliseconds, a 12-bit counter, 62 random bits.
 * Ids from one generator sort in creation order even within a millisecond, which keeps "newest
 * first" lists stable and index inserts at the end of the B-tree. Thread-safe.
 */
public final class TimeOrderedIds {
  private final Clock clock;
  private long lastMillis = -1;
  private int counter;

  public TimeOrderedIds(Clock clock) {
    this.clock = clock;
  }

  /** A new id, greater than every id this generator returned before. */
  public synchronized String next() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      counter = 0;
    } else if (++counter > 0xFFF) {
      lastMillis++;
      counter = 0;
    }
    long msb = (lastMillis << 16) | 0x7000L | counter;
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
