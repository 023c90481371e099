package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;

import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.SyncSide;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** Statements on {@code crm_sync_record_errors}: the records a run failed on, in the order they were added. */
public final class RecordErrorTable {
  private final TimeOrderedIds ids;

  /** @param ids the source of the errors' ids, which order them */
  public RecordErrorTable(TimeOrderedIds ids) {
    this.ids = ids;
  }

  /** Adds a run's errors in one JDBC batch; nothing for none. */
  public void insert(Connection c, IntegrationKey key, String runId, List<RecordError> errors) throws SQLException {
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

  /** A run's errors, oldest first. */
  public List<RecordError> list(Connection c, IntegrationKey key, String runId) throws SQLException {
    return SyncSql.query(c, "SELECT record_id, side, error_type, message FROM crm_sync_record_errors WHERE " + KEY
        + " AND run_id = ? ORDER BY id", key, rs -> new RecordError(rs.getString(1),
        SyncSide.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4)), runId);
  }
}
