package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;

import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncFlow;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

/** Statements on {@code crm_sync_cursors}: an integration's feed cursor per flow (PUSH or PULL; the column is named {@code direction}). */
public final class CursorTable {
  /** The cursor of a flow, if one was saved. */
  public Optional<String> find(Connection c, IntegrationKey key, SyncFlow flow) throws SQLException {
    return SyncSql.one(c, "SELECT cursor_value FROM crm_sync_cursors WHERE " + KEY + " AND direction = ?", key,
        rs -> rs.getString(1), flow.name());
  }

  /**
   * A write that changes no row (no direction is empty): on SQLite it takes the database's write lock
   * at once, before a read in the same transaction could pin an older snapshot.
   */
  public void takeWriteLock(Connection c, IntegrationKey key) throws SQLException {
    SyncSql.update(c, "UPDATE crm_sync_cursors SET updated_at = updated_at WHERE " + KEY + " AND direction = ''", key);
  }

  /** Saves the cursor of a flow: an update, or an insert when there is no row yet. */
  public void put(Connection c, IntegrationKey key, SyncFlow flow, String value, long now)
      throws SQLException {
    if (SyncSql.update(c, "UPDATE crm_sync_cursors SET cursor_value = ?, updated_at = ? WHERE " + KEY
        + " AND direction = ?", value, now, key, flow.name()) == 0) {
      SyncSql.update(c, "INSERT INTO crm_sync_cursors (tenant_id, integration, cursor_value, updated_at, direction) "
          + "VALUES (?, ?, ?, ?, ?)", key, value, now, flow.name());
    }
  }
}
