package dev.crmkit.sync;

import dev.crmkit.error.CrmException;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.webhook.ChangeEvent;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Applies the webhook inbox's pending events page by page: each event syncs its remote record from
 * the record's current state through the {@link RecordReconciler}; after the page's writes are
 * flushed, an event is checkpointed done once every write it caused is stored, or marked failed.
 * Not thread-safe; one per run.
 */
final class InboxReader {
  private final SyncEngine engine;
  private final SyncStore store;
  private final IntegrationKey key;
  private final PageState page;
  private final RunTally tally;
  private final RecordReconciler reconciler;
  private final PageWriteBatcher writes;
  private final Checkpointer checkpointer;

  InboxReader(SyncEngine engine, PageState page, RunTally tally, RecordReconciler reconciler, PageWriteBatcher writes,
      Checkpointer checkpointer) {
    this.engine = engine;
    this.store = engine.store();
    this.key = engine.key();
    this.page = page;
    this.tally = tally;
    this.reconciler = reconciler;
    this.writes = writes;
    this.checkpointer = checkpointer;
  }

  /**
   * Applies the inbox's pending events page by page; returns when none is left.
   *
   * @throws SyncRunner.Abort when a run-wide error or a lost lease stops the drain
   */
  void drain() {
    while (true) {
      List<InboxEntry> entries = store.pendingEvents(key, Math.min(engine.pageSize(), 1000));
      if (entries.isEmpty()) {
        return;
      }
      List<String> ids = new ArrayList<>();
      for (InboxEntry entry : entries) {
        if (entry.event().objectId() != null) {
          ids.add(entry.event().objectId());
          ids.addAll(entry.event().mergedIds());
        }
      }
      page.prefetch(SyncSide.REMOTE, ids);
      CrmException stop = null;
      List<String> applied = new ArrayList<>();
      for (InboxEntry entry : entries) {
        ChangeEvent event = entry.event();
        tally.processed++;
        page.currentEvents = Set.of(event.eventId());
        try {
          processEvent(event);
        } catch (CrmException | IllegalArgumentException | DateTimeException e) {
          if (SyncRunner.runWide(e)) {
            stop = (CrmException) e;
            break;
          }
          tally.fail(event.objectId() == null ? event.eventId() : event.objectId(), SyncSide.REMOTE, e);
        } finally {
          page.currentEvents = Set.of();
        }
        applied.add(event.eventId());
      }
      stop = stop == null ? writes.flush() : stop;
      // Done only once every write it caused is stored; one whose write was never sent stays pending.
      for (String eventId : applied) {
        if (!page.failedEvents.containsKey(eventId) && page.openWrites.getOrDefault(eventId, 0) == 0) {
          page.checkpoint.eventDone(eventId);
        }
      }
      page.openWrites.clear();
      checkpointer.commit();
      page.failedEvents.forEach((id, error) -> store.markEventFailed(key, id, error));
      page.failedEvents.clear();
      if (stop != null) {
        throw new SyncRunner.Abort(stop.getMessage(), stop);
      }
    }
  }

  private void processEvent(ChangeEvent event) {
    String objectId = event.objectId();
    if (objectId == null || !engine.pulls() || !engine.acceptsObjectType(event.objectType())) {
      tally.skipped++;
      return;
    }
    switch (event.type()) {
      case UNKNOWN, ASSOCIATION_CHANGED -> tally.skipped++;
      case MERGED -> {
        for (String mergedId : event.mergedIds()) {
          reconciler.merged(SyncSide.REMOTE, objectId, mergedId);
        }
        reconciler.refresh(SyncSide.REMOTE, objectId);
      }
      case PRIVACY_DELETED -> reconciler.deleted(SyncSide.REMOTE, page.mapping(SyncSide.REMOTE, objectId));
      // From the record's current state, whatever the event said: out-of-order events converge.
      default -> reconciler.refresh(SyncSide.REMOTE, objectId);
    }
  }
}
