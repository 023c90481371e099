package dev.crmkit.sync.spi;

/** Where a webhook event stands in the inbox: {@code PENDING → DONE}, or {@code PENDING → FAILED → PENDING} by replay. */
public enum InboxStatus {
  /** Received and not yet applied. */
  PENDING,
  /** Applied. */
  DONE,
  /** Applying it failed; waits for {@link SyncStore#replayEvent}. */
  FAILED
}
