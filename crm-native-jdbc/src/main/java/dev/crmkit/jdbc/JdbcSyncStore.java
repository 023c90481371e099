package dev.crmkit.jdbc;

import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.DuplicateKeyException;
import dev.crmkit.jdbc.internal.Jdbc;
import dev.crmkit.jdbc.internal.TimeOrderedIds;
import dev.crmkit.sync.ConflictDecision;
import dev.crmkit.sync.ConflictStatus;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.InboxStatus;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.sync.spi.SyncChecks;
import dev.crmkit.sync.spi.SyncErrors;
import dev.crmkit.sync.spi.TextCodec;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
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
  private static final String MAPPING_COLUMNS =
      "local_id, external_id, snapshot_fields, snapshot_at, snapshot_version";
  private static final String RUN_COLUMNS =
      "id, kind, status, started_at, finished_at, processed, created, updated, deleted, skipped, conflicts, failed";
  private static final String CONFLICT_COLUMNS = "id, local_id, external_id, fields, strategy, detected_at, status, "
      + "choice, merged_values, resolved_by, resolved_at";
  private static final String INBOX_COLUMNS = "vendor, event_id, event_type, raw_type, object_type, object_id, "
      + "occurred_at, property_name, property_value, merged_ids, attempt_number, attributes, status, attempts, "
      + "last_error, received_at";
  private static final String KEY = "tenant_id = ? AND integration = ?";
  /** A null time parameter: bound as a BIGINT null, which PostgreSQL needs for a BIGINT column. */
  private static final Object NULL_TIME = new Object();

  private final Jdbc jdbc;
  private final Clock clock;
  private final TimeOrderedIds ids;

  private JdbcSyncStore(DataSource dataSource, Dialect dialect, Clock clock) {
    this.jdbc = new Jdbc(dataSource, dialect);
    this.clock = clock;
    this.ids = new TimeOrderedIds(clock);
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

  /** Prepares a statement; an {@link IntegrationKey} parameter binds as its tenant id and integration. */
  private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    List<Object> flat = new ArrayList<>(params.length + 1);
    for (Object p : params) {
      if (p instanceof IntegrationKey k) {
        flat.add(k.tenantId());
        flat.add(k.integration());
      } else {
        flat.add(p);
      }
    }
    List<Integer> nullTimes = new ArrayList<>();
    for (int i = 0; i < flat.size(); i++) {
      if (flat.get(i) == NULL_TIME) {
        nullTimes.add(i + 1);
        flat.set(i, null);
      }
    }
    Jdbc.bind(ps, flat);
    for (int index : nullTimes) {
      ps.setNull(index, Types.BIGINT);
    }
    return ps;
  }

  /** Runs an update whose parameters are in statement order (see {@link #prepare}). */
  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Runs a query whose {@code WHERE} starts with {@link #KEY}, then takes {@code params}. */
  private static <T> List<T> query(Connection c, String sql, IntegrationKey key, Row<T> row, Object... params)
      throws SQLException {
    Object[] all = new Object[params.length + 1];
    all[0] = Objects.requireNonNull(key, "key");
    System.arraycopy(params, 0, all, 1, params.length);
    try (PreparedStatement ps = prepare(c, sql, all); ResultSet rs = ps.executeQuery()) {
      List<T> out = new ArrayList<>();
      while (rs.next()) {
        out.add(row.read(rs));
      }
      return out;
    }
  }

  private static <T> Optional<T> one(Connection c, String sql, IntegrationKey key, Row<T> row, Object... params)
      throws SQLException {
    return query(c, sql, key, row, params).stream().findFirst();
  }

  private static Object millisOrNull(Instant instant) {
    return instant == null ? NULL_TIME : instant.toEpochMilli();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  // ------------------------------------------------------------------------------ id mappings

  private static IdMapping mapping(ResultSet rs) throws SQLException {
    Instant at = instant(rs, "snapshot_at");
    SyncSnapshot snapshot = at == null ? null
        : new SyncSnapshot(TextCodec.decodeMap(rs.getString("snapshot_fields")), at, rs.getString("snapshot_version"));
    return new IdMapping(rs.getString("local_id"), rs.getString("external_id"), snapshot);
  }

  private static Optional<IdMapping> mappingWhere(Connection c, IntegrationKey key, String column, String id)
      throws SQLException {
    return one(c, "SELECT " + MAPPING_COLUMNS + " FROM crm_sync_mappings WHERE " + KEY + " AND " + column + " = ?",
        key, JdbcSyncStore::mapping, id);
  }

  @Override
  public Optional<IdMapping> mappingByLocalId(IntegrationKey key, String localId) {
    SyncChecks.id(localId, "localId");
    return jdbc.read(c -> mappingWhere(c, key, "local_id", localId));
  }

  @Override
  public Optional<IdMapping> mappingByExternalId(IntegrationKey key, String externalId) {
    SyncChecks.id(externalId, "externalId");
    return jdbc.read(c -> mappingWhere(c, key, "external_id", externalId));
  }

  @Override
  public Map<String, IdMapping> mappingsByLocalIds(IntegrationKey key, Collection<String> localIds) {
    return mappingsWhere(key, "local_id", SyncChecks.ids(localIds, "localIds"));
  }

  @Override
  public Map<String, IdMapping> mappingsByExternalIds(IntegrationKey key, Collection<String> externalIds) {
    return mappingsWhere(key, "external_id", SyncChecks.ids(externalIds, "externalIds"));
  }

  /** One {@code IN} query per 500 ids, well under every supported database's parameter limit. */
  private Map<String, IdMapping> mappingsWhere(IntegrationKey key, String column, Collection<String> ids) {
    Objects.requireNonNull(key, "key");
    List<String> all = List.copyOf(ids);
    Map<String, IdMapping> out = new LinkedHashMap<>();
    if (all.isEmpty()) {
      return out;
    }
    jdbc.read(c -> {
      for (int from = 0; from < all.size(); from += 500) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
        List<IdMapping> found;
        if (jdbc.dialect() == Dialect.H2 && chunk.size() > 1) {
          // H2 looks an IN list up through an index only on its first column, so "tenant, integration and
          // id IN (...)" reads the integration's every mapping; a join from an array is one lookup per id.
          found = new ArrayList<>();
          try (PreparedStatement ps = prepare(c, "SELECT " + MAPPING_COLUMNS + " FROM UNNEST(CAST(? AS VARCHAR ARRAY)) v(k)"
              + " JOIN crm_sync_mappings m ON m.tenant_id = ? AND m.integration = ? AND m." + column + " = v.k",
              chunk.toArray(new String[0]), key); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              found.add(mapping(rs));
            }
          }
        } else {
          String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
          found = query(c, "SELECT " + MAPPING_COLUMNS + " FROM crm_sync_mappings WHERE " + KEY + " AND "
              + column + " IN (" + marks + ")", key, JdbcSyncStore::mapping, chunk.toArray());
        }
        for (IdMapping m : found) {
          out.put(column.equals("local_id") ? m.localId() : m.externalId(), m);
        }
      }
      return null;
    });
    return out;
  }

  @Override
  public Optional<String> cursor(IntegrationKey key, SyncFlow flow) {
    SyncChecks.cursorFlow(flow);
    return jdbc.read(c -> one(c, "SELECT cursor_value FROM crm_sync_cursors WHERE " + KEY + " AND direction = ?",
        key, rs -> rs.getString(1), flow.name()));
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
        update(c, "UPDATE crm_sync_cursors SET updated_at = updated_at WHERE " + KEY + " AND direction = ''", key);
      }
      if (checkpoint.fenceOwner().isPresent()) {
        // A row lock until commit: an acquisition by another owner waits for this checkpoint, or wins before it.
        String owner = checkpoint.fenceOwner().get();
        if (update(c, "UPDATE crm_sync_leases SET generation = generation WHERE " + KEY
            + " AND owner = ? AND generation = ?", key, owner, checkpoint.fenceGeneration()) == 0) {
          throw SyncErrors.fenced(Jdbc.PROVIDER, key, owner, checkpoint.fenceGeneration());
        }
      }
      for (SyncCheckpoint.Operation op : checkpoint.operations()) {
        apply(c, key, op);
      }
      long now = now();
      for (Map.Entry<SyncFlow, String> e : checkpoint.cursors().entrySet()) {
        if (update(c, "UPDATE crm_sync_cursors SET cursor_value = ?, updated_at = ? WHERE " + KEY + " AND direction = ?",
            e.getValue(), now, key, e.getKey().name()) == 0) {
          update(c, "INSERT INTO crm_sync_cursors (tenant_id, integration, cursor_value, updated_at, direction) "
              + "VALUES (?, ?, ?, ?, ?)", key, e.getValue(), now, e.getKey().name());
        }
      }
      for (String eventId : checkpoint.doneEventIds()) {
        markPending(c, key, eventId, "status = 'DONE'");
      }
      if (checkpoint.runId().isPresent()) {
        String runId = checkpoint.runId().get();
        lockRunning(c, key, runId);
        RunCounts n = checkpoint.runCounts();
        update(c, "UPDATE crm_sync_runs SET processed = ?, created = ?, updated = ?, deleted = ?, skipped = ?, "
            + "conflicts = ?, failed = ? WHERE " + KEY + " AND id = ?", n.processed(), n.created(), n.updated(),
            n.deleted(), n.skipped(), n.conflicts(), n.failed(), key, runId);
        insertErrors(c, key, runId, checkpoint.recordErrors());
      }
      return null;
    });
  }

  private void apply(Connection c, IntegrationKey key, SyncCheckpoint.Operation op) throws SQLException {
    if (op instanceof SyncCheckpoint.Link link) {
      Optional<IdMapping> current = mappingWhere(c, key, "local_id", link.localId());
      if (current.isPresent() && !current.get().externalId().equals(link.externalId())) {
        throw SyncErrors.linked(Jdbc.PROVIDER, "localId", link.localId(), current.get().externalId());
      }
      if (current.isEmpty()) {
        Optional<IdMapping> holder = mappingWhere(c, key, "external_id", link.externalId());
        if (holder.isPresent()) {
          throw SyncErrors.linked(Jdbc.PROVIDER, "externalId", link.externalId(), holder.get().localId());
        }
        SyncSnapshot s = link.snapshot();
        update(c, "INSERT INTO crm_sync_mappings (tenant_id, integration, local_id, external_id, snapshot_fields, "
            + "snapshot_at, snapshot_version) VALUES (?, ?, ?, ?, ?, ?, ?)", key, link.localId(), link.externalId(),
            s == null ? null : TextCodec.encodeMap(s.fields()), s == null ? NULL_TIME : s.syncedAt().toEpochMilli(),
            s == null ? null : s.version());
      } else if (link.snapshot() != null) {
        SyncSnapshot s = link.snapshot();
        update(c, "UPDATE crm_sync_mappings SET snapshot_fields = ?, snapshot_at = ?, snapshot_version = ? WHERE "
            + KEY + " AND local_id = ?", TextCodec.encodeMap(s.fields()), s.syncedAt().toEpochMilli(),
            s.version(), key, link.localId());
      }
    } else if (op instanceof SyncCheckpoint.Unlink unlink) {
      update(c, "DELETE FROM crm_sync_mappings WHERE " + KEY + " AND local_id = ?", key, unlink.localId());
    } else if (op instanceof SyncCheckpoint.RemapLocal remap) {
      remap(c, key, "local_id", "localId", remap.fromLocalId(), remap.toLocalId());
    } else if (op instanceof SyncCheckpoint.RemapExternal remap) {
      remap(c, key, "external_id", "externalId", remap.fromExternalId(), remap.toExternalId());
    }
  }

  private static void remap(Connection c, IntegrationKey key, String column, String field, String from, String to)
      throws SQLException {
    if (mappingWhere(c, key, column, from).isEmpty()) {
      throw new NotFoundException(Jdbc.PROVIDER, "mapping", from);
    }
    Optional<IdMapping> target = mappingWhere(c, key, column, to);
    if (target.isPresent()) {
      IdMapping t = target.get();
      throw SyncErrors.linked(Jdbc.PROVIDER, field, to, column.equals("local_id") ? t.externalId() : t.localId());
    }
    update(c, "UPDATE crm_sync_mappings SET " + column + " = ? WHERE " + KEY + " AND " + column + " = ?",
        to, key, from);
  }

  // ----------------------------------------------------------------------------------- leases

  private static SyncLease lease(IntegrationKey key, ResultSet rs) throws SQLException {
    return new SyncLease(key, rs.getString("owner"), instant(rs, "acquired_at"), instant(rs, "expires_at"),
        rs.getLong("generation"));
  }

  private static Optional<SyncLease> readLease(Connection c, IntegrationKey key) throws SQLException {
    return one(c, "SELECT owner, acquired_at, expires_at, generation FROM crm_sync_leases WHERE " + KEY, key,
        rs -> lease(key, rs));
  }

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
      // acquired_at and generation come first: MariaDB evaluates SET left to right and would see the new owner.
      int n = update(c, "UPDATE crm_sync_leases SET acquired_at = CASE WHEN owner = ? THEN acquired_at ELSE ? END, "
          + "generation = CASE WHEN owner = ? THEN generation ELSE generation + 1 END, "
          + "expires_at = ?, owner = ? WHERE " + KEY + " AND (owner = ? OR expires_at <= ?)",
          owner, now, owner, expires, owner, key, owner, now);
      if (n == 0) {
        try {
          update(c, "INSERT INTO crm_sync_leases (tenant_id, integration, owner, acquired_at, expires_at, generation) "
              + "VALUES (?, ?, ?, ?, ?, 1)", key, owner, now, expires);
        } catch (SQLException e) {
          if (Dialect.isUniqueViolation(e)) {
            return Optional.empty();
          }
          throw e;
        }
      }
      return readLease(c, key).filter(l -> l.owner().equals(owner));
    });
  }

  @Override
  public SyncLease renewLease(IntegrationKey key, String owner, Duration ttl) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(owner, "owner");
    SyncChecks.ttl(ttl);
    long now = now();
    return jdbc.write(c -> {
      if (update(c, "UPDATE crm_sync_leases SET expires_at = ? WHERE " + KEY + " AND owner = ? AND expires_at > ?",
          now + ttl.toMillis(), key, owner, now) == 0) {
        throw SyncErrors.leaseNotHeld(Jdbc.PROVIDER, key, owner);
      }
      return readLease(c, key).orElseThrow();
    });
  }

  @Override
  public boolean releaseLease(IntegrationKey key, String owner) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(owner, "owner");
    // The row stays, free (no owner, expired), so the next acquisition raises its generation.
    return jdbc.write(c -> update(c, "UPDATE crm_sync_leases SET owner = '', expires_at = 0 WHERE " + KEY
        + " AND owner = ?", key, owner) == 1);
  }

  // ---------------------------------------------------------------------------------- run log

  private static SyncRun run(IntegrationKey key, ResultSet rs) throws SQLException {
    RunCounts counts = new RunCounts(rs.getInt("processed"), rs.getInt("created"), rs.getInt("updated"),
        rs.getInt("deleted"), rs.getInt("skipped"), rs.getInt("conflicts"), rs.getInt("failed"));
    return new SyncRun(rs.getString("id"), key, rs.getString("kind"), RunStatus.valueOf(rs.getString("status")),
        instant(rs, "started_at"), instant(rs, "finished_at"), counts);
  }

  private static Optional<SyncRun> readRun(Connection c, IntegrationKey key, String runId) throws SQLException {
    return one(c, "SELECT " + RUN_COLUMNS + " FROM crm_sync_runs WHERE " + KEY + " AND id = ?", key,
        rs -> run(key, rs), runId);
  }

  @Override
  public SyncRun startRun(IntegrationKey key, String kind) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(kind, "kind", 64);
    SyncRun run = new SyncRun(ids.next(), key, kind, RunStatus.RUNNING, Instant.ofEpochMilli(now()), null,
        RunCounts.ZERO);
    jdbc.write(c -> update(c, "INSERT INTO crm_sync_runs (tenant_id, integration, " + RUN_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, NULL, 0, 0, 0, 0, 0, 0, 0)", key, run.id(), kind, run.status().name(),
        run.startedAt().toEpochMilli()));
    return run;
  }

  /** Locks a running run's row, or throws: NotFound for no such run, Conflict for a finished one. */
  private static void lockRunning(Connection c, IntegrationKey key, String runId) throws SQLException {
    if (update(c, "UPDATE crm_sync_runs SET status = status WHERE " + KEY + " AND id = ? AND status = 'RUNNING'",
        key, runId) == 0) {
      SyncRun run = readRun(c, key, runId).orElseThrow(() -> new NotFoundException(Jdbc.PROVIDER, "run", runId));
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
      insertErrors(c, key, runId, copy);
      return null;
    });
  }

  private void insertErrors(Connection c, IntegrationKey key, String runId, List<RecordError> errors)
      throws SQLException {
    if (errors.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_sync_record_errors (tenant_id, integration, "
        + "run_id, id, record_id, side, error_type, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (RecordError e : errors) {
        Jdbc.bind(ps, List.of(key.tenantId(), key.integration(), runId, ids.next(), e.recordId(), e.side().name(),
            e.errorType(), e.message()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
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
      update(c, "UPDATE crm_sync_runs SET status = ?, finished_at = ?, processed = ?, created = ?, updated = ?, "
          + "deleted = ?, skipped = ?, conflicts = ?, failed = ? WHERE " + KEY + " AND id = ?", status.name(),
          now(), counts.processed(), counts.created(), counts.updated(), counts.deleted(), counts.skipped(),
          counts.conflicts(), counts.failed(), key, runId);
      return readRun(c, key, runId).orElseThrow();
    });
  }

  @Override
  public Optional<SyncRun> run(IntegrationKey key, String runId) {
    SyncChecks.id(runId, "runId");
    return jdbc.read(c -> readRun(c, key, runId));
  }

  @Override
  public List<SyncRun> recentRuns(IntegrationKey key, int limit) {
    SyncChecks.limit(limit);
    return jdbc.read(c -> query(c, "SELECT " + RUN_COLUMNS + " FROM crm_sync_runs WHERE " + KEY
        + " ORDER BY started_at DESC, id DESC LIMIT ?", key, rs -> run(key, rs), limit));
  }

  @Override
  public List<RecordError> recordErrors(IntegrationKey key, String runId) {
    SyncChecks.id(runId, "runId");
    return jdbc.read(c -> {
      if (readRun(c, key, runId).isEmpty()) {
        throw new NotFoundException(Jdbc.PROVIDER, "run", runId);
      }
      return query(c, "SELECT record_id, side, error_type, message FROM crm_sync_record_errors WHERE " + KEY
          + " AND run_id = ? ORDER BY id", key, rs -> new RecordError(rs.getString(1),
          SyncSide.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4)), runId);
    });
  }

  // --------------------------------------------------------------------------- conflict queue

  private static String encodeFields(List<FieldConflict> fields) {
    List<String> flat = new ArrayList<>(fields.size() * 4);
    for (FieldConflict f : fields) {
      flat.addAll(Arrays.asList(f.field(), f.localValue(), f.remoteValue(), f.baseValue()));
    }
    return TextCodec.encode(flat);
  }

  private static List<FieldConflict> decodeFields(String text) {
    List<String> flat = TextCodec.decode(text);
    List<FieldConflict> out = new ArrayList<>(flat.size() / 4);
    for (int i = 0; i + 3 < flat.size(); i += 4) {
      out.add(new FieldConflict(flat.get(i), flat.get(i + 1), flat.get(i + 2), flat.get(i + 3)));
    }
    return List.copyOf(out);
  }

  private static SyncConflict conflict(IntegrationKey key, ResultSet rs) throws SQLException {
    ConflictStatus status = ConflictStatus.valueOf(rs.getString("status"));
    ConflictDecision decision = status == ConflictStatus.OPEN ? null
        : new ConflictDecision(SyncSide.valueOf(rs.getString("choice")), TextCodec.decodeMap(rs.getString("merged_values")),
            rs.getString("resolved_by"), instant(rs, "resolved_at"));
    return new SyncConflict(rs.getString("id"), key, rs.getString("local_id"), rs.getString("external_id"),
        decodeFields(rs.getString("fields")), rs.getString("strategy"), instant(rs, "detected_at"), status, decision);
  }

  private static Optional<SyncConflict> readConflict(Connection c, IntegrationKey key, String conflictId)
      throws SQLException {
    return one(c, "SELECT " + CONFLICT_COLUMNS + " FROM crm_sync_conflicts WHERE " + KEY + " AND id = ?", key,
        rs -> conflict(key, rs), conflictId);
  }

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
      Optional<SyncConflict> reopened = jdbc.write(c -> update(c, "UPDATE crm_sync_conflicts SET external_id = ?, "
          + "fields = ?, strategy = ? WHERE " + KEY + " AND open_local_id = ?", externalId, encodeFields(copy), strategy,
          key, localId) == 0 ? Optional.empty() : one(c, "SELECT " + CONFLICT_COLUMNS + " FROM crm_sync_conflicts WHERE "
          + KEY + " AND open_local_id = ?", key, rs -> conflict(key, rs), localId));
      if (reopened.isPresent()) {
        return reopened.get();
      }
      SyncConflict conflict = new SyncConflict(ids.next(), key, localId, externalId, copy, strategy,
          Instant.ofEpochMilli(now()), ConflictStatus.OPEN, null);
      try {
        jdbc.write(c -> update(c, "INSERT INTO crm_sync_conflicts (tenant_id, integration, id, local_id, external_id, "
            + "fields, strategy, detected_at, status, open_local_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)", key,
            conflict.id(), localId, externalId, encodeFields(copy), strategy, conflict.detectedAt().toEpochMilli(),
            localId));
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
    return jdbc.read(c -> query(c, "SELECT " + CONFLICT_COLUMNS + " FROM crm_sync_conflicts WHERE " + KEY
        + " AND status = 'OPEN' ORDER BY detected_at, id LIMIT ?", key, rs -> conflict(key, rs), limit));
  }

  @Override
  public Optional<SyncConflict> conflict(IntegrationKey key, String conflictId) {
    SyncChecks.id(conflictId, "conflictId");
    return jdbc.read(c -> readConflict(c, key, conflictId));
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
      if (update(c, "UPDATE crm_sync_conflicts SET status = 'RESOLVED', open_local_id = NULL, choice = ?, merged_values = ?, "
          + "resolved_by = ?, resolved_at = ? WHERE " + KEY + " AND id = ? AND status = 'OPEN'", choice.name(),
          TextCodec.encodeMap(merged), resolvedBy, now, key, conflictId) == 0) {
        throw SyncErrors.resolvedAlready(Jdbc.PROVIDER, conflictId);
      }
      return readConflict(c, key, conflictId).orElseThrow();
    });
  }

  // ---------------------------------------------------------------------------- webhook inbox

  private static InboxEntry entry(ResultSet rs) throws SQLException {
    int attempt = rs.getInt("attempt_number");
    ChangeEvent event = new ChangeEvent(rs.getString("vendor"), rs.getString("event_id"),
        ChangeEventType.valueOf(rs.getString("event_type")), rs.getString("raw_type"), rs.getString("object_type"),
        rs.getString("object_id"), instant(rs, "occurred_at"), rs.getString("property_name"),
        rs.getString("property_value"), TextCodec.decode(rs.getString("merged_ids")), attempt,
        TextCodec.decodeMap(rs.getString("attributes")));
    return new InboxEntry(event, InboxStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
        rs.getString("last_error"), instant(rs, "received_at"));
  }

  private static Optional<InboxEntry> readEvent(Connection c, IntegrationKey key, String eventId)
      throws SQLException {
    return one(c, "SELECT " + INBOX_COLUMNS + " FROM crm_sync_inbox WHERE " + KEY + " AND event_id = ?", key,
        JdbcSyncStore::entry, eventId);
  }

  @Override
  public boolean putEvent(IntegrationKey key, ChangeEvent event) {
    Objects.requireNonNull(key, "key");
    ChangeEvent e = SyncChecks.event(event);
    long now = now();
    Object occurred = millisOrNull(e.occurredAt());
    try {
      jdbc.write(c -> update(c, "INSERT INTO crm_sync_inbox (tenant_id, integration, arrival_id, order_at, "
          + INBOX_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, NULL, ?)", key,
          ids.next(), e.occurredAt() != null ? occurred : now, e.vendor(), e.eventId(), e.type().name(), e.rawType(),
          e.objectType(), e.objectId(), occurred, e.propertyName(), e.propertyValue(), TextCodec.encode(e.mergedIds()),
          e.attemptNumber(), TextCodec.encodeMap(e.attributes()), now));
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
    return jdbc.read(c -> query(c, "SELECT " + INBOX_COLUMNS + " FROM crm_sync_inbox WHERE " + KEY
        + " AND status = ? ORDER BY order_at, arrival_id LIMIT ?", key, JdbcSyncStore::entry, status.name(), limit));
  }

  /** Applies {@code set} to a pending event, or throws: NotFound for no such event, Conflict for another status. */
  private static void markPending(Connection c, IntegrationKey key, String eventId, String set, Object... setParams)
      throws SQLException {
    Object[] all = Arrays.copyOf(setParams, setParams.length + 2);
    all[setParams.length] = key;
    all[setParams.length + 1] = eventId;
    if (update(c, "UPDATE crm_sync_inbox SET " + set + " WHERE " + KEY + " AND event_id = ? AND status = 'PENDING'",
        all) == 0) {
      InboxEntry e = readEvent(c, key, eventId)
          .orElseThrow(() -> new NotFoundException(Jdbc.PROVIDER, "event", eventId));
      throw SyncErrors.notPending(Jdbc.PROVIDER, eventId, e.status());
    }
  }

  @Override
  public void markEventDone(IntegrationKey key, String eventId) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(eventId, "eventId");
    jdbc.write(c -> {
      markPending(c, key, eventId, "status = 'DONE'");
      return null;
    });
  }

  @Override
  public InboxEntry markEventFailed(IntegrationKey key, String eventId, String error) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(eventId, "eventId");
    SyncChecks.id(error, "error", Integer.MAX_VALUE);
    return jdbc.write(c -> {
      markPending(c, key, eventId, "status = 'FAILED', attempts = attempts + 1, last_error = ?", error);
      return readEvent(c, key, eventId).orElseThrow();
    });
  }

  @Override
  public boolean replayEvent(IntegrationKey key, String eventId) {
    Objects.requireNonNull(key, "key");
    SyncChecks.id(eventId, "eventId");
    return jdbc.write(c -> {
      if (update(c, "UPDATE crm_sync_inbox SET status = 'PENDING' WHERE " + KEY
          + " AND event_id = ? AND status = 'FAILED'", key, eventId) == 1) {
        return true;
      }
      if (readEvent(c, key, eventId).isEmpty()) {
        throw new NotFoundException(Jdbc.PROVIDER, "event", eventId);
      }
      return false;
    });
  }

  @Override
  public int replayFailedEvents(IntegrationKey key) {
    Objects.requireNonNull(key, "key");
    return jdbc.write(c -> update(c, "UPDATE crm_sync_inbox SET status = 'PENDING' WHERE " + KEY
        + " AND status = 'FAILED'", key));
  }
}
