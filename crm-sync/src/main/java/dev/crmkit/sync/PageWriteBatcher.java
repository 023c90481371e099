package dev.crmkit.sync;

import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerWrite;
import dev.crmkit.Customer;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Queues the page's writes and sends them to each side through {@link CustomerSystem#bulkWrite}, in
 * that side's batch size, settling each outcome with the inbox events it decides. Not thread-safe;
 * one per run.
 */
final class PageWriteBatcher {
  /** The sides writes go to, in the order a page sends them. */
  private static final List<SyncSide> TARGETS = List.of(SyncSide.LOCAL, SyncSide.REMOTE);

  private final SyncEngine engine;
  private final PageState page;
  private final RunTally tally;
  private final Checkpointer checkpointer;

  PageWriteBatcher(SyncEngine engine, PageState page, RunTally tally, Checkpointer checkpointer) {
    this.engine = engine;
    this.page = page;
    this.tally = tally;
    this.checkpointer = checkpointer;
  }

  /**
   * Sends the page's queued writes to each side through {@link CustomerSystem#bulkWrite}, in that
   * side's batch size, and settles each outcome. Writes queued while settling (an update after a
   * rejected create was matched) go in a further round.
   *
   * @return the run-wide error that stopped the flush, or null
   */
  CrmException flush() {
    try {
      while (!page.writes.isEmpty()) {
        List<PendingWrite> round = List.copyOf(page.writes);
        page.writes.clear();
        for (SyncSide target : TARGETS) {
          List<PendingWrite> batch = round.stream().filter(p -> p.target() == target).toList();
          int size = engine.batchSize(target);
          for (int from = 0; from < batch.size(); from += size) {
            send(target, batch.subList(from, Math.min(batch.size(), from + size)));
          }
        }
      }
      return null;
    } catch (CrmException e) {
      if (SyncRunner.runWide(e)) {
        return e;
      }
      throw e;
    } finally {
      page.writes.clear();
      page.queuedCreates.clear();
    }
  }

  /** Queues a write for the page's batch; it carries the events being applied, whose outcome it decides. */
  PendingWrite queue(SyncSide target, CustomerWrite write, String recordId, SyncSide recordSide,
      Consumer<UpsertOutcome> done) {
    return queue(target, write, recordId, recordSide, null, done);
  }

  /** {@link #queue(SyncSide, CustomerWrite, String, SyncSide, Consumer)} of a keyed create with its pending mapping. */
  PendingWrite queue(SyncSide target, CustomerWrite write, String recordId, SyncSide recordSide,
      String pendingExternalId, Consumer<UpsertOutcome> done) {
    PendingWrite p = new PendingWrite(target, write, recordId, recordSide, new LinkedHashSet<>(page.currentEvents),
        pendingExternalId, done);
    p.events().forEach(e -> page.openWrites.merge(e, 1, Integer::sum));
    page.writes.add(p);
    return p;
  }

  private void send(SyncSide target, List<PendingWrite> chunk) {
    checkpointer.storePendingCreates(chunk);
    List<UpsertOutcome> outcomes;
    try {
      outcomes = engine.system(target).bulkWrite(chunk.stream().map(PendingWrite::write).toList());
    } catch (CrmException e) {
      if (SyncRunner.runWide(e)) {
        throw e;
      }
      chunk.forEach(p -> settle(p, () -> {
        throw e;
      }));
      return;
    }
    // The links of the written records are checked next: read their ids' mappings in one batch, not one by one.
    List<String> written = new ArrayList<>();
    for (UpsertOutcome o : outcomes) {
      if (o.customer() != null) {
        written.add(o.customer().id());
      }
    }
    page.prefetch(target, written);
    boolean[] answered = new boolean[chunk.size()];
    for (UpsertOutcome o : outcomes) {
      PendingWrite p = chunk.get(o.index());
      answered[o.index()] = true;
      settle(p, () -> p.done().accept(o));
    }
    for (int i = 0; i < chunk.size(); i++) {
      if (!answered[i]) {
        settle(chunk.get(i), () -> {
          throw new CrmException(engine.system(target).providerName() + " gave no outcome for this write");
        });
      }
    }
  }

  /**
   * Takes a write's outcome with its events as the current ones, so that what the outcome causes
   * (a failure, a further write) is theirs. A run-wide error leaves the write unsettled: its events
   * stay pending.
   */
  private void settle(PendingWrite p, Runnable outcome) {
    Set<String> outer = page.currentEvents;
    page.currentEvents = p.events();
    try {
      outcome.run();
    } catch (CrmException | IllegalArgumentException | DateTimeException e) {
      if (SyncRunner.runWide(e)) {
        throw e;
      }
      tally.fail(p.recordId(), p.recordSide(), e);
    } finally {
      page.currentEvents = outer;
    }
    p.events().forEach(e -> page.openWrites.merge(e, -1, Integer::sum));
  }

  /** The stored record of an accepted write; a rejected write's error. */
  static Customer stored(UpsertOutcome o) {
    if (o.status() != UpsertOutcome.Status.REJECTED) {
      return o.customer();
    }
    throw o.error() != null ? o.error() : new CrmException("write rejected without a reason");
  }
}
