package dev.crmkit.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one sync run (or one inbox drain) did, in the shape host apps report: synced, created,
 * updated, deleted, conflicts, errors and duration, with the per-record errors. Immutable.
 *
 * @param runId the run's id in the {@link dev.crmkit.sync.spi.SyncStore}'s run log
 * @param kind what the run did, such as {@code "bidirectional/full"} or {@code "webhook"}
 * @param status how it ended; never {@link RunStatus#RUNNING}
 * @param counts the record counts
 * @param errors the records that failed, in the order they failed; unmodifiable
 * @param failure for {@link RunStatus#FAILED}, what stopped the run (a lost lease, an outage); else {@code null}
 * @param startedAt when the run started, by the store's clock
 * @param duration how long it took, by the store's clock
 */
public record SyncResult(String runId, String kind, RunStatus status, RunCounts counts, List<RecordError> errors,
    String failure, Instant startedAt, Duration duration) {

  /** Copies {@code errors}. */
  public SyncResult {
    errors = List.copyOf(errors);
  }

  /** Records (changes, events) the run looked at. */
  public int processed() {
    return counts.processed();
  }

  /** Records that needed nothing: unchanged, echoes of the engine's own writes, parked or not syncable. */
  public int skipped() {
    return counts.skipped();
  }

  /** Records written to the receiving side: created, updated or deleted. */
  public int synced() {
    return counts.synced();
  }

  /** Records created on the receiving side. */
  public int created() {
    return counts.created();
  }

  /** Records updated on one side or both. */
  public int updated() {
    return counts.updated();
  }

  /** Records deleted (or merged away) on the receiving side. */
  public int deleted() {
    return counts.deleted();
  }

  /** Records parked in the conflict queue. */
  public int conflicts() {
    return counts.conflicts();
  }

  /** Records that failed; {@link #errors()} says why. */
  public int failed() {
    return counts.failed();
  }
}
