package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;

import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncRun;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** Statements on {@code crm_sync_runs}: the run log, one row per run with its counts. */
public final class RunTable {
  private static final String COLUMNS =
      "id, kind, status, started_at, finished_at, processed, created, updated, deleted, skipped, conflicts, failed";

  /** Inserts a new run, with no finish time and zero counts. */
  public void insert(Connection c, SyncRun run) throws SQLException {
    SyncSql.update(c, "INSERT INTO crm_sync_runs (tenant_id, integration, " + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, NULL, 0, 0, 0, 0, 0, 0, 0)", run.key(), run.id(), run.kind(),
        run.status().name(), run.startedAt().toEpochMilli());
  }

  /** The run with this id. */
  public Optional<SyncRun> find(Connection c, IntegrationKey key, String runId) throws SQLException {
    return SyncSql.one(c, "SELECT " + COLUMNS + " FROM crm_sync_runs WHERE " + KEY + " AND id = ?", key,
        rs -> read(key, rs), runId);
  }

  /** Up to {@code limit} runs, latest started first. */
  public List<SyncRun> recent(Connection c, IntegrationKey key, int limit) throws SQLException {
    return SyncSql.query(c, "SELECT " + COLUMNS + " FROM crm_sync_runs WHERE " + KEY
        + " ORDER BY started_at DESC, id DESC LIMIT ?", key, rs -> read(key, rs), limit);
  }

  /** Locks the row of a running run until the transaction ends; false when no run with this id is running. */
  public boolean lockRunning(Connection c, IntegrationKey key, String runId) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_runs SET status = status WHERE " + KEY
        + " AND id = ? AND status = 'RUNNING'", key, runId) != 0;
  }

  /** Replaces a run's counts. */
  public void updateCounts(Connection c, IntegrationKey key, String runId, RunCounts n) throws SQLException {
    SyncSql.update(c, "UPDATE crm_sync_runs SET processed = ?, created = ?, updated = ?, deleted = ?, skipped = ?, "
        + "conflicts = ?, failed = ? WHERE " + KEY + " AND id = ?", n.processed(), n.created(), n.updated(),
        n.deleted(), n.skipped(), n.conflicts(), n.failed(), key, runId);
  }

  /** Sets a run's final status, finish time and counts. */
  public void finish(Connection c, IntegrationKey key, String runId, RunStatus status, long finishedAt,
      RunCounts counts) throws SQLException {
    SyncSql.update(c, "UPDATE crm_sync_runs SET status = ?, finished_at = ?, processed = ?, created = ?, updated = ?, "
        + "deleted = ?, skipped = ?, conflicts = ?, failed = ? WHERE " + KEY + " AND id = ?", status.name(),
        finishedAt, counts.processed(), counts.created(), counts.updated(), counts.deleted(), counts.skipped(),
        counts.conflicts(), counts.failed(), key, runId);
  }

  private static SyncRun read(IntegrationKey key, ResultSet rs) throws SQLException {
    RunCounts counts = new RunCounts(rs.getInt("processed"), rs.getInt("created"), rs.getInt("updated"),
        rs.getInt("deleted"), rs.getInt("skipped"), rs.getInt("conflicts"), rs.getInt("failed"));
    return new SyncRun(rs.getString("id"), key, rs.getString("kind"), RunStatus.valueOf(rs.getString("status")),
        SyncSql.instant(rs, "started_at"), SyncSql.instant(rs, "finished_at"), counts);
  }
}
