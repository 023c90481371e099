package dev.crmkit.sync;

import dev.crmkit.IdempotentCreates;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.SyncLease;
import java.util.List;
import java.util.Optional;

/**
 * The work of one run, inbox drain or conflict resolution, split along its phases, which share one
 * {@link PageState} and one {@link RunTally}: the {@link FeedReader} and the {@link InboxReader} read
 * pages, the {@link RecordReconciler} syncs each record, the {@link PageWriteBatcher} sends the page's
 * writes in batches, and the {@link Checkpointer} stores the page. Not thread-safe; one per run.
 */
final class SyncRunner {

  /** Stops the run: a run-wide failure, or the lease was lost. */
  static final class Abort extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Abort(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The remote id of a pending mapping: a remote create that was, or is about to be, sent under the
   * idempotency key after the prefix, and whose record id is not known yet (see {@link IdempotentCreates}).
   */
  static final String PENDING = "crmkit-pending:";

  private final PageState page;
  private final RunTally tally;
  private final Checkpointer checkpointer;
  private final PageWriteBatcher writes;
  private final RecordReconciler reconciler;
  private final FeedReader feed;
  private final InboxReader inbox;

  /**
   * @param runId the run whose log the checkpoints update, or null for a conflict resolution
   * @param lease the lease the checkpoints are fenced by
   */
  SyncRunner(SyncEngine engine, String runId, SyncLease lease) {
    this.page = new PageState(engine.store(), engine.key());
    this.tally = new RunTally(engine, page);
    this.checkpointer = new Checkpointer(engine, runId, lease, page, tally);
    this.writes = new PageWriteBatcher(engine, page, tally, checkpointer);
    this.reconciler = new RecordReconciler(engine, page, tally, writes);
    this.feed = new FeedReader(engine, page, tally, reconciler, writes, checkpointer);
    this.inbox = new InboxReader(engine, page, tally, reconciler, writes, checkpointer);
  }

  RunCounts counts() {
    return tally.counts();
  }

  List<RecordError> errors() {
    return tally.errors;
  }

  /** The exception of the first record that failed, for a caller that writes one record and throws. */
  Optional<RuntimeException> firstError() {
    return Optional.ofNullable(tally.firstFailure);
  }

  /** Reads one flow's change feed from {@code cursor} to its end, page by page (see {@link FeedReader#pass}). */
  void pass(SyncFlow flow, String cursor) {
    feed.pass(flow, cursor);
  }

  /** Syncs one customer (see {@link FeedReader#customer}). */
  void customer(String localId) {
    feed.customer(localId);
  }

  /** Applies the inbox's pending events page by page (see {@link InboxReader#drain}). */
  void drain() {
    inbox.drain();
  }

  /** Writes a person's decision on a conflict to both sides and clears the conflict marker. */
  void applyDecision(IdMapping m, SyncConflict conflict) {
    reconciler.applyDecision(m, conflict);
  }

  /** Sends the queued writes; the run-wide error that stopped them, or null. */
  CrmException flushWrites() {
    return writes.flush();
  }

  /** Renews the lease, then stores the page. */
  void commit() {
    checkpointer.commit();
  }

  /** The mapping of record {@code id} on {@code side}, as the current page sees it. */
  Optional<IdMapping> mapping(SyncSide side, String id) {
    return page.mapping(side, id);
  }

  static boolean pending(String externalId) {
    return externalId.startsWith(PENDING);
  }

  /** Errors that no other record would escape: the back end is down, throttling, or refuses our credentials. */
  static boolean runWide(RuntimeException e) {
    return e instanceof ApiConnectionException || e instanceof ServerException || e instanceof RateLimitedException
        || e instanceof AuthenticationException || e instanceof ConfigurationException;
  }
}
