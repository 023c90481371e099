package dev.crmkit.sync;

import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerSystem;
import dev.crmkit.error.CrmException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one side's change feed page by page: prefetches the page's mappings, hands each change to
 * the {@link RecordReconciler}, flushes the page's writes and checkpoints the page with its cursor.
 * Not thread-safe; one per run.
 */
final class FeedReader {
  private final SyncEngine engine;
  private final PageState page;
  private final RunTally tally;
  private final RecordReconciler reconciler;
  private final PageWriteBatcher writes;
  private final Checkpointer checkpointer;

  FeedReader(SyncEngine engine, PageState page, RunTally tally, RecordReconciler reconciler, PageWriteBatcher writes,
      Checkpointer checkpointer) {
    this.engine = engine;
    this.page = page;
    this.tally = tally;
    this.reconciler = reconciler;
    this.writes = writes;
    this.checkpointer = checkpointer;
  }

  /**
   * Reads one flow's change feed ({@link SyncFlow#PULL}: the remote one, {@link SyncFlow#PUSH}: the
   * local one) from {@code cursor} to its end, page by page.
   *
   * @throws SyncRunner.Abort when a run-wide error or a lost lease stops the pass; the pages before
   *     are checkpointed
   */
  void pass(SyncFlow flow, String cursor) {
    SyncSide side = flow == SyncFlow.PULL ? SyncSide.REMOTE : SyncSide.LOCAL;
    CustomerSystem source = engine.system(side);
    String at = cursor;
    while (true) {
      ChangeBatch batch = source.changesSince(at, engine.pageSize());
      List<String> ids = new ArrayList<>();
      for (CustomerChange change : batch.changes()) {
        ids.add(change.customerId());
        if (change.mergedIntoId() != null) {
          ids.add(change.mergedIntoId());
        }
      }
      page.prefetch(side, ids);
      if (side == SyncSide.LOCAL) {
        reconciler.findPendingCreates();
      }
      CrmException stop = null;
      for (CustomerChange change : batch.changes()) {
        tally.processed++;
        try {
          processChange(side, change);
        } catch (CrmException | IllegalArgumentException | DateTimeException e) {
          if (SyncRunner.runWide(e)) {
            stop = (CrmException) e;
            break;
          }
          tally.fail(change.customerId(), side, e);
        }
      }
      stop = stop == null ? writes.flush() : stop;
      if (stop == null) {
        page.checkpoint.cursor(flow, batch.nextCursor());
      }
      checkpointer.commit();
      if (stop != null) {
        throw new SyncRunner.Abort(stop.getMessage(), stop);
      }
      at = batch.nextCursor();
      if (!batch.hasMore()) {
        return;
      }
    }
  }

  private void processChange(SyncSide side, CustomerChange change) {
    if (change.type() == ChangeType.DELETED && change.mergedIntoId() != null) {
      reconciler.merged(side, change.mergedIntoId(), change.customerId());
      return;
    }
    if (change.type() == ChangeType.DELETED) {
      reconciler.deleted(side, page.mapping(side, change.customerId()));
      return;
    }
    reconciler.processRecord(side, change.customer());
  }
}
