package dev.crmkit.sync;

import java.util.ArrayList;
import java.util.List;

/** The counts and record errors of one run so far. Not thread-safe; one per run. */
final class RunTally {
  private final SyncEngine engine;
  private final PageState page;
  int processed;
  int created;
  int updated;
  int deleted;
  int skipped;
  int conflicts;
  int failed;
  final List<RecordError> errors = new ArrayList<>();
  /** The exception of the first record that failed, or null. */
  RuntimeException firstFailure;

  RunTally(SyncEngine engine, PageState page) {
    this.engine = engine;
    this.page = page;
  }

  RunCounts counts() {
    return new RunCounts(processed, created, updated, deleted, skipped, conflicts, failed);
  }

  /**
   * Records that record {@code recordId} on {@code side} failed: in the run's errors and the page's,
   * against the inbox events being applied, and to the listener.
   */
  void fail(String recordId, SyncSide side, RuntimeException e) {
    if (firstFailure == null) {
      firstFailure = e;
    }
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
    RecordError error = new RecordError(recordId, side, e.getClass().getSimpleName(), message);
    errors.add(error);
    page.pageErrors.add(error);
    page.currentEvents.forEach(eventId -> page.failedEvents.putIfAbsent(eventId, error.errorType() + ": " + message));
    failed++;
    engine.notify(l -> l.recordFailed(engine.key(), error));
  }
}
