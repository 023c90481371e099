package dev.crmkit.hubspot.internal;

import dev.crmkit.http.AccessTokenProvider;
import dev.crmkit.http.RateLimiter;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * What every system of one HubSpot account shares: the credential (one OAuth refresh at a time), the
 * proactive rate limiter, and striped locks that serialize check-then-write sequences HubSpot cannot
 * make atomic (phone uniqueness, idempotency keys) within this process.
 *
 * @param tokens the account's credential
 * @param rateLimiter the account's limiter, or {@code null} when proactive limiting is off
 */
public record AccountState(AccessTokenProvider tokens, RateLimiter rateLimiter, ReentrantLock[] stripes) {
  private static final int STRIPES = 64;

  /** A state with fresh lock stripes. */
  public static AccountState of(AccessTokenProvider tokens, RateLimiter rateLimiter) {
    ReentrantLock[] locks = new ReentrantLock[STRIPES];
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
    return new AccountState(tokens, rateLimiter, locks);
  }

  /** Runs {@code body} holding the lock of {@code key}; without a key, runs it unlocked. */
  public <T> T locked(String key, Supplier<T> body) {
    if (key == null) {
      return body.get();
    }
    ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), STRIPES)];
    lock.lock();
    try {
      return body.get();
    } finally {
      lock.unlock();
    }
  }
}
