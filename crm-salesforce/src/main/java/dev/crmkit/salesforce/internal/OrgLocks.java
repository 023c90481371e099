package dev.crmkit.salesforce.internal;

import java.util.Collection;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Striped locks shared by every system of one org in this process (one provider instance): they make
 * the check-then-write sequences Salesforce cannot make atomic for crmkit (a phone held by no other
 * customer; an idempotency key recorded once) atomic among this process's callers. Other processes, and
 * users in Salesforce, are not excluded: for emails the org's duplicate rule is the cross-process guard.
 * Thread-safe.
 */
public final class OrgLocks {
  private static final int STRIPES = 64;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

  public OrgLocks() {
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
  }

  /**
   * Runs {@code body} holding the locks of every key (taken in stripe order, so two callers never
   * deadlock); {@code null} keys are skipped.
   */
  public <T> T locked(Collection<String> keys, Supplier<T> body) {
    TreeSet<Integer> held = new TreeSet<>();
    for (String key : keys) {
      if (key != null) {
        held.add(Math.floorMod(key.hashCode(), STRIPES));
      }
    }
    for (int i : held) {
      stripes[i].lock();
    }
    try {
      return body.get();
    } finally {
      for (int i : held.descendingSet()) {
        stripes[i].unlock();
      }
    }
  }
}
