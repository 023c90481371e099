package dev.crmkit.actions;

/** Where an event stands in an {@link EventOutbox}. */
public enum OutboxStatus {
  /** Waiting for its first or next attempt, at {@link OutboxEntry#nextAttemptAt()}. */
  PENDING,
  /** Claimed by a worker until {@link OutboxEntry#lockedUntil()}; after that any worker may claim it again. */
  IN_PROGRESS,
  /** Its writes are done; {@link OutboxEntry#outcome()} says what was written. */
  DONE,
  /** Failed for good (a permanent error, or its attempts ran out); {@link OutboxEntry#lastError()} says why. Replayable. */
  PARKED
}
