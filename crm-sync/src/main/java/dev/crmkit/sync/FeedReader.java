package dev.crmkit.sync;

import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerSystem;
import dev.crmkit.error.CrmException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

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
      CrmException stop = process(side, batch.changes(), CustomerChange::customerId, c -> processChange(side, c));
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

  /**
   * Syncs one customer as one page, without moving a cursor: when the engine pulls and the customer is
   * linked, its remote record first (as the pull pass would meet it), then, when it pushes, the local
   * record. A record that is gone counts as deleted, as in a feed.
   *
   * @throws SyncRunner.Abort when a run-wide error or a lost lease stops it
   */
  void customer(String localId) {
    List<SyncSide> sides = new ArrayList<>();
    List<String> ids = new ArrayList<>();
    if (engine.pulls()) {
      engine.store().mappingByLocalId(engine.key(), localId).filter(m -> !SyncRunner.pending(m.externalId()))
          .ifPresent(m -> {
            sides.add(SyncSide.REMOTE);
            ids.add(m.externalId());
          });
    }
    if (engine.pushes()) {
      sides.add(SyncSide.LOCAL);
      ids.add(localId);
    }
    for (int i = 0; i < sides.size(); i++) {
      SyncSide side = sides.get(i);
      page.prefetch(side, List.of(ids.get(i)));
      if (side == SyncSide.LOCAL) {
        reconciler.findPendingCreates();
      }
      CrmException stop = process(side, List.of(ids.get(i)), id -> id, id -> reconciler.refresh(side, id));
      checkpointer.commit();
      if (stop != null) {
        throw new SyncRunner.Abort(stop.getMessage(), stop);
      }
    }
  }

  /**
   * Syncs each item, counted as processed; an item's own failure is tallied as its record's error, a
   * run-wide one stops the page. Then sends the page's writes.
   *
   * @return the run-wide error that stopped the page or its writes, or null
   */
  private <T> CrmException process(SyncSide side, List<T> items, Function<T, String> idOf, Consumer<T> sync) {
    for (T item : items) {
      tally.processed++;
      try {
        sync.accept(item);
      } catch (CrmException | IllegalArgumentException | DateTimeException e) {
        if (SyncRunner.runWide(e)) {
          return (CrmException) e;
        }
        tally.fail(idOf.apply(item), side, e);
      }
    }
    return writes.flush();
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
