package dev.crmkit.sync;

import dev.crmkit.Customer;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the page being synced has done and not yet checkpointed, shared by the phases of a
 * {@link SyncRunner}: the checkpoint being collected, the id mappings as the page sees them (the
 * store's, read in one batch when the page starts, under the page's own changes), the writes queued
 * for the page's batch, the page's record errors, and, in an inbox drain, the events being applied.
 * {@link Checkpointer#commit()} stores it and starts the next page. Not thread-safe; one per run.
 */
final class PageState {
  private final SyncStore store;
  private final IntegrationKey key;

  /** The mapping changes, cursor, done events and run progress to store at the end of the page. */
  SyncCheckpoint.Builder checkpoint = SyncCheckpoint.builder();
  // The page's mapping changes not yet checkpointed, by local and by external id; null for an unlinked id.
  private final Map<String, IdMapping> byLocal = new HashMap<>();
  private final Map<String, IdMapping> byExternal = new HashMap<>();
  // The store's mappings of the page's records, read in one batch when the page starts.
  private final Map<String, Optional<IdMapping>> storedByLocal = new HashMap<>();
  private final Map<String, Optional<IdMapping>> storedByExternal = new HashMap<>();
  /** The writes queued for the page's batch, in the order queued. */
  final List<PendingWrite> writes = new ArrayList<>();
  /** The queued creates, by {@code side + ":" + record id} of the record they copy. */
  final Map<String, PendingWrite> queuedCreates = new HashMap<>();
  /** The page's record errors, stored with its checkpoint. */
  final List<RecordError> pageErrors = new ArrayList<>();
  /** Pending creates of the page looked up by idempotency key: the record, or empty when none was made. */
  final Map<String, Optional<Customer>> pendingFound = new HashMap<>();
  /** Inbox drain: the events being applied, whose outcome the current work decides; empty otherwise. */
  Set<String> currentEvents = Set.of();
  /** Inbox drain: per event, its writes not settled yet. */
  final Map<String, Integer> openWrites = new HashMap<>();
  /** Inbox drain: the events that failed, with their error, in the order they failed. */
  final Map<String, String> failedEvents = new LinkedHashMap<>();

  PageState(SyncStore store, IntegrationKey key) {
    this.store = store;
    this.key = key;
  }

  /** Forgets the page once its checkpoint is stored (the inbox's event state is the drain's to clear). */
  void reset() {
    checkpoint = SyncCheckpoint.builder();
    writes.clear();
    queuedCreates.clear();
    byLocal.clear();
    byExternal.clear();
    storedByLocal.clear();
    storedByExternal.clear();
    pendingFound.clear();
    pageErrors.clear();
  }

  /** Reads the store's mappings of a page's records in batches, so the page looks none up one by one. */
  void prefetch(SyncSide side, List<String> ids) {
    List<String> valid = ids.stream().filter(id -> id != null && !id.isBlank() && id.length() <= 255).distinct().toList();
    for (int from = 0; from < valid.size(); from += 1000) {
      List<String> chunk = valid.subList(from, Math.min(valid.size(), from + 1000));
      Map<String, IdMapping> found = side == SyncSide.LOCAL ? store.mappingsByLocalIds(key, chunk)
          : store.mappingsByExternalIds(key, chunk);
      for (String id : chunk) {
        IdMapping m = found.get(id);
        (side == SyncSide.LOCAL ? storedByLocal : storedByExternal).put(id, Optional.ofNullable(m));
        if (m != null) {
          (side == SyncSide.LOCAL ? storedByExternal : storedByLocal)
              .put(side == SyncSide.LOCAL ? m.externalId() : m.localId(), Optional.of(m));
        }
      }
    }
  }

  /** The mappings the page prefetched by local id; empty values for ids without one. */
  Iterable<Optional<IdMapping>> storedByLocal() {
    return storedByLocal.values();
  }

  /** The mapping of record {@code id} on {@code side} as the page sees it: its own changes, then the store's. */
  Optional<IdMapping> mapping(SyncSide side, String id) {
    Map<String, IdMapping> overlay = side == SyncSide.LOCAL ? byLocal : byExternal;
    if (overlay.containsKey(id)) {
      return Optional.ofNullable(overlay.get(id));
    }
    Optional<IdMapping> stored = (side == SyncSide.LOCAL ? storedByLocal : storedByExternal).get(id);
    if (stored != null) {
      return stored;
    }
    return side == SyncSide.LOCAL ? store.mappingByLocalId(key, id) : store.mappingByExternalId(key, id);
  }

  /**
   * Adds a link to the page unless either id is linked to another record; false then. A pending
   * mapping of the local record gives way to the link: the create it waited for is settled.
   */
  boolean link(String localId, String externalId, SyncSnapshot snapshot) {
    Optional<IdMapping> l = mapping(SyncSide.LOCAL, localId);
    Optional<IdMapping> r = mapping(SyncSide.REMOTE, externalId);
    boolean replacesPending = l.isPresent() && SyncRunner.pending(l.get().externalId()) && !SyncRunner.pending(externalId);
    if (l.isPresent() && !replacesPending && !l.get().externalId().equals(externalId)
        || r.isPresent() && !r.get().localId().equals(localId)) {
      return false;
    }
    if (replacesPending) {
      unlink(l.get());
    }
    checkpoint.link(localId, externalId, snapshot);
    put(new IdMapping(localId, externalId, snapshot), null, null);
    return true;
  }

  /** Removes a mapping: a pending one whose create made nothing, or a merged-away record's. */
  void unlink(IdMapping m) {
    checkpoint.unlink(m.localId());
    byLocal.put(m.localId(), null);
    byExternal.put(m.externalId(), null);
  }

  /** Shows {@code m} to the rest of the page, with the ids it replaced ({@code null} for none) unlinked. */
  void put(IdMapping m, String goneLocal, String goneExternal) {
    if (goneLocal != null) {
      byLocal.put(goneLocal, null);
    }
    if (goneExternal != null) {
      byExternal.put(goneExternal, null);
    }
    byLocal.put(m.localId(), m);
    byExternal.put(m.externalId(), m);
  }
}
