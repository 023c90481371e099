package dev.crmkit.jdbc;

import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.jdbc.internal.ConflictTable;
import dev.crmkit.jdbc.internal.CursorTable;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.DuplicateKeyException;
import dev.crmkit.jdbc.internal.IdMappingTable;
import dev.crmkit.jdbc.internal.InboxTable;
import dev.crmkit.jdbc.internal.Jdbc;
import dev.crmkit.jdbc.internal.LeaseTable;
import dev.crmkit.jdbc.internal.RecordErrorTable;
import dev.crmkit.jdbc.internal.RunTable;
import dev.crmkit.jdbc.internal.TimeOrderedIds;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.ConflictStatus;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.InboxStatus;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.spi.SyncChecks;
import dev.crmkit.sync.spi.SyncErrors;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.webhook.ChangeEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A {@link SyncStore} in the host's database, next to the native store: the {@code crm_sync_*}
 * tables that {@link NativeSchema#migrate} installs (migration {@code V2__crmkit_sync_state.sql}) on
 * H2, SQLite, PostgreSQL and MariaDB/MySQL. Follows every contract of {@link SyncStore}; state
 * survives restarts and is shared by every process on the database.
 *
 * <p>How the guarantees are kept across processes:
 * <ul>
 *   <li>A checkpoint is one transaction; on SQLite it starts with a write, so it holds the database
 *       write lock from its first statement instead of failing to upgrade a read lock.
 *   <li>A lease is one row per integration, taken by a conditional {@code UPDATE} (free, expired, or
 *       the same owner) or, when there is no row, an {@code INSERT} that the primary key lets only
 *       one process win. Expiry compares against this store's clock, so the processes' clocks must
 *       agree well within the lease's time to live.
 *   <li>The inbox dedupes by its primary key ({@code tenant_id, integration, event_id}); run and
 *       conflict state changes are conditional updates ({@code WHERE status = ...}), so of racing
 *       callers exactly one wins.
 * </ul>
 *
 * <p>Storage: run, conflict and error ids are time-ordered UUID strings (version 7); times are epoch
 * milliseconds. On SQLite, give the data source a {@code busy_timeout} so concurrent writers wait.
 *
 * <p>Errors: a failed statement surfaces as a {@link dev.crmkit.error.CrmException} naming the kind of
 * statement, its table, the SQLState and the vendor code, never the driver's message (which may quote
 * record ids, snapshots or event payloads); its cause carries the driver exception's class, SQLState,
 * vendor code and stack trace only. Keys (tenant, integration, record and event ids) compare exactly on
 * every database, as in {@link NativeCustomerSystem}.
 *
 * <p>Thread-safe. Holds no connection between calls; the data source belongs to the host.
 */
public final class JdbcSyncStore implements SyncStore {
  private final Jdbc jdbc;
  private final Clock clock;
  private final TimeOrderedIds ids;
  private final IdMappingTable mappings;
  private final CursorTable cursors = new CursorTable();
  private final LeaseTable leases = new LeaseTable();
  private final RunTable runs = new RunTable();
  private final RecordErrorTable recordErrors;
  private final ConflictTable conflicts = new ConflictTable();
  private final InboxTable inbox = new InboxTable();

  private JdbcSyncStore(DataSource dataSource, Dialect dialect, Clock clock) {
    this.jdbc = new Jdbc(dataSource, dialect);
    this.clock = clock;
    this.ids = new TimeOrderedIds(clock);
    this.mappings = new IdMappingTable(dialect);
    this.recordErrors = new RecordErrorTable(ids);
  }

  /**
   * Opens the store on a data source whose schema is installed ({@link NativeSchema#migrate}). Opens
   * one connection to detect the database; does not migrate.
   *
   * @param dataSource the host's data source, ideally pooled; not null
   * @param clock the clock leases, runs, conflicts and inbox entries are stamped with; not null
   * @return the store
   * @throws NullPointerException when an argument is null
   * @throws dev.crmkit.error.ConfigurationException when the database is not supported
   * @throws dev.crmkit.error.ApiConnectionException when no connection can be opened
   */
  public static JdbcSyncStore open(DataSource dataSource, Clock clock) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(clock, "clock");
    return new JdbcSyncStore(dataSource, NativeSchema.dialect(dataSource), clock);
  }

  private long now() {
    return clock.millis();
  }

  // ------------------------------------------------------------------------------ id mappings

  @Override
  public Optional<IdMapping> mappingByLocalId(IntegrationKey key, String localId) {
    SyncChecks.id(localId, "localId");
    return jdbc.read(c -> mappings.find(c, key, IdMappingTable.By.LOCAL_ID, localId));
  }

  @Override
  public Optional<IdMapping> mappingByExternalId(IntegrationKey key, String externalId) {
    SyncChecks.id(externalId, "externalId");
    return jdbc.read(c -> mappings.find(c, key, IdMappingTable.By.EXTERNAL_ID, externalId));
  }

  @Override
  public Map<String, IdMapping> mappingsByLocalIds(IntegrationKey key, Collection<String> localIds) {
    return mappingsBy(key, IdMappingTable.By.LOCAL_ID, SyncChecks.ids(localIds, "localIds"));
  }

  @Override
  public Map<String, IdMapping> mappingsByExternalIds(IntegrationKey key, Collection<String> externalIds) {
    return mappingsBy(key, IdMappingTable.By.EXTERNAL_ID, SyncChecks.ids(externalIds, "externalIds"));
  }

  private Map<String, IdMapping> mappingsBy(IntegrationKey key, IdMappingTable.By by, Collection<String> ids) {
    Objects.requireNonNull(key, "key");
    List<String> all = List.copyOf(ids);
    if (all.isEmpty()) {
      return new LinkedHashMap<>();
    }
    return jdbc.read(c -> mappings.findAll(c, key, by, all));
  }

  // -------------------------------------------------------------------- cursors and checkpoints

  @Override
  public Optional<String> cursor(IntegrationKey key, SyncFlow flow) {
    SyncChecks.cursorFlow(flow);
    return jdbc.read(c -> cursors.find(c, key, flow));
  }

  @Override
  public void checkpoint(IntegrationKey key, SyncCheckpoint checkpoint) {
    Objects.requireNonNull(key, "key");
    SyncChecks.required(checkpoint, "checkpoint");
    if (checkpoint.isEmpty()) {
      return;
    }
    jdbc.write(c -> {
      if (jdbc.dialect() == Dialect.SQLITE) {
        // Any write takes SQLite's write lock now, before the reads below could pin an older snapshot.
        cursors.takeWriteLock(c, key);
      }
      if (checkpoint.fenceOwner().isPresent()) {
        // A row lock until commit: an acquisition by another owner waits for this checkpoint, or wins before it.
        String owner = checkpoint.fenceOwner().get();
        if (!leases.lockHeld(c, key, owner, checkpoint.fenceGeneration())) {
          throw SyncErrors.fenced(Jdbc.PROVIDER, key, owner, checkpoint.fenceGeneration());
        }
      }
      for (SyncCheckpoint.Operation op : checkpoint.operations()) {
        apply(c, key, op);
      }
      long now = now();
      for (Map.Entry<SyncFlow, String> e : checkpoint.cursors().entrySet()) {
        cursors.put(c, key, e.getKey(), e.getValue(), now);
      }
      for (String eventId : checkpoint.doneEventIds()) {
        requirePending(c, key, eventId, inbox.markDone(c, key, eventId));
      }
      if (checkpoint.runId().isPresent()) {
        String runId = checkpoint.runId().get();
        lockRunning(c, key, runId);
        runs.updateCounts(c, key, runId, checkpoint.runCounts());
        recordErrors.insert(c, key, runId, checkpoint.recordErrors());
      }
      return null;
    });
  }

  private void apply(Connection c, IntegrationKey key, SyncCheckpoint.Operation op) throws SQLException {
    if (op instanceof SyncCheckpoint.Link link) {
      Optional<IdMapping> current = mappings.find(c, key, IdMappingTable.By.LOCAL_ID, link.localId());
      if (current.isPresent() && !current.get().externalId().equals(link.externalId())) {
        throw SyncErrors.linked(Jdbc.PROVIDER, "localId", link.localId(), current.get().externalId());
      }
      if (current.isEmpty()) {
        Optional<IdMapping> holder = mappings.find(c, key, IdMappingTable.By.EXTERNAL_ID, link.externalId());
        if (holder.isPresent()) {
          throw SyncErrors.linked(Jdbc.PROVIDER, "externalId", link.externalId(), holder.get().localId());
        }
        mappings.insert(c, key, link.localId(), link.externalId(), link.snapshot());
      } else if (link.snapshot() != null) {
        mappings.updateSnapshot(c, key, link.localId(), link.snapshot());
      }
    } else if (op instanceof SyncCheckpoint.Unlink unlink) {
      mappings.delete(c, key, unlink.localId());
    } else if (op instanceof SyncCheckpoint.RemapLocal remap) {
      remap(c, key, IdMappingTable.By.LOCAL_ID, "localId", remap.fromLocalId(), remap.toLocalId());
    } else if (op instanceof SyncCheckpoint.RemapExternal remap) {
      remap(c, key, IdMappingTable.By.EXTERNAL_ID, "externalId", remap.fromExternalId(), remap.toExternalId());
    }
  }

  private void remap(Connection c, IntegrationKey key, IdMappingTable.By by, String field, String from, String to)
      throws SQLException {
    if (mappings.find(c, key, by, from).isEmpty()) {
      throw new NotFoundException(Jdbc.PROVIDER, "mapping", from);
    }
    Optional<IdMapping> target = mappings.find(c, key, by, to);
    if (target.isPresent()) {
      IdMapping t = target.get();
      throw SyncErrors.linked(Jdbc.PROVIDER, field, to, by == IdMappingTable.By.LOCAL_ID ? t.externalId() : t.localId());
    }
    mappings.changeId(c, key, by, from, to);
  }

  // ----------------------------------------------------------------------------------- leases

  @Override
  public Optional<SyncLease> acquireLease(IntegrationKey key, String owner, Duration ttl) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(owner, "owner");
    SyncChecks.ttl(ttl);
    long now = now();
    long expires = now + ttl.toMillis();
    // Auto-commit statements, no transaction: on MariaDB an UPDATE that matches no row keeps a gap
    // lock until commit, and two such transactions inserting the same key deadlock.
    return jdbc.autoCommit(c -> {
      if (!leases.take(c, key, owner, now, expires)) {
        try {
          leases.insert(c, key, owner, now, expires);
        } catch (SQLException e) {
          if (Dialect.isUniqueViolation(e)) {
            return Optional.empty();
          }
          throw e;
        }
      }
      return leases.find(c, key).filter(l -> l.owner().equals(owner));
    });
  }

  @Override
  public SyncLease renewLease(IntegrationKey key, String owner, Duration ttl) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(owner, "owner");
    SyncChecks.ttl(ttl);
    long now = now();
    return jdbc.write(c -> {
      if (!leases.renew(c, key, owner, now, now + ttl.toMillis())) {
        throw SyncErrors.leaseNotHeld(Jdbc.PROVIDER, key, owner);
      }
      return leases.find(c, key).orElseThrow();
    });
  }

  @Override
  public boolean releaseLease(IntegrationKey key, String owner) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(owner, "owner");
    // The row stays, free (no owner, expired), so the next acquisition raises its generation.
    return jdbc.write(c -> leases.release(c, key, owner));
  }

  // ---------------------------------------------------------------------------------- run log

  @Override
  public SyncRun startRun(IntegrationKey key, String kind) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(kind, "kind", 64);
    SyncRun run = new SyncRun(ids.next(), key, kind, RunStatus.RUNNING, Instant.ofEpochMilli(now()), null,
        RunCounts.ZERO);
    jdbc.write(c -> {
      runs.insert(c, run);
      return null;
    });
    return run;
  }

  /** Locks a running run's row, or throws: NotFound for no such run, Conflict for a finished one. */
  private void lockRunning(Connection c, IntegrationKey key, String runId) throws SQLException {
    if (!runs.lockRunning(c, key, runId)) {
      SyncRun run = runs.find(c, key, runId).orElseThrow(() -> new NotFoundException(Jdbc.PROVIDER, "run", runId));
      throw SyncErrors.runFinished(Jdbc.PROVIDER, runId, run.status());
    }
  }

  @Override
  public void addRecordErrors(IntegrationKey key, String runId, List<RecordError> errors) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(runId, "runId");
    List<RecordError> copy = SyncChecks.elements(errors, "errors");
    jdbc.write(c -> {
      lockRunning(c, key, runId);
      recordErrors.insert(c, key, runId, copy);
      return null;
    });
  }

  @Override
  public SyncRun finishRun(IntegrationKey key, String runId, RunStatus status, RunCounts counts) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(runId, "runId");
    if (SyncChecks.required(status, "status") == RunStatus.RUNNING) {
      throw ValidationException.of("status", status.name(), "a finished run cannot be RUNNING");
    }
    SyncChecks.required(counts, "counts");
    return jdbc.write(c -> {
      lockRunning(c, key, runId);
      runs.finish(c, key, runId, status, now(), counts);
      return runs.find(c, key, runId).orElseThrow();
    });
  }

  @Override
  public Optional<SyncRun> run(IntegrationKey key, String runId) {
    SyncChecks.id(runId, "runId");
    return jdbc.read(c -> runs.find(c, key, runId));
  }

  @Override
  public List<SyncRun> recentRuns(IntegrationKey key, int limit) {
    SyncChecks.limit(limit);
    return jdbc.read(c -> runs.recent(c, key, limit));
  }

  @Override
  public List<RecordError> recordErrors(IntegrationKey key, String runId) {
    SyncChecks.id(runId, "runId");
    return jdbc.read(c -> {
      if (runs.find(c, key, runId).isEmpty()) {
        throw new NotFoundException(Jdbc.PROVIDER, "run", runId);
      }
      return recordErrors.list(c, key, runId);
    });
  }

  // --------------------------------------------------------------------------- conflict queue

  @Override
  public SyncConflict addConflict(IntegrationKey key, String localId, String externalId, List<FieldConflict> fields,
      String strategy) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(localId, "localId");
    SyncChecks.id(externalId, "externalId");
    List<FieldConflict> copy = SyncChecks.fields(fields);
    SyncChecks.id(strategy, "strategy", 64);
    // open_local_id, unique per integration, holds the local id while the conflict is open: one open conflict per record.
    for (int attempt = 0; ; attempt++) {
      Optional<SyncConflict> reopened = jdbc.write(c -> conflicts.reopen(c, key, localId, externalId, copy, strategy)
          ? conflicts.findOpen(c, key, localId) : Optional.empty());
      if (reopened.isPresent()) {
        return reopened.get();
      }
      SyncConflict conflict = new SyncConflict(ids.next(), key, localId, externalId, copy, strategy,
          Instant.ofEpochMilli(now()), ConflictStatus.OPEN, null);
      try {
        jdbc.write(c -> {
          conflicts.insert(c, conflict);
          return null;
        });
        return conflict;
      } catch (DuplicateKeyException raced) {
        if (attempt > 0) {
          throw raced;
        }
      }
    }
  }

  @Override
  public List<SyncConflict> openConflicts(IntegrationKey key, int limit) {
    SyncChecks.limit(limit);
    return jdbc.read(c -> conflicts.open(c, key, limit));
  }

  @Override
  public Optional<SyncConflict> conflict(IntegrationKey key, String conflictId) {
    SyncChecks.id(conflictId, "conflictId");
    return jdbc.read(c -> conflicts.find(c, key, conflictId));
  }

  @Override
  public SyncConflict resolveConflict(IntegrationKey key, String conflictId, SyncSide choice,
      Map<String, String> mergedValues, String resolvedBy) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(conflictId, "conflictId");
    SyncChecks.required(choice, "choice");
    SyncChecks.id(resolvedBy, "resolvedBy");
    SyncConflict current = conflict(key, conflictId)
        .orElseThrow(() -> new NotFoundException(Jdbc.PROVIDER, "conflict", conflictId));
    Map<String, String> merged = SyncChecks.mergedValues(choice, mergedValues, current.fields());
    long now = now();
    return jdbc.write(c -> {
      if (!conflicts.resolve(c, key, conflictId, choice, merged, resolvedBy, now)) {
        throw SyncErrors.resolvedAlready(Jdbc.PROVIDER, conflictId);
      }
      return conflicts.find(c, key, conflictId).orElseThrow();
    });
  }

  // ---------------------------------------------------------------------------- webhook inbox

  @Override
  public boolean putEvent(IntegrationKey key, ChangeEvent event) {
    Objects.requireNonNull(key, "key");
    ChangeEvent e = SyncChecks.event(event);
    long now = now();
    try {
      jdbc.write(c -> {
        inbox.insert(c, key, ids.next(), e, now);
        return null;
      });
      return true;
    } catch (DuplicateKeyException duplicate) {
      return false;
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
    return jdbc.read(c -> inbox.inStatus(c, key, status, limit));
  }

  /**
   * Throws, after a status change of a pending event that changed nothing ({@code changed} false):
   * NotFound for no such event, Conflict for one in another status.
   */
  private void requirePending(Connection c, IntegrationKey key, String eventId, boolean changed)
      throws SQLException {
    if (!changed) {
      InboxEntry e = inbox.find(c, key, eventId).orElseThrow(() -> new NotFoundException(Jdbc.PROVIDER, "event", eventId));
      throw SyncErrors.notPending(Jdbc.PROVIDER, eventId, e.status());
    }
  }

  @Override
  public void markEventDone(IntegrationKey key, String eventId) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(eventId, "eventId");
    jdbc.write(c -> {
      requirePending(c, key, eventId, inbox.markDone(c, key, eventId));
      return null;
    });
  }

  @Override
  public InboxEntry markEventFailed(IntegrationKey key, String eventId, String error) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(eventId, "eventId");
    SyncChecks.id(error, "error", Integer.MAX_VALUE);
    return jdbc.write(c -> {
      requirePending(c, key, eventId, inbox.markFailed(c, key, eventId, error));
      return inbox.find(c, key, eventId).orElseThrow();
    });
  }

  @Override
  public boolean replayEvent(IntegrationKey key, String eventId) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(eventId, "eventId");
    return jdbc.write(c -> {
      if (inbox.replay(c, key, eventId)) {
        return true;
      }
      if (inbox.find(c, key, eventId).isEmpty()) {
        throw new NotFoundException(Jdbc.PROVIDER, "event", eventId);
      }
      return false;
    });
  }

  @Override
  public int replayFailedEvents(IntegrationKey key) {
    Objects.requireNonNull(key, "key");
    return jdbc.write(c -> inbox.replayAll(c, key));
  }

  /** The sync-state tables, each keyed by tenant and integration; record errors before their runs. */
  private static final List<String> STATE_TABLES = List.of("crm_sync_mappings", "crm_sync_cursors", "crm_sync_leases",
      "crm_sync_record_errors", "crm_sync_runs", "crm_sync_conflicts", "crm_sync_inbox");

  @Override
  public void erase(IntegrationKey key) {
    Objects.requireNonNull(key, "key");
    jdbc.writeRetrying(c -> {
      for (String table : STATE_TABLES) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ? AND integration = ?")) {
          ps.setString(1, key.tenantId());
          ps.setString(2, key.integration());
          ps.executeUpdate();
        }
      }
      return null;
    });
  }
}
