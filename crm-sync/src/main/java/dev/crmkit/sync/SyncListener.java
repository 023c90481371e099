package dev.crmkit.sync;

/**
 * Hears what a {@link SyncEngine} does, for metrics and notifications. Every method has an empty
 * default; implement the ones you need. Calls come from the thread running the sync, in order. A
 * listener that throws is logged and otherwise ignored: it never fails a run.
 */
public interface SyncListener {

  /** A listener that does nothing. */
  SyncListener NONE = new SyncListener() {};

  /**
   * A run (or inbox drain) started.
   *
   * @param key the integration
   * @param runId the run's id in the run log
   * @param kind what it does, such as {@code "pull/delta"}
   */
  default void runStarted(IntegrationKey key, String runId, String kind) {}

  /**
   * A page was checkpointed: its records are synced for good.
   *
   * @param key the integration
   * @param runId the run
   * @param countsSoFar the run's counts so far
   */
  default void pageCommitted(IntegrationKey key, String runId, RunCounts countsSoFar) {}

  /**
   * A record was parked for a person.
   *
   * @param conflict the open conflict
   */
  default void conflictParked(SyncConflict conflict) {}

  /**
   * A record failed; the run goes on with the next one.
   *
   * @param key the integration
   * @param error what failed
   */
  default void recordFailed(IntegrationKey key, RecordError error) {}

  /**
   * A run finished, whatever its status.
   *
   * @param key the integration
   * @param result what it did
   */
  default void runFinished(IntegrationKey key, SyncResult result) {}
}
