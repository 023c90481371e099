package dev.crmkit.sync;

/** What a {@link SyncEngine#run} reads. Webhook events are applied by {@link SyncEngine#drainInbox()} instead. */
public enum SyncMode {
  /**
   * Every record: the change feed of each {@link SyncFlow#PULL pull} and {@link SyncFlow#PUSH push}
   * pass is read from its beginning. Records linked before are
   * compared with their snapshot, so a full run after a delta run writes only what differs. A full run
   * that was killed is resumed from its last checkpoint by the next full run.
   */
  FULL,
  /** The changes since the last run: each pass's change feed from its stored cursor. */
  DELTA
}
