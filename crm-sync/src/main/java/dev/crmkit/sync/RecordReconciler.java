package dev.crmkit.sync;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.IdempotentCreates;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.sync.internal.SnapshotState;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncStore;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Syncs one record or one pair: finds its link, creates it on the other side or matches an existing
 * record, reconciles a linked pair against its snapshot (with the {@link ConflictStrategy} when both
 * sides changed, parking it when the strategy says so), applies a person's decision, and carries
 * deletions and merges over. Local updates are written at once; other writes are queued on the
 * {@link PageWriteBatcher}, with the link made when their outcome comes. Not thread-safe; one per run.
 */
final class RecordReconciler {
  private final SyncEngine engine;
  private final SyncStore store;
  private final IntegrationKey key;
  private final FieldMapping mapping;
  private final PageState page;
  private final RunTally tally;
  private final PageWriteBatcher writes;

  RecordReconciler(SyncEngine engine, PageState page, RunTally tally, PageWriteBatcher writes) {
    this.engine = engine;
    this.store = engine.store();
    this.key = engine.key();
    this.mapping = engine.mapping();
    this.page = page;
    this.tally = tally;
    this.writes = writes;
  }

  /**
   * Syncs record {@code id} of {@code side} from its current state, whatever made it due: gone, it is a
   * deletion; reached under another id, a merge into that one; else it is synced as read.
   */
  void refresh(SyncSide side, String id) {
    Optional<Customer> current = engine.system(side).get(id);
    if (current.isEmpty()) {
      deleted(side, page.mapping(side, id));
      return;
    }
    Customer r = current.get();
    if (!r.id().equals(id)) {
      merged(side, r.id(), id);
    }
    processRecord(side, r);
  }

  /** Syncs {@code record}, read on {@code side}, with its partner on the other side. */
  void processRecord(SyncSide side, Customer record) {
    Optional<IdMapping> linked = page.mapping(side, record.id());
    if (record.isDeleted()) {
      deleted(side, linked);
      return;
    }
    if (linked.isPresent() && SyncRunner.pending(linked.get().externalId())) {
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
      tally.skipped++;
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
      tally.skipped++;
      return;
    }
    Customer o = other.get();
    if (s.deleted()) {
      if (!o.isDeleted()) {
        tally.skipped++;
        return;
      }
      CustomerSystem otherSystem = engine.system(otherSide);
      if (!otherSystem.supports(Capability.RESTORE) || !flows(side)) {
        tally.skipped++;
        return;
      }
      o = otherSystem.restore(o.id());
      SyncSnapshot base2 = SnapshotState.unmarked(m.snapshot(), SnapshotState.DELETED, engine.now());
      s = SnapshotState.of(base2);
    } else if (o.isDeleted()) {
      tally.skipped++;
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
      tally.skipped++;
      return;
    }
    SyncSide target = other(side);
    if (record.email() == null && record.phone() != null) {
      Customer match = engine.system(target).findByPhone(record.phone()).orElse(null);
      if (match != null && page.mapping(target, match.id()).isEmpty()) {
        reconcilePair(side, record, match);
        return;
      }
    }
    PendingWrite queued = page.queuedCreates.get(side + ":" + record.id());
    if (queued != null) {
      // Another event of this page already creates the record: this one's outcome is that write's.
      page.currentEvents.stream().filter(queued.events()::add).forEach(e -> page.openWrites.merge(e, 1, Integer::sum));
      tally.skipped++;
      return;
    }
    Map<String, String> values = side == SyncSide.LOCAL ? mapping.localValues(record) : mapping.remoteValues(record);
    CustomerDraft draft = target == SyncSide.REMOTE ? mapping.remoteDraft(values, pushFields())
        : mapping.localDraft(values, pullFields());
    String pendingId = null;
    IdempotentCreates keys = engine.remoteKeys();
    if (target == SyncSide.REMOTE && keys != null && record.email() == null) {
      // No email to match a retried create by: carry a key, reusing the one of an earlier attempt.
      String idempotencyKey = page.mapping(side, record.id()).map(IdMapping::externalId).filter(SyncRunner::pending)
          .map(id -> id.substring(SyncRunner.PENDING.length())).orElseGet(() -> UUID.randomUUID().toString());
      draft = keys.withIdempotencyKey(draft, idempotencyKey);
      pendingId = SyncRunner.PENDING + idempotencyKey;
    }
    page.queuedCreates.put(side + ":" + record.id(),
        writes.queue(target, CustomerWrite.create(draft), record.id(), side, pendingId, o -> created(side, record, o)));
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
    Optional<IdMapping> pendingLink = page.mapping(SyncSide.REMOTE, SyncRunner.PENDING + idempotencyKey.get());
    if (pendingLink.isEmpty()) {
      return false;
    }
    Optional<Customer> local = engine.local().get(pendingLink.get().localId());
    if (local.isEmpty() || local.get().isDeleted()) {
      tally.skipped++; // The push pass settles it with the local deletion.
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
    Customer made = PageWriteBatcher.stored(o);
    Customer local = side == SyncSide.LOCAL ? record : made;
    Customer remote = side == SyncSide.LOCAL ? made : record;
    SyncSnapshot snap = SnapshotState.synced(mapping.localValues(local), mapping.remoteValues(remote),
        mapping.localFields(), engine.now());
    if (!page.link(local.id(), remote.id(), snap)) {
      throw new ConflictException(null, "email", made.id(), "the matching record " + made.id()
          + " is linked to another record");
    }
    if (o.status() == UpsertOutcome.Status.CREATED) {
      tally.created++;
    } else {
      tally.updated++;
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
    Optional<IdMapping> linked = page.mapping(other(side), match.id());
    if (linked.isPresent()) {
      String partner = side == SyncSide.LOCAL ? linked.get().localId() : linked.get().externalId();
      if (partner.equals(record.id())) {
        tally.skipped++;
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
      tally.conflicts++; // changed on both sides and settled by the strategy; a parked one counts in park()
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
    writes.queue(SyncSide.REMOTE, CustomerWrite.update(remote.id(), ru), remote.id(), SyncSide.REMOTE,
        o -> {
          if (o.status() == UpsertOutcome.Status.REJECTED && o.error() instanceof NotFoundException) {
            tally.skipped++; // Deleted remotely since the snapshot: the next pull carries the deletion.
            return;
          }
          written(local, l, remote, PageWriteBatcher.stored(o));
        });
  }

  /** Links a pair after its writes with the new snapshot, and counts it. */
  private void written(Customer local, Customer l, Customer remote, Customer r) {
    SyncSnapshot snap = SnapshotState.synced(mapping.localValues(l), mapping.remoteValues(r), mapping.localFields(),
        engine.now());
    if (!page.link(l.id(), r.id(), snap)) {
      tally.fail(local.id(), SyncSide.LOCAL, new ConflictException(null, "externalId", r.id(),
          "remote record " + r.id() + " is linked to another local record"));
      return;
    }
    if (l != local || r != remote) {
      tally.updated++;
    } else {
      tally.skipped++;
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
    if (!page.link(local.id(), remote.id(), SnapshotState.marked(previous, SnapshotState.CONFLICT, conflict.id(), engine.now()))) {
      tally.fail(local.id(), SyncSide.LOCAL, new ConflictException(null, "externalId", remote.id(),
          "remote record " + remote.id() + " is linked to another local record"));
      return;
    }
    tally.conflicts++;
    engine.notify(l -> l.conflictParked(conflict));
  }

  /** A record whose pair waits in the conflict queue: apply the decision once a person made it. */
  private void parked(IdMapping m, SnapshotState s) {
    Optional<SyncConflict> c = store.conflict(key, s.conflictId());
    if (c.isEmpty() || c.get().status() == ConflictStatus.OPEN) {
      tally.skipped++;
      return;
    }
    applyDecision(m, c.get());
  }

  /** Writes a person's decision on a conflict to both sides and clears the conflict marker. */
  void applyDecision(IdMapping m, SyncConflict conflict) {
    Customer local = engine.local().get(m.localId()).orElse(null);
    Customer remote = engine.remote().get(m.externalId()).orElse(null);
    if (local == null || remote == null || local.isDeleted() || remote.isDeleted()) {
      tally.skipped++;
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

  void deleted(SyncSide side, Optional<IdMapping> linked) {
    if (linked.isEmpty()) {
      tally.skipped++;
      return;
    }
    IdMapping m = linked.get();
    if (SyncRunner.pending(m.externalId())) {
      Optional<Customer> made = pendingRecord(m.externalId());
      if (made.isEmpty()) {
        page.unlink(m);
        tally.skipped++;
        return;
      }
      m = new IdMapping(m.localId(), made.get().id(), SnapshotState.unmarked(m.snapshot(), SnapshotState.PENDING,
          engine.now()));
      page.link(m.localId(), m.externalId(), m.snapshot());
    }
    SnapshotState s = SnapshotState.of(m.snapshot());
    if (s.deleted() || !engine.propagatesDeletions() || !flows(side)) {
      tally.skipped++;
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
    page.link(m.localId(), m.externalId(), SnapshotState.marked(m.snapshot(), SnapshotState.DELETED, "1", engine.now()));
    tally.deleted++;
  }

  /** {@code mergedId} was merged into {@code survivorId} on {@code side}. */
  void merged(SyncSide side, String survivorId, String mergedId) {
    Optional<IdMapping> mergedLink = page.mapping(side, mergedId);
    if (mergedLink.isEmpty() || survivorId.equals(mergedId)) {
      tally.skipped++;
      return;
    }
    IdMapping mm = mergedLink.get();
    Optional<IdMapping> survivorLink = page.mapping(side, survivorId);
    if (survivorLink.isEmpty()) {
      if (side == SyncSide.LOCAL) {
        page.checkpoint.remapLocal(mm.localId(), survivorId);
        page.put(new IdMapping(survivorId, mm.externalId(), mm.snapshot()), mm.localId(), null);
      } else {
        page.checkpoint.remapExternal(mm.externalId(), survivorId);
        page.put(new IdMapping(mm.localId(), survivorId, mm.snapshot()), null, mm.externalId());
      }
      tally.skipped++;
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
    page.unlink(mm);
    tally.deleted++;
  }


  // ---------------------------------------------------------------------------- pending creates

  /** Looks up, in one call, the records of the page's pending creates a run that died may have made. */
  void findPendingCreates() {
    List<String> pendingIds = new ArrayList<>();
    page.storedByLocal().forEach(m -> m.map(IdMapping::externalId).filter(SyncRunner::pending)
        .ifPresent(pendingIds::add));
    lookUpPending(pendingIds);
  }

  /** The record a pending create made, or empty when none was made (or the remote system cannot tell). */
  private Optional<Customer> pendingRecord(String pendingExternalId) {
    if (!page.pendingFound.containsKey(pendingExternalId)) {
      lookUpPending(List.of(pendingExternalId));
    }
    return page.pendingFound.getOrDefault(pendingExternalId, Optional.empty());
  }

  private void lookUpPending(List<String> pendingIds) {
    IdempotentCreates keys = engine.remoteKeys();
    if (keys == null || pendingIds.isEmpty()) {
      return;
    }
    List<String> idempotencyKeys = pendingIds.stream().map(id -> id.substring(SyncRunner.PENDING.length())).distinct().toList();
    for (int from = 0; from < idempotencyKeys.size(); from += 1000) {
      List<String> chunk = idempotencyKeys.subList(from, Math.min(idempotencyKeys.size(), from + 1000));
      Map<String, Customer> found = keys.findByIdempotencyKeys(chunk);
      chunk.forEach(k -> page.pendingFound.put(SyncRunner.PENDING + k, Optional.ofNullable(found.get(k))));
    }
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
}
