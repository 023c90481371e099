package dev.crmkit.sync;

import dev.crmkit.error.ConflictException;
import dev.crmkit.sync.internal.SnapshotState;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncStore;
import java.util.List;

/**
 * Stores a page's work in one fenced {@link SyncStore#checkpoint}, after renewing the lease, and
 * the pending mappings of keyed creates in a checkpoint of their own before they are sent. A lost
 * lease stops the run ({@link SyncRunner.Abort}). Not thread-safe; one per run.
 */
final class Checkpointer {
  private final SyncEngine engine;
  private final SyncStore store;
  private final IntegrationKey key;
  private final String runId;
  private final SyncLease lease;
  private final PageState page;
  private final RunTally tally;

  /** {@code runId} is null for a conflict resolution, which keeps no run log. */
  Checkpointer(SyncEngine engine, String runId, SyncLease lease, PageState page, RunTally tally) {
    this.engine = engine;
    this.store = engine.store();
    this.key = engine.key();
    this.runId = runId;
    this.lease = lease;
    this.page = page;
    this.tally = tally;
  }

  /** Renews the lease, then stores the page's mapping changes, cursor and done events at once. */
  void commit() {
    if (runId != null) {
      page.checkpoint.runProgress(runId, tally.counts(), page.pageErrors);
    }
    SyncCheckpoint cp = page.checkpoint.fence(lease.owner(), lease.generation()).build();
    if (!cp.isEmpty() || !page.pageErrors.isEmpty()) {
      try {
        store.renewLease(key, engine.leaseOwner(), engine.leaseTtl());
      } catch (ConflictException lost) {
        throw new SyncRunner.Abort("lost the lease of " + key + ": another run may have taken over", lost);
      }
      storeFenced(cp);
    }
    page.reset();
    if (runId != null) {
      RunCounts now = tally.counts();
      engine.notify(l -> l.pageCommitted(key, runId, now));
    }
  }

  /**
   * Stores, in a checkpoint of its own, the pending mapping of each keyed create of the chunk before
   * the chunk is sent: a run that dies after the send leaves the key behind for the next run.
   */
  void storePendingCreates(List<PendingWrite> chunk) {
    SyncCheckpoint.Builder pendings = SyncCheckpoint.builder();
    boolean any = false;
    for (PendingWrite p : chunk) {
      if (p.pendingExternalId() == null
          || page.mapping(SyncSide.LOCAL, p.recordId()).filter(m -> m.externalId().equals(p.pendingExternalId())).isPresent()) {
        continue;
      }
      SyncSnapshot snapshot = SnapshotState.marked(null, SnapshotState.PENDING, "1", engine.now());
      pendings.link(p.recordId(), p.pendingExternalId(), snapshot);
      page.put(new IdMapping(p.recordId(), p.pendingExternalId(), snapshot), null, null);
      any = true;
    }
    if (any) {
      storeFenced(pendings.fence(lease.owner(), lease.generation()).build());
    }
  }

  private void storeFenced(SyncCheckpoint cp) {
    try {
      store.checkpoint(key, cp);
    } catch (ConflictException fenced) {
      if ("lease".equals(fenced.field())) {
        throw new SyncRunner.Abort("lost the lease of " + key + ": another run has taken over", fenced);
      }
      throw fenced;
    }
  }
}
