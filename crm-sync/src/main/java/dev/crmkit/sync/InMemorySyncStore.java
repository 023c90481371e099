package dev.crmkit.sync;

import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.spi.SyncChecks;
import dev.crmkit.sync.spi.SyncErrors;
import dev.crmkit.webhook.ChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.spi.InboxStatus;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.IdMapping;

/**
 * A {@link SyncStore} on the heap: for tests, demos and hosts that run sync in one process and can
 * afford to start over after a restart (nothing survives the JVM, and its leases only exclude runs
 * of the same process). Follows every contract of {@link SyncStore}.
 *
 * <p>Run and conflict ids are random UUID strings. A checkpoint applies its operations one by one
 * and undoes them when one fails, so its cost is that of the checkpoint, not of the stored state.
 *
 * <p>Thread-safe: each integration's state is guarded by its own lock, so integrations never wait
 * for each other.
 */
public final class InMemorySyncStore implements SyncStore {
  private static final String PROVIDER = "memory";

  private final Clock clock;
  private final Map<IntegrationKey, State> states = new ConcurrentHashMap<>();

  /**
   * A store that takes every time from {@code clock}.
   *
   * @param clock the clock leases, runs, conflicts and inbox entries are stamped with; not null
   */
  public InMemorySyncStore(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A store on the system clock in UTC. */
  public InMemorySyncStore() {
    this(Clock.systemUTC());
  }

  private static final class State {
    final Map<String, IdMapping> byLocal = new HashMap<>();
    final Map<String, String> localByExternal = new HashMap<>();
    final Map<SyncFlow, String> cursors = new EnumMap<>(SyncFlow.class);
    SyncLease lease;
    long leaseGeneration;
    final Map<String, RunEntry> runs = new LinkedHashMap<>();
    final Map<String, SyncConflict> conflicts = new LinkedHashMap<>();
    final Map<String, Event> inbox = new LinkedHashMap<>();
    long sequence;
  }

  private record RunEntry(SyncRun run, long seq, List<RecordError> errors) {}

  private record Event(InboxEntry entry, long seq, Instant orderAt) {
    Event with(InboxEntry e) {
      return new Event(e, seq, orderAt);
    }
  }

  private State state(IntegrationKey key) {
    Objects.requireNonNull(key, "key");
    return states.computeIfAbsent(key, k -> new State());
  }

  private Instant now() {
    return SyncChecks.millis(clock.instant());
  }

  // ------------------------------------------------------------------------------ id mappings

  @Override
  public Optional<IdMapping> mappingByLocalId(IntegrationKey key, String localId) {
    SyncChecks.id(localId, "localId");
    State s = state(key);
    synchronized (s) {
      return Optional.ofNullable(s.byLocal.get(localId));
    }
  }

  @Override
  public Optional<IdMapping> mappingByExternalId(IntegrationKey key, String externalId) {
    SyncChecks.id(externalId, "externalId");
    State s = state(key);
    synchronized (s) {
      String localId = s.localByExternal.get(externalId);
      return localId == null ? Optional.empty() : Optional.of(s.byLocal.get(localId));
    }
  }

  @Override
  public Map<String, IdMapping> mappingsByLocalIds(IntegrationKey key, Collection<String> localIds) {
    return mappings(key, SyncChecks.ids(localIds, "localIds"), false);
  }

  @Override
  public Map<String, IdMapping> mappingsByExternalIds(IntegrationKey key, Collection<String> externalIds) {
    return mappings(key, SyncChecks.ids(externalIds, "externalIds"), true);
  }

  private Map<String, IdMapping> mappings(IntegrationKey key, Collection<String> ids, boolean external) {
    State s = state(key);
    synchronized (s) {
      Map<String, IdMapping> out = new LinkedHashMap<>();
      for (String id : ids) {
        IdMapping m = s.byLocal.get(external ? s.localByExternal.get(id) : id);
        if (m != null) {
          out.put(id, m);
        }
      }
      return out;
    }
  }

  @Override
  public Optional<String> cursor(IntegrationKey key, SyncFlow flow) {
    SyncChecks.cursorFlow(flow);
    State s = state(key);
    synchronized (s) {
      return Optional.ofNullable(s.cursors.get(flow));
    }
  }

  @Override
  public void checkpoint(IntegrationKey key, SyncCheckpoint checkpoint) {
    SyncChecks.required(checkpoint, "checkpoint");
    State s = state(key);
    synchronized (s) {
      if (checkpoint.fenceOwner().isPresent() && (s.lease == null
          || !s.lease.owner().equals(checkpoint.fenceOwner().get())
          || s.lease.generation() != checkpoint.fenceGeneration())) {
        throw SyncErrors.fenced(PROVIDER, key, checkpoint.fenceOwner().get(), checkpoint.fenceGeneration());
      }
      RunEntry run = checkpoint.runId().isPresent() ? runningRun(s, checkpoint.runId().get()) : null;
      Deque<Runnable> undo = new ArrayDeque<>();
      try {
        for (SyncCheckpoint.Operation op : checkpoint.operations()) {
          apply(s, op, undo);
        }
        for (String eventId : checkpoint.doneEventIds()) {
          Event e = pendingEvent(s, eventId);
          s.inbox.put(eventId, e.with(withStatus(e.entry(), InboxStatus.DONE)));
          undo.push(() -> s.inbox.put(eventId, e));
        }
      } catch (RuntimeException e) {
        undo.forEach(Runnable::run);
        throw e;
      }
      s.cursors.putAll(checkpoint.cursors());
      if (run != null) {
        SyncRun r = run.run();
        run.errors().addAll(checkpoint.recordErrors());
        s.runs.put(r.id(), new RunEntry(new SyncRun(r.id(), key, r.kind(), r.status(), r.startedAt(), null,
            checkpoint.runCounts()), run.seq(), run.errors()));
      }
    }
  }

  private static void apply(State s, SyncCheckpoint.Operation op, Deque<Runnable> undo) {
    if (op instanceof SyncCheckpoint.Link link) {
      IdMapping current = s.byLocal.get(link.localId());
      if (current != null && !current.externalId().equals(link.externalId())) {
        throw SyncErrors.linked(PROVIDER, "localId", link.localId(), current.externalId());
      }
      String holder = s.localByExternal.get(link.externalId());
      if (current == null && holder != null) {
        throw SyncErrors.linked(PROVIDER, "externalId", link.externalId(), holder);
      }
      SyncSnapshot snapshot = link.snapshot() != null ? link.snapshot() : current == null ? null : current.snapshot();
      put(s, new IdMapping(link.localId(), link.externalId(), snapshot), undo);
    } else if (op instanceof SyncCheckpoint.Unlink unlink) {
      IdMapping current = s.byLocal.get(unlink.localId());
      if (current != null) {
        remove(s, current, undo);
      }
    } else if (op instanceof SyncCheckpoint.RemapLocal remap) {
      IdMapping current = s.byLocal.get(remap.fromLocalId());
      if (current == null) {
        throw new NotFoundException(PROVIDER, "mapping", remap.fromLocalId());
      }
      IdMapping target = s.byLocal.get(remap.toLocalId());
      if (target != null) {
        throw SyncErrors.linked(PROVIDER, "localId", remap.toLocalId(), target.externalId());
      }
      remove(s, current, undo);
      put(s, new IdMapping(remap.toLocalId(), current.externalId(), current.snapshot()), undo);
    } else if (op instanceof SyncCheckpoint.RemapExternal remap) {
      String localId = s.localByExternal.get(remap.fromExternalId());
      if (localId == null) {
        throw new NotFoundException(PROVIDER, "mapping", remap.fromExternalId());
      }
      String holder = s.localByExternal.get(remap.toExternalId());
      if (holder != null) {
        throw SyncErrors.linked(PROVIDER, "externalId", remap.toExternalId(), holder);
      }
      IdMapping current = s.byLocal.get(localId);
      remove(s, current, undo);
      put(s, new IdMapping(localId, remap.toExternalId(), current.snapshot()), undo);
    }
  }

  private static void put(State s, IdMapping m, Deque<Runnable> undo) {
    IdMapping before = s.byLocal.put(m.localId(), m);
    s.localByExternal.put(m.externalId(), m.localId());
    undo.push(() -> {
      s.localByExternal.remove(m.externalId());
      if (before == null) {
        s.byLocal.remove(m.localId());
      } else {
        s.byLocal.put(m.localId(), before);
        s.localByExternal.put(before.externalId(), before.localId());
      }
    });
  }

  private static void remove(State s, IdMapping m, Deque<Runnable> undo) {
    s.byLocal.remove(m.localId());
    s.localByExternal.remove(m.externalId());
    undo.push(() -> {
      s.byLocal.put(m.localId(), m);
      s.localByExternal.put(m.externalId(), m.localId());
    });
  }


  // ----------------------------------------------------------------------------------- leases

  @Override
  public Optional<SyncLease> acquireLease(IntegrationKey key, String owner, Duration ttl) {
    SyncChecks.id(owner, "owner");
    SyncChecks.ttl(ttl);
    State s = state(key);
    synchronized (s) {
      Instant now = now();
      SyncLease held = s.lease;
      if (held != null && held.expiresAt().isAfter(now) && !held.owner().equals(owner)) {
        return Optional.empty();
      }
      boolean holder = held != null && held.owner().equals(owner);
      if (!holder) {
        s.leaseGeneration++;
      }
      Instant acquiredAt = holder ? held.acquiredAt() : now;
      s.lease = new SyncLease(key, owner, acquiredAt, now.plusMillis(ttl.toMillis()), s.leaseGeneration);
      return Optional.of(s.lease);
    }
  }

  @Override
  public SyncLease renewLease(IntegrationKey key, String owner, Duration ttl) {
    SyncChecks.id(owner, "owner");
    SyncChecks.ttl(ttl);
    State s = state(key);
    synchronized (s) {
      Instant now = now();
      SyncLease held = s.lease;
      if (held == null || !held.owner().equals(owner) || !held.expiresAt().isAfter(now)) {
        throw SyncErrors.leaseNotHeld(PROVIDER, key, owner);
      }
      s.lease = new SyncLease(key, owner, held.acquiredAt(), now.plusMillis(ttl.toMillis()), held.generation());
      return s.lease;
    }
  }


  @Override
  public boolean releaseLease(IntegrationKey key, String owner) {
    SyncChecks.id(owner, "owner");
    State s = state(key);
    synchronized (s) {
      if (s.lease == null || !s.lease.owner().equals(owner)) {
        return false;
      }
      s.lease = null;
      return true;
    }
  }

  // ---------------------------------------------------------------------------------- run log

  @Override
  public SyncRun startRun(IntegrationKey key, String kind) {
    SyncChecks.id(kind, "kind", 64);
    State s = state(key);
    synchronized (s) {
      SyncRun run = new SyncRun(UUID.randomUUID().toString(), key, kind, RunStatus.RUNNING, now(), null,
          RunCounts.ZERO);
      s.runs.put(run.id(), new RunEntry(run, s.sequence++, new ArrayList<>()));
      return run;
    }
  }

  @Override
  public void addRecordErrors(IntegrationKey key, String runId, List<RecordError> errors) {
    SyncChecks.id(runId, "runId");
    List<RecordError> copy = SyncChecks.elements(errors, "errors");
    State s = state(key);
    synchronized (s) {
      RunEntry entry = runningRun(s, runId);
      entry.errors().addAll(copy);
    }
  }

  @Override
  public SyncRun finishRun(IntegrationKey key, String runId, RunStatus status, RunCounts counts) {
    SyncChecks.id(runId, "runId");
    if (SyncChecks.required(status, "status") == RunStatus.RUNNING) {
      throw ValidationException.of("status", status.name(), "a finished run cannot be RUNNING");
    }
    SyncChecks.required(counts, "counts");
    State s = state(key);
    synchronized (s) {
      RunEntry entry = runningRun(s, runId);
      SyncRun r = entry.run();
      SyncRun finished = new SyncRun(r.id(), key, r.kind(), status, r.startedAt(), now(), counts);
      s.runs.put(runId, new RunEntry(finished, entry.seq(), entry.errors()));
      return finished;
    }
  }

  private static RunEntry runningRun(State s, String runId) {
    RunEntry entry = s.runs.get(runId);
    if (entry == null) {
      throw new NotFoundException(PROVIDER, "run", runId);
    }
    if (entry.run().status() != RunStatus.RUNNING) {
      throw SyncErrors.runFinished(PROVIDER, runId, entry.run().status());
    }
    return entry;
  }

  @Override
  public Optional<SyncRun> run(IntegrationKey key, String runId) {
    SyncChecks.id(runId, "runId");
    State s = state(key);
    synchronized (s) {
      return Optional.ofNullable(s.runs.get(runId)).map(RunEntry::run);
    }
  }

  @Override
  public List<SyncRun> recentRuns(IntegrationKey key, int limit) {
    SyncChecks.limit(limit);
    State s = state(key);
    synchronized (s) {
      return s.runs.values().stream()
          .sorted(Comparator.comparing((RunEntry e) -> e.run().startedAt()).thenComparingLong(RunEntry::seq)
              .reversed())
          .limit(limit)
          .map(RunEntry::run)
          .toList();
    }
  }

  @Override
  public List<RecordError> recordErrors(IntegrationKey key, String runId) {
    SyncChecks.id(runId, "runId");
    State s = state(key);
    synchronized (s) {
      RunEntry entry = s.runs.get(runId);
      if (entry == null) {
        throw new NotFoundException(PROVIDER, "run", runId);
      }
      return List.copyOf(entry.errors());
    }
  }

  // --------------------------------------------------------------------------- conflict queue

  @Override
  public SyncConflict addConflict(IntegrationKey key, String localId, String externalId, List<FieldConflict> fields,
      String strategy) {
    SyncChecks.id(localId, "localId");
    SyncChecks.id(externalId, "externalId");
    List<FieldConflict> copy = SyncChecks.fields(fields);
    SyncChecks.id(strategy, "strategy", 64);
    State s = state(key);
    synchronized (s) {
      SyncConflict open = s.conflicts.values().stream()
          .filter(c -> c.status() == ConflictStatus.OPEN && c.localId().equals(localId)).findFirst().orElse(null);
      SyncConflict c = new SyncConflict(open != null ? open.id() : UUID.randomUUID().toString(), key, localId,
          externalId, copy, strategy, open != null ? open.detectedAt() : now(), ConflictStatus.OPEN, null);
      s.conflicts.put(c.id(), c);
      return c;
    }
  }

  @Override
  public List<SyncConflict> openConflicts(IntegrationKey key, int limit) {
    SyncChecks.limit(limit);
    State s = state(key);
    synchronized (s) {
      // LinkedHashMap order is the order added; the stable sort keeps it among equal times.
      return s.conflicts.values().stream()
          .filter(c -> c.status() == ConflictStatus.OPEN)
          .sorted(Comparator.comparing(SyncConflict::detectedAt))
          .limit(limit)
          .toList();
    }
  }

  @Override
  public Optional<SyncConflict> conflict(IntegrationKey key, String conflictId) {
    SyncChecks.id(conflictId, "conflictId");
    State s = state(key);
    synchronized (s) {
      return Optional.ofNullable(s.conflicts.get(conflictId));
    }
  }

  @Override
  public SyncConflict resolveConflict(IntegrationKey key, String conflictId, SyncSide choice,
      Map<String, String> mergedValues, String resolvedBy) {
    SyncChecks.id(conflictId, "conflictId");
    SyncChecks.required(choice, "choice");
    SyncChecks.id(resolvedBy, "resolvedBy");
    State s = state(key);
    synchronized (s) {
      SyncConflict c = s.conflicts.get(conflictId);
      if (c == null) {
        throw new NotFoundException(PROVIDER, "conflict", conflictId);
      }
      Map<String, String> merged = SyncChecks.mergedValues(choice, mergedValues, c.fields());
      if (c.status() != ConflictStatus.OPEN) {
        throw SyncErrors.resolvedAlready(PROVIDER, conflictId);
      }
      SyncConflict resolved = new SyncConflict(c.id(), key, c.localId(), c.externalId(), c.fields(), c.strategy(),
          c.detectedAt(), ConflictStatus.RESOLVED, new ConflictDecision(choice, merged, resolvedBy, now()));
      s.conflicts.put(conflictId, resolved);
      return resolved;
    }
  }


  // ---------------------------------------------------------------------------- webhook inbox

  @Override
  public boolean putEvent(IntegrationKey key, ChangeEvent event) {
    ChangeEvent e = SyncChecks.event(event);
    State s = state(key);
    synchronized (s) {
      if (s.inbox.containsKey(e.eventId())) {
        return false;
      }
      Instant now = now();
      s.inbox.put(e.eventId(), new Event(new InboxEntry(e, InboxStatus.PENDING, 0, null, now), s.sequence++,
          e.occurredAt() != null ? e.occurredAt() : now));
      return true;
    }
  }

  @Override
  public List<InboxEntry> pendingEvents(IntegrationKey key, int limit) {
    return events(key, limit, InboxStatus.PENDING);
  }

  @Override
  public List<InboxEntry> failedEvents(IntegrationKey key, int limit) {
    return events(key, limit, InboxStatus.FAILED);
  }

  private List<InboxEntry> events(IntegrationKey key, int limit, InboxStatus status) {
    SyncChecks.limit(limit);
    State s = state(key);
    synchronized (s) {
      return s.inbox.values().stream()
          .filter(e -> e.entry().status() == status)
          .sorted(Comparator.comparing(Event::orderAt).thenComparingLong(Event::seq))
          .limit(limit)
          .map(Event::entry)
          .toList();
    }
  }

  @Override
  public void markEventDone(IntegrationKey key, String eventId) {
    SyncChecks.id(eventId, "eventId");
    State s = state(key);
    synchronized (s) {
      Event e = pendingEvent(s, eventId);
      s.inbox.put(eventId, e.with(withStatus(e.entry(), InboxStatus.DONE)));
    }
  }

  @Override
  public InboxEntry markEventFailed(IntegrationKey key, String eventId, String error) {
    SyncChecks.id(eventId, "eventId");
    SyncChecks.id(error, "error", Integer.MAX_VALUE);
    State s = state(key);
    synchronized (s) {
      InboxEntry e = pendingEvent(s, eventId).entry();
      InboxEntry failed = new InboxEntry(e.event(), InboxStatus.FAILED, e.attempts() + 1, error, e.receivedAt());
      s.inbox.put(eventId, s.inbox.get(eventId).with(failed));
      return failed;
    }
  }

  private static Event pendingEvent(State s, String eventId) {
    Event e = s.inbox.get(eventId);
    if (e == null) {
      throw new NotFoundException(PROVIDER, "event", eventId);
    }
    if (e.entry().status() != InboxStatus.PENDING) {
      throw SyncErrors.notPending(PROVIDER, eventId, e.entry().status());
    }
    return e;
  }


  private static InboxEntry withStatus(InboxEntry e, InboxStatus status) {
    return new InboxEntry(e.event(), status, e.attempts(), e.lastError(), e.receivedAt());
  }

  @Override
  public boolean replayEvent(IntegrationKey key, String eventId) {
    SyncChecks.id(eventId, "eventId");
    State s = state(key);
    synchronized (s) {
      Event e = s.inbox.get(eventId);
      if (e == null) {
        throw new NotFoundException(PROVIDER, "event", eventId);
      }
      return replay(s, e);
    }
  }

  @Override
  public int replayFailedEvents(IntegrationKey key) {
    State s = state(key);
    synchronized (s) {
      Predicate<Event> replayed = e -> replay(s, e);
      return (int) List.copyOf(s.inbox.values()).stream().filter(replayed).count();
    }
  }

  private static boolean replay(State s, Event e) {
    if (e.entry().status() != InboxStatus.FAILED) {
      return false;
    }
    s.inbox.put(e.entry().event().eventId(), e.with(withStatus(e.entry(), InboxStatus.PENDING)));
    return true;
  }

  @Override
  public void erase(IntegrationKey key) {
    states.remove(Objects.requireNonNull(key, "key"));
  }
}
