package dev.crmkit.sync;

import dev.crmkit.IdempotentCreates;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.Customer;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ServerException;
import dev.crmkit.sync.ConflictResolution;
import dev.crmkit.webhook.ChangeEvent;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.internal.SnapshotState;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.IdMapping;

/**
 * The work of one run, inbox drain or conflict resolution: reads pages, reconciles record pairs,
 * collects the page's mapping changes and checkpoints them. Not thread-safe; one per run.
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

  /**
   * A write queued for the page's batch to {@code target}; {@code done} takes its outcome, rejected
   * ones included. A failure is the record {@code recordId}'s, on {@code recordSide}, and fails the
   * inbox events in {@code events}: those whose outcome waits for this write (empty outside a drain).
   * {@code pendingExternalId} is, for a keyed remote create, the pending mapping stored before it is sent.
   */
  private record PendingWrite(SyncSide target, CustomerWrite write, String recordId, SyncSide recordSide,
      Set<String> events, String pendingExternalId, Consumer<UpsertOutcome> done) {}

  /** The sides writes go to, in the order a page sends them. */
  private static final List<SyncSide> WRITE_TARGETS = List.of(SyncSide.LOCAL, SyncSide.REMOTE);

  private final SyncEngine engine;
  private final SyncStore store;
  private final IntegrationKey key;
  private final FieldMapping mapping;
  private final String runId;
  private final SyncLease lease;
  private final List<RecordError> errors = new ArrayList<>();
  private int processed;
  private int created;
  private int updated;
  private int deleted;
  private int skipped;
  private int conflicts;
  private int failed;
  private RuntimeException firstFailure;

  // The current page: mapping changes not yet checkpointed, seen through an overlay of the store.
  private SyncCheckpoint.Builder checkpoint = SyncCheckpoint.builder();
  private final Map<String, IdMapping> byLocal = new HashMap<>();
  private final Map<String, IdMapping> byExternal = new HashMap<>();
  // The store's mappings of the page's records, read in one batch when the page starts.
  private final Map<String, Optional<IdMapping>> storedByLocal = new HashMap<>();
  private final Map<String, Optional<IdMapping>> storedByExternal = new HashMap<>();
  private final List<PendingWrite> writes = new ArrayList<>();
  private final Map<String, PendingWrite> queuedCreates = new HashMap<>();
  private final List<RecordError> pageErrors = new ArrayList<>();
  // Pending creates of the page looked up by idempotency key: the record, or empty when none was made.
  private final Map<String, Optional<Customer>> pendingFound = new HashMap<>();
  // Inbox drain: the events being applied, their writes not settled yet, and the events that failed.
  private Set<String> currentEvents = Set.of();
  private final Map<String, Integer> openWrites = new HashMap<>();
  private final Map<String, String> failedEvents = new LinkedHashMap<>();

  SyncRunner(SyncEngine engine, String runId, SyncLease lease) {
    this.lease = lease;
    this.engine = engine;
    this.store = engine.store();
    this.key = engine.key();
    this.mapping = engine.mapping();
    this.runId = runId;
  }

  RunCounts counts() {
    return new RunCounts(processed, created, updated, deleted, skipped, conflicts, failed);
  }

  List<RecordError> errors() {
    return errors;
  }

  /** The exception of the first record that failed, for a caller that writes one record and throws. */
  Optional<RuntimeException> firstError() {
    return Optional.ofNullable(firstFailure);
  }

  // ----------------------------------------------------------------------------- change feeds

  /** Reads one flow's change feed (PULL: remote, PUSH: local) from {@code cursor} to its end, page by page. */
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
      prefetch(side, ids);
      if (side == SyncSide.LOCAL) {
        findPendingCreates();
      }
      CrmException stop = null;
      for (CustomerChange change : batch.changes()) {
        processed++;
        try {
          processChange(side, change);
        } catch (CrmException | IllegalArgumentException | DateTimeException e) {
          if (runWide(e)) {
            stop = (CrmException) e;
            break;
          }
          fail(change.customerId(), side, e);
        }
      }
      stop = stop == null ? flushWrites() : stop;
      if (stop == null) {
        checkpoint.cursor(flow, batch.nextCursor());
      }
      commit();
      if (stop != null) {
        throw new Abort(stop.getMessage(), stop);
      }
      at = batch.nextCursor();
      if (!batch.hasMore()) {
        return;
      }
    }
  }

  private void processChange(SyncSide side, CustomerChange change) {
    if (change.type() == dev.crmkit.ChangeType.DELETED && change.mergedIntoId() != null) {
      merged(side, change.mergedIntoId(), change.customerId());
      return;
    }
    if (change.type() == dev.crmkit.ChangeType.DELETED) {
      deleted(side, mapping(side, change.customerId()));
      return;
    }
    processRecord(side, change.customer());
  }

  // ----------------------------------------------------------------------------- webhook inbox

  /** Applies the inbox's pending events page by page; returns when none is left or the run must stop. */
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
      prefetch(SyncSide.REMOTE, ids);
      CrmException stop = null;
      List<String> applied = new ArrayList<>();
      for (InboxEntry entry : entries) {
        ChangeEvent event = entry.event();
        processed++;
        currentEvents = Set.of(event.eventId());
        try {
          processEvent(event);
        } catch (CrmException | IllegalArgumentException | DateTimeException e) {
          if (runWide(e)) {
            stop = (CrmException) e;
            break;
          }
          fail(event.objectId() == null ? event.eventId() : event.objectId(), SyncSide.REMOTE, e);
        } finally {
          currentEvents = Set.of();
        }
        applied.add(event.eventId());
      }
      stop = stop == null ? flushWrites() : stop;
      // Done only once every write it caused is stored; one whose write was never sent stays pending.
      for (String eventId : applied) {
        if (!failedEvents.containsKey(eventId) && openWrites.getOrDefault(eventId, 0) == 0) {
          checkpoint.eventDone(eventId);
        }
      }
      openWrites.clear();
      commit();
      failedEvents.forEach((id, error) -> store.markEventFailed(key, id, error));
      failedEvents.clear();
      if (stop != null) {
        throw new Abort(stop.getMessage(), stop);
      }
    }
  }

  private void processEvent(ChangeEvent event) {
    String objectId = event.objectId();
    if (objectId == null || !engine.pulls() || !engine.acceptsObjectType(event.objectType())) {
      skipped++;
      return;
    }
    switch (event.type()) {
      case UNKNOWN, ASSOCIATION_CHANGED -> skipped++;
      case MERGED -> {
        for (String mergedId : event.mergedIds()) {
          merged(SyncSide.REMOTE, objectId, mergedId);
        }
        refreshRemote(objectId);
      }
      case PRIVACY_DELETED -> deleted(SyncSide.REMOTE, mapping(SyncSide.REMOTE, objectId));
      default -> refreshRemote(objectId);
    }
  }

  /** Syncs a remote record from its current state, whatever the event said: out-of-order events converge. */
  private void refreshRemote(String objectId) {
    Optional<Customer> current = engine.remote().get(objectId);
    if (current.isEmpty()) {
      deleted(SyncSide.REMOTE, mapping(SyncSide.REMOTE, objectId));
      return;
    }
    Customer r = current.get();
    if (!r.id().equals(objectId)) {
      merged(SyncSide.REMOTE, r.id(), objectId);
    }
    processRecord(SyncSide.REMOTE, r);
  }

  // ------------------------------------------------------------------------------- one record

  private void processRecord(SyncSide side, Customer record) {
    Optional<IdMapping> linked = mapping(side, record.id());
    if (record.isDeleted()) {
      deleted(side, linked);
      return;
    }
    if (linked.isPresent() && pending(linked.get().externalId())) {
      // A create sent by a run that died before linking: link what it made, or send it again under its key.
      Optional<Customer> made = pendingRecord(linked.get().externalId());
      if (made.isPresent()) {
        reconcilePair(side, record, made.get());
      } else {
        linkOrCreate(side, record);
      }
      return;
    }
    if (linked.isEmpty()) {
      if (side == SyncSide.REMOTE && adoptPendingCreate(record)) {
        return;
      }
      linkOrCreate(side, record);
      return;
    }
    IdMapping m = linked.get();
    SnapshotState s = SnapshotState.of(m.snapshot());
    if (s.conflictId() != null) {
      parked(m, s);
      return;
    }
    Map<String, String> values = side == SyncSide.LOCAL ? mapping.localValues(record) : mapping.remoteValues(record);
    Map<String, String> base = side == SyncSide.LOCAL ? s.localBase() : s.remoteBase();
    if (!s.deleted() && s.hasBase() && equalOn(values, base, side == SyncSide.LOCAL ? pushFields() : pullFields())) {
      skipped++;
      return;
    }
    SyncSide otherSide = other(side);
    if (side == SyncSide.LOCAL && !s.deleted()) {
      // The pull pass ran first, so the snapshot is the remote record as far as this run knows it.
      reconcile(record, mapping.remoteView(record, m.externalId(), s.remoteBase(), m.snapshot().syncedAt()), s,
          m.snapshot());
      return;
    }
    Optional<Customer> other = engine.system(otherSide).get(otherSide == SyncSide.LOCAL ? m.localId() : m.externalId());
    if (other.isEmpty()) {
      skipped++;
      return;
    }
    Customer o = other.get();
    if (s.deleted()) {
      if (!o.isDeleted()) {
        skipped++;
        return;
      }
      CustomerSystem otherSystem = engine.system(otherSide);
      if (!otherSystem.supports(Capability.RESTORE) || !flows(side)) {
        skipped++;
        return;
      }
      o = otherSystem.restore(o.id());
      SyncSnapshot base2 = SnapshotState.unmarked(m.snapshot(), SnapshotState.DELETED, engine.now());
      s = SnapshotState.of(base2);
    } else if (o.isDeleted()) {
      skipped++;
      return;
    }
    Customer local = side == SyncSide.LOCAL ? record : o;
    Customer remote = side == SyncSide.LOCAL ? o : record;
    reconcile(local, remote, s, m.snapshot());
  }

  /**
   * Queues the creation of {@code record} on the other side. A record with an email is created
   * without a lookup first: a back end that keys by email upserts it (HubSpot), another rejects the
   * duplicate and {@link #matchExisting} links the two. A record without email is looked up by phone.
   */
  private void linkOrCreate(SyncSide side, Customer record) {
    if (!flows(side)) {
      skipped++;
      return;
    }
    SyncSide target = other(side);
    if (record.email() == null && record.phone() != null) {
      Customer match = engine.system(target).findByPhone(record.phone()).orElse(null);
      if (match != null && mapping(target, match.id()).isEmpty()) {
        reconcilePair(side, record, match);
        return;
      }
    }
    PendingWrite queued = queuedCreates.get(side + ":" + record.id());
    if (queued != null) {
      // Another event of this page already creates the record: this one's outcome is that write's.
      currentEvents.stream().filter(queued.events()::add).forEach(e -> openWrites.merge(e, 1, Integer::sum));
      skipped++;
      return;
    }
    Map<String, String> values = side == SyncSide.LOCAL ? mapping.localValues(record) : mapping.remoteValues(record);
    CustomerDraft draft = target == SyncSide.REMOTE ? mapping.remoteDraft(values, pushFields())
        : mapping.localDraft(values, pullFields());
    String pendingId = null;
    IdempotentCreates keys = engine.remoteKeys();
    if (target == SyncSide.REMOTE && keys != null && record.email() == null) {
      // No email to match a retried create by: carry a key, reusing the one of an earlier attempt.
      String idempotencyKey = mapping(side, record.id()).map(IdMapping::externalId).filter(SyncRunner::pending)
          .map(id -> id.substring(PENDING.length())).orElseGet(() -> UUID.randomUUID().toString());
      draft = keys.withIdempotencyKey(draft, idempotencyKey);
      pendingId = PENDING + idempotencyKey;
    }
    queuedCreates.put(side + ":" + record.id(),
        queue(target, CustomerWrite.create(draft), record.id(), side, pendingId, o -> created(side, record, o)));
  }

  /**
   * A remote record that a push created under an idempotency key before its run died: links it to
   * the local record its pending mapping names, instead of pulling a copy.
   *
   * @return true when the record was a pending create and is settled
   */
  private boolean adoptPendingCreate(Customer remote) {
    IdempotentCreates keys = engine.remoteKeys();
    Optional<String> idempotencyKey = keys == null ? Optional.empty() : keys.idempotencyKey(remote);
    if (idempotencyKey.isEmpty()) {
      return false;
    }
    Optional<IdMapping> pendingLink = mapping(SyncSide.REMOTE, PENDING + idempotencyKey.get());
    if (pendingLink.isEmpty()) {
      return false;
    }
    Optional<Customer> local = engine.local().get(pendingLink.get().localId());
    if (local.isEmpty() || local.get().isDeleted()) {
      skipped++; // The push pass settles it with the local deletion.
      return true;
    }
    reconcilePair(SyncSide.REMOTE, remote, local.get());
    return true;
  }

  private void created(SyncSide side, Customer record, UpsertOutcome o) {
    if (o.status() == UpsertOutcome.Status.REJECTED && o.error() instanceof ConflictException clash) {
      matchExisting(side, record, clash);
      return;
    }
    Customer made = stored(o);
    Customer local = side == SyncSide.LOCAL ? record : made;
    Customer remote = side == SyncSide.LOCAL ? made : record;
    SyncSnapshot snap = SnapshotState.synced(mapping.localValues(local), mapping.remoteValues(remote),
        mapping.localFields(), engine.now());
    if (!link(local.id(), remote.id(), snap)) {
      throw new ConflictException(null, "email", made.id(), "the matching record " + made.id()
          + " is linked to another record");
    }
    if (o.status() == UpsertOutcome.Status.CREATED) {
      created++;
    } else {
      updated++;
    }
  }

  /** The other side refused to create a duplicate: link the record it holds (by email, then phone) instead. */
  private void matchExisting(SyncSide side, Customer record, ConflictException clash) {
    CustomerSystem target = engine.system(other(side));
    Customer match = record.email() == null ? null : target.findByEmail(record.email()).orElse(null);
    if (match == null && record.phone() != null) {
      match = target.findByPhone(record.phone()).orElse(null);
    }
    if (match == null) {
      throw clash;
    }
    Optional<IdMapping> linked = mapping(other(side), match.id());
    if (linked.isPresent()) {
      String partner = side == SyncSide.LOCAL ? linked.get().localId() : linked.get().externalId();
      if (partner.equals(record.id())) {
        skipped++;
        return;
      }
      throw clash;
    }
    reconcilePair(side, record, match);
  }

  private void reconcilePair(SyncSide side, Customer record, Customer match) {
    Customer local = side == SyncSide.LOCAL ? record : match;
    Customer remote = side == SyncSide.LOCAL ? match : record;
    reconcile(local, remote, SnapshotState.of(null), null);
  }

  /** Brings a linked (or to-be-linked) pair to agreed values, or parks it. */
  private void reconcile(Customer local, Customer remote, SnapshotState s, SyncSnapshot previous) {
    Set<String> fields = mapping.localFields();
    Map<String, String> lv = mapping.localValues(local);
    Map<String, String> rv = mapping.remoteValues(remote);
    Map<String, String> translated = translatedRemote(rv, s);
    Map<String, String> lEff = new TreeMap<>();
    Map<String, String> rEff = new TreeMap<>();
    for (String f : fields) {
      boolean push = pushes(f);
      boolean pull = pulls(f);
      String l = lv.get(f);
      String r = pull ? translated.get(f) : l;
      put(lEff, f, push ? l : r);
      put(rEff, f, r);
    }
    Map<String, String> agreed;
    Map<String, String> base = s.localBase();
    if (lEff.equals(rEff)) {
      agreed = lEff;
    } else if (base != null && equalOn(rEff, base, fields)) {
      agreed = lEff;
    } else if (base != null && equalOn(lEff, base, fields)) {
      agreed = rEff;
    } else {
      Customer b = base == null ? null : SyncFields.view(local, base);
      ConflictResolution res = engine.strategy().resolve(b, SyncFields.view(local, lEff), SyncFields.view(remote, rEff));
      if (res.isManual()) {
        park(local, remote, lEff, rEff, base, previous);
        return;
      }
      conflicts++; // changed on both sides and settled by the strategy; a parked one counts in park()
      agreed = SyncFields.read(res.resolved(), fields);
    }
    write(local, remote, lv, translated, agreed);
  }

  /** Writes the agreed values to each side that differs, then links the pair with the new snapshot. */
  private void write(Customer local, Customer remote, Map<String, String> lv, Map<String, String> translated,
      Map<String, String> agreed) {
    Set<String> toLocal = new LinkedHashSet<>();
    Set<String> toRemote = new LinkedHashSet<>();
    for (String f : mapping.localFields()) {
      if (pulls(f) && !SyncFields.isStats(f) && !Objects.equals(lv.get(f), agreed.get(f))) {
        toLocal.add(f);
      }
      if (pushes(f) && !Objects.equals(translated.get(f), agreed.get(f))) {
        toRemote.add(f);
      }
    }
    CustomerUpdate lu = toLocal.isEmpty() ? null : mapping.localUpdate(local, agreed, toLocal);
    CustomerUpdate ru = toRemote.isEmpty() ? null : mapping.remoteUpdate(remote, agreed, toRemote);
    Customer l = lu != null && !lu.isEmpty() ? engine.local().update(local.id(), lu) : local;
    if (ru == null || ru.isEmpty()) {
      written(local, l, remote, remote);
      return;
    }
    queue(SyncSide.REMOTE, CustomerWrite.update(remote.id(), ru), remote.id(), SyncSide.REMOTE,
        o -> {
          if (o.status() == UpsertOutcome.Status.REJECTED && o.error() instanceof NotFoundException) {
            skipped++; // Deleted remotely since the snapshot: the next pull carries the deletion.
            return;
          }
          written(local, l, remote, stored(o));
        });
  }

  /** Links a pair after its writes with the new snapshot, and counts it. */
  private void written(Customer local, Customer l, Customer remote, Customer r) {
    SyncSnapshot snap = SnapshotState.synced(mapping.localValues(l), mapping.remoteValues(r), mapping.localFields(),
        engine.now());
    if (!link(l.id(), r.id(), snap)) {
      fail(local.id(), SyncSide.LOCAL, new ConflictException(null, "externalId", r.id(),
          "remote record " + r.id() + " is linked to another local record"));
      return;
    }
    if (l != local || r != remote) {
      updated++;
    } else {
      skipped++;
    }
  }

  private void park(Customer local, Customer remote, Map<String, String> lEff, Map<String, String> rEff,
      Map<String, String> base, SyncSnapshot previous) {
    List<FieldConflict> clashing = new ArrayList<>();
    List<FieldConflict> differing = new ArrayList<>();
    for (String f : mapping.localFields()) {
      String l = lEff.get(f);
      String r = rEff.get(f);
      if (Objects.equals(l, r)) {
        continue;
      }
      String b = base == null ? null : base.get(f);
      FieldConflict fc = new FieldConflict(f, l, r, b);
      differing.add(fc);
      if (base == null || !Objects.equals(l, b) && !Objects.equals(r, b)) {
        clashing.add(fc);
      }
    }
    SyncConflict conflict = store.addConflict(key, local.id(), remote.id(), clashing.isEmpty() ? differing : clashing,
        engine.strategyName());
    if (!link(local.id(), remote.id(), SnapshotState.marked(previous, SnapshotState.CONFLICT, conflict.id(), engine.now()))) {
      fail(local.id(), SyncSide.LOCAL, new ConflictException(null, "externalId", remote.id(),
          "remote record " + remote.id() + " is linked to another local record"));
      return;
    }
    conflicts++;
    engine.notify(l -> l.conflictParked(conflict));
  }

  /** A record whose pair waits in the conflict queue: apply the decision once a person made it. */
  private void parked(IdMapping m, SnapshotState s) {
    Optional<SyncConflict> c = store.conflict(key, s.conflictId());
    if (c.isEmpty() || c.get().status() == ConflictStatus.OPEN) {
      skipped++;
      return;
    }
    applyDecision(m, c.get());
  }

  /** Writes a person's decision on a conflict to both sides and clears the conflict marker. */
  void applyDecision(IdMapping m, SyncConflict conflict) {
    Customer local = engine.local().get(m.localId()).orElse(null);
    Customer remote = engine.remote().get(m.externalId()).orElse(null);
    if (local == null || remote == null || local.isDeleted() || remote.isDeleted()) {
      skipped++;
      return;
    }
    SnapshotState s = SnapshotState.of(m.snapshot());
    Map<String, String> lv = mapping.localValues(local);
    Map<String, String> translated = translatedRemote(mapping.remoteValues(remote), s);
    ConflictDecision d = conflict.resolution();
    Map<String, String> agreed = new TreeMap<>();
    for (String f : mapping.localFields()) {
      String l = lv.get(f);
      String r = translated.get(f);
      String v = switch (d.choice()) {
        case LOCAL -> l;
        case REMOTE -> r;
        case MERGED -> s.localBase() != null && Objects.equals(l, s.localBase().get(f)) ? r : l;
      };
      put(agreed, f, v);
    }
    if (d.choice() == SyncSide.MERGED) {
      d.mergedValues().forEach((f, v) -> put(agreed, f, v));
    }
    write(local, remote, lv, translated, agreed);
  }

  private void deleted(SyncSide side, Optional<IdMapping> linked) {
    if (linked.isEmpty()) {
      skipped++;
      return;
    }
    IdMapping m = linked.get();
    if (pending(m.externalId())) {
      Optional<Customer> made = pendingRecord(m.externalId());
      if (made.isEmpty()) {
        dropPending(m);
        skipped++;
        return;
      }
      m = new IdMapping(m.localId(), made.get().id(), SnapshotState.unmarked(m.snapshot(), SnapshotState.PENDING,
          engine.now()));
      link(m.localId(), m.externalId(), m.snapshot());
    }
    SnapshotState s = SnapshotState.of(m.snapshot());
    if (s.deleted() || !engine.propagatesDeletions() || !flows(side)) {
      skipped++;
      return;
    }
    SyncSide otherSide = other(side);
    CustomerSystem target = engine.system(otherSide);
    if (target.supports(Capability.DELETE)) {
      try {
        target.delete(otherSide == SyncSide.LOCAL ? m.localId() : m.externalId());
      } catch (NotFoundException gone) {
        // Deleted for good on that side already: nothing left to delete.
      }
    }
    link(m.localId(), m.externalId(), SnapshotState.marked(m.snapshot(), SnapshotState.DELETED, "1", engine.now()));
    deleted++;
  }

  /** {@code mergedId} was merged into {@code survivorId} on {@code side}. */
  private void merged(SyncSide side, String survivorId, String mergedId) {
    Optional<IdMapping> mergedLink = mapping(side, mergedId);
    if (mergedLink.isEmpty() || survivorId.equals(mergedId)) {
      skipped++;
      return;
    }
    IdMapping mm = mergedLink.get();
    Optional<IdMapping> survivorLink = mapping(side, survivorId);
    if (survivorLink.isEmpty()) {
      if (side == SyncSide.LOCAL) {
        checkpoint.remapLocal(mm.localId(), survivorId);
        put(new IdMapping(survivorId, mm.externalId(), mm.snapshot()), mm.localId(), null);
      } else {
        checkpoint.remapExternal(mm.externalId(), survivorId);
        put(new IdMapping(mm.localId(), survivorId, mm.snapshot()), null, mm.externalId());
      }
      skipped++;
      return;
    }
    SyncSide otherSide = other(side);
    String otherSurvivor = otherSide == SyncSide.LOCAL ? survivorLink.get().localId() : survivorLink.get().externalId();
    String otherMerged = otherSide == SyncSide.LOCAL ? mm.localId() : mm.externalId();
    CustomerSystem target = engine.system(otherSide);
    if (flows(side) && !otherSurvivor.equals(otherMerged)) {
      try {
        if (target.supports(Capability.MERGE)) {
          target.merge(otherSurvivor, otherMerged);
        } else if (engine.propagatesDeletions() && target.supports(Capability.DELETE)) {
          target.delete(otherMerged);
        }
      } catch (NotFoundException gone) {
        // Merged or deleted there already.
      }
    }
    checkpoint.unlink(mm.localId());
    byLocal.put(mm.localId(), null);
    byExternal.put(mm.externalId(), null);
    deleted++;
  }

  // ------------------------------------------------------------------------------------ writes

  /**
   * Sends the page's queued writes to each side through {@link CustomerSystem#bulkWrite}, in that
   * side's batch size, and settles each outcome. Writes queued while settling (an update after a
   * rejected create was matched) go in a further round.
   *
   * @return the run-wide error that stopped the flush, or null
   */
  CrmException flushWrites() {
    try {
      while (!writes.isEmpty()) {
        List<PendingWrite> round = List.copyOf(writes);
        writes.clear();
        for (SyncSide target : WRITE_TARGETS) {
          List<PendingWrite> batch = round.stream().filter(p -> p.target() == target).toList();
          int size = engine.batchSize(target);
          for (int from = 0; from < batch.size(); from += size) {
            send(target, batch.subList(from, Math.min(batch.size(), from + size)));
          }
        }
      }
      return null;
    } catch (CrmException e) {
      if (runWide(e)) {
        return e;
      }
      throw e;
    } finally {
      writes.clear();
      queuedCreates.clear();
    }
  }

  /** Queues a write for the page's batch; it carries the events being applied, whose outcome it decides. */
  private PendingWrite queue(SyncSide target, CustomerWrite write, String recordId, SyncSide recordSide,
      Consumer<UpsertOutcome> done) {
    return queue(target, write, recordId, recordSide, null, done);
  }

  private PendingWrite queue(SyncSide target, CustomerWrite write, String recordId, SyncSide recordSide,
      String pendingExternalId, Consumer<UpsertOutcome> done) {
    PendingWrite p = new PendingWrite(target, write, recordId, recordSide, new LinkedHashSet<>(currentEvents),
        pendingExternalId, done);
    p.events().forEach(e -> openWrites.merge(e, 1, Integer::sum));
    writes.add(p);
    return p;
  }

  private void send(SyncSide target, List<PendingWrite> chunk) {
    storePendingCreates(chunk);
    List<UpsertOutcome> outcomes;
    try {
      outcomes = engine.system(target).bulkWrite(chunk.stream().map(PendingWrite::write).toList());
    } catch (CrmException e) {
      if (runWide(e)) {
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
    prefetch(target, written);
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
    Set<String> outer = currentEvents;
    currentEvents = p.events();
    try {
      outcome.run();
    } catch (CrmException | IllegalArgumentException | DateTimeException e) {
      if (runWide(e)) {
        throw e;
      }
      fail(p.recordId(), p.recordSide(), e);
    } finally {
      currentEvents = outer;
    }
    p.events().forEach(e -> openWrites.merge(e, -1, Integer::sum));
  }

  /** The stored record of an accepted write; a rejected write's error. */
  private Customer stored(UpsertOutcome o) {
    if (o.status() != UpsertOutcome.Status.REJECTED) {
      return o.customer();
    }
    throw o.error() != null ? o.error() : new CrmException("write rejected without a reason");
  }

  // ------------------------------------------------------------------------------- checkpoints

  /** Renews the lease, then stores the page's mapping changes, cursor and done events at once. */
  void commit() {
    if (runId != null) {
      checkpoint.runProgress(runId, counts(), pageErrors);
    }
    SyncCheckpoint cp = checkpoint.fence(lease.owner(), lease.generation()).build();
    if (!cp.isEmpty() || !pageErrors.isEmpty()) {
      try {
        store.renewLease(key, engine.leaseOwner(), engine.leaseTtl());
      } catch (ConflictException lost) {
        throw new Abort("lost the lease of " + key + ": another run may have taken over", lost);
      }
      storeFenced(cp);
    }
    checkpoint = SyncCheckpoint.builder();
    writes.clear();
    queuedCreates.clear();
    byLocal.clear();
    byExternal.clear();
    storedByLocal.clear();
    storedByExternal.clear();
    pendingFound.clear();
    pageErrors.clear();
    if (runId != null) {
      RunCounts now = counts();
      engine.notify(l -> l.pageCommitted(key, runId, now));
    }
  }

  private void storeFenced(SyncCheckpoint cp) {
    try {
      store.checkpoint(key, cp);
    } catch (ConflictException fenced) {
      if ("lease".equals(fenced.field())) {
        throw new Abort("lost the lease of " + key + ": another run has taken over", fenced);
      }
      throw fenced;
    }
  }

  // ---------------------------------------------------------------------------- pending creates

  /**
   * Stores, in a checkpoint of its own, the pending mapping of each keyed create of the chunk before
   * the chunk is sent: a run that dies after the send leaves the key behind for the next run.
   */
  private void storePendingCreates(List<PendingWrite> chunk) {
    SyncCheckpoint.Builder pendings = SyncCheckpoint.builder();
    boolean any = false;
    for (PendingWrite p : chunk) {
      if (p.pendingExternalId() == null
          || mapping(SyncSide.LOCAL, p.recordId()).filter(m -> m.externalId().equals(p.pendingExternalId())).isPresent()) {
        continue;
      }
      SyncSnapshot snapshot = SnapshotState.marked(null, SnapshotState.PENDING, "1", engine.now());
      pendings.link(p.recordId(), p.pendingExternalId(), snapshot);
      put(new IdMapping(p.recordId(), p.pendingExternalId(), snapshot), null, null);
      any = true;
    }
    if (any) {
      storeFenced(pendings.fence(lease.owner(), lease.generation()).build());
    }
  }

  /** Looks up, in one call, the records of the page's pending creates a run that died may have made. */
  private void findPendingCreates() {
    List<String> pendingIds = new ArrayList<>();
    storedByLocal.values().forEach(m -> m.map(IdMapping::externalId).filter(SyncRunner::pending)
        .ifPresent(pendingIds::add));
    lookUpPending(pendingIds);
  }

  /** The record a pending create made, or empty when none was made (or the remote system cannot tell). */
  private Optional<Customer> pendingRecord(String pendingExternalId) {
    if (!pendingFound.containsKey(pendingExternalId)) {
      lookUpPending(List.of(pendingExternalId));
    }
    return pendingFound.getOrDefault(pendingExternalId, Optional.empty());
  }

  private void lookUpPending(List<String> pendingIds) {
    IdempotentCreates keys = engine.remoteKeys();
    if (keys == null || pendingIds.isEmpty()) {
      return;
    }
    List<String> idempotencyKeys = pendingIds.stream().map(id -> id.substring(PENDING.length())).distinct().toList();
    for (int from = 0; from < idempotencyKeys.size(); from += 1000) {
      List<String> chunk = idempotencyKeys.subList(from, Math.min(idempotencyKeys.size(), from + 1000));
      Map<String, Customer> found = keys.findByIdempotencyKeys(chunk);
      chunk.forEach(k -> pendingFound.put(PENDING + k, Optional.ofNullable(found.get(k))));
    }
  }

  /** Removes a pending mapping whose create made nothing. */
  private void dropPending(IdMapping m) {
    checkpoint.unlink(m.localId());
    byLocal.put(m.localId(), null);
    byExternal.put(m.externalId(), null);
  }

  static boolean pending(String externalId) {
    return externalId.startsWith(PENDING);
  }

  // ----------------------------------------------------------------------------------- helpers

  /** Reads the store's mappings of a page's records in batches, so the page looks none up one by one. */
  private void prefetch(SyncSide side, List<String> ids) {
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
  private boolean link(String localId, String externalId, SyncSnapshot snapshot) {
    Optional<IdMapping> l = mapping(SyncSide.LOCAL, localId);
    Optional<IdMapping> r = mapping(SyncSide.REMOTE, externalId);
    boolean replacesPending = l.isPresent() && pending(l.get().externalId()) && !pending(externalId);
    if (l.isPresent() && !replacesPending && !l.get().externalId().equals(externalId)
        || r.isPresent() && !r.get().localId().equals(localId)) {
      return false;
    }
    if (replacesPending) {
      dropPending(l.get());
    }
    checkpoint.link(localId, externalId, snapshot);
    put(new IdMapping(localId, externalId, snapshot), null, null);
    return true;
  }

  private void put(IdMapping m, String goneLocal, String goneExternal) {
    if (goneLocal != null) {
      byLocal.put(goneLocal, null);
    }
    if (goneExternal != null) {
      byExternal.put(goneExternal, null);
    }
    byLocal.put(m.localId(), m);
    byExternal.put(m.externalId(), m);
  }

  private void fail(String recordId, SyncSide side, RuntimeException e) {
    if (firstFailure == null) {
      firstFailure = e;
    }
    String message = e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getName() : e.getMessage();
    RecordError error = new RecordError(recordId, side, e.getClass().getSimpleName(), message);
    errors.add(error);
    pageErrors.add(error);
    currentEvents.forEach(eventId -> failedEvents.putIfAbsent(eventId, error.errorType() + ": " + message));
    failed++;
    engine.notify(l -> l.recordFailed(key, error));
  }

  /** The remote values, with a field the remote side did not change since the base read as the base's local value. */
  private static Map<String, String> translatedRemote(Map<String, String> rv, SnapshotState s) {
    if (s.remoteBase() == null) {
      return rv;
    }
    Map<String, String> out = new TreeMap<>(rv);
    Set<String> names = new LinkedHashSet<>(rv.keySet());
    names.addAll(s.remoteBase().keySet());
    for (String f : names) {
      if (Objects.equals(rv.get(f), s.remoteBase().get(f))) {
        put(out, f, s.localBase().get(f));
      }
    }
    return out;
  }

  private static boolean equalOn(Map<String, String> a, Map<String, String> b, Set<String> fields) {
    for (String f : fields) {
      if (!Objects.equals(a.get(f), b.get(f))) {
        return false;
      }
    }
    return true;
  }

  private static void put(Map<String, String> m, String f, String v) {
    if (v == null) {
      m.remove(f);
    } else {
      m.put(f, v);
    }
  }

  private boolean pushes(String field) {
    return engine.pushes() && mapping.rule(field).pushes();
  }

  private boolean pulls(String field) {
    return engine.pulls() && mapping.rule(field).pulls();
  }

  private Set<String> pushFields() {
    return fieldsWhere(this::pushes);
  }

  private Set<String> pullFields() {
    return fieldsWhere(this::pulls);
  }

  private Set<String> fieldsWhere(java.util.function.Predicate<String> test) {
    Set<String> out = new LinkedHashSet<>();
    for (String f : mapping.localFields()) {
      if (test.test(f)) {
        out.add(f);
      }
    }
    return out;
  }

  /** True when changes on {@code side} flow to the other side. */
  private boolean flows(SyncSide side) {
    return side == SyncSide.LOCAL ? engine.pushes() : engine.pulls();
  }

  private static SyncSide other(SyncSide side) {
    return side == SyncSide.LOCAL ? SyncSide.REMOTE : SyncSide.LOCAL;
  }

  /** Errors that no other record would escape: the back end is down, throttling, or refuses our credentials. */
  static boolean runWide(RuntimeException e) {
    return e instanceof ApiConnectionException || e instanceof ServerException || e instanceof RateLimitedException
        || e instanceof AuthenticationException || e instanceof ConfigurationException;
  }
}
