package dev.crmkit.jdbc.internal;

import dev.crmkit.actions.HostEvent;
import dev.crmkit.actions.HostEventCodec;
import dev.crmkit.actions.OutboxEntry;
import dev.crmkit.actions.OutboxStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements on {@code crm_event_outbox}. Claims take rows with {@code FOR UPDATE SKIP LOCKED} on H2,
 * PostgreSQL and MariaDB (10.6 and later), so concurrent claimers pass over each other's rows instead of
 * waiting; on SQLite, whose single writer needs no row locks, one {@code UPDATE ... RETURNING} claims them.
 * Completion and failure are conditional on the worker still holding the row.
 */
public final class EventOutboxTable {
  private static final String COLUMNS = "tenant_id, event_id, event_type, payload, status, attempts, next_attempt_at, "
      + "locked_by, locked_until, last_error, outcome, created_at, updated_at, done_at";
  private static final String KEY = "tenant_id = ? AND event_id = ?";
  private static final String HELD = KEY + " AND status = 'IN_PROGRESS' AND locked_by = ?";

  private final Dialect dialect;

  public EventOutboxTable(Dialect dialect) {
    this.dialect = dialect;
  }

  /**
   * Inserts a pending event unless the tenant has its id already; does not commit. A duplicate never
   * aborts the caller's transaction: PostgreSQL and SQLite skip it with {@code ON CONFLICT DO NOTHING};
   * on H2 and MariaDB a failed statement rolls back only itself.
   *
   * @return false when the event id was there
   */
  public boolean insert(Connection c, HostEvent event, long now) throws SQLException {
    boolean onConflict = dialect == Dialect.POSTGRESQL || dialect == Dialect.SQLITE;
    String sql = "INSERT INTO crm_event_outbox (tenant_id, event_id, event_type, payload, status, attempts, "
        + "next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)"
        + (onConflict ? " ON CONFLICT (tenant_id, event_id) DO NOTHING" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, List.of(event.tenantId(), event.eventId(), event.type().name(), HostEventCodec.encode(event),
          now, now, now));
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (!onConflict && Dialect.isUniqueViolation(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Claims due rows in the connection's transaction (autocommit off), or in one statement on SQLite. */
  public List<OutboxEntry> claim(Connection c, String workerId, int max, long now, long lockedUntil)
      throws SQLException {
    if (dialect == Dialect.SQLITE) {
      return query(c, "UPDATE crm_event_outbox SET status = 'IN_PROGRESS', locked_by = ?, locked_until = ?, "
          + "attempts = attempts + 1, next_attempt_at = NULL, outcome = NULL, updated_at = ? WHERE rowid IN ("
          + "SELECT rowid FROM crm_event_outbox WHERE (status = 'PENDING' AND next_attempt_at <= ?) "
          + "OR (status = 'IN_PROGRESS' AND locked_until <= ?) "
          + "ORDER BY COALESCE(next_attempt_at, locked_until), created_at LIMIT ?) RETURNING " + COLUMNS,
          workerId, lockedUntil, now, now, now, max);
    }
    List<OutboxEntry> rows = new ArrayList<>(query(c, "SELECT " + COLUMNS + " FROM crm_event_outbox "
        + "WHERE status = 'IN_PROGRESS' AND locked_until <= ? ORDER BY locked_until LIMIT ? FOR UPDATE SKIP LOCKED",
        now, max));
    if (rows.size() < max) {
      rows.addAll(query(c, "SELECT " + COLUMNS + " FROM crm_event_outbox "
          + "WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ? "
          + "FOR UPDATE SKIP LOCKED", now, max - rows.size()));
    }
    if (rows.isEmpty()) {
      return rows;
    }
    try (PreparedStatement ps = c.prepareStatement("UPDATE crm_event_outbox SET status = 'IN_PROGRESS', "
        + "locked_by = ?, locked_until = ?, attempts = attempts + 1, next_attempt_at = NULL, outcome = NULL, "
        + "updated_at = ? WHERE " + KEY)) {
      for (OutboxEntry r : rows) {
        Jdbc.bind(ps, List.of(workerId, lockedUntil, now, r.tenantId(), r.eventId()));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    List<OutboxEntry> claimed = new ArrayList<>(rows.size());
    for (OutboxEntry r : rows) {
      claimed.add(new OutboxEntry(r.tenantId(), r.eventId(), r.eventType(), r.payload(), OutboxStatus.IN_PROGRESS,
          r.attempts() + 1, null, workerId, Instant.ofEpochMilli(lockedUntil), r.lastError(), null, r.createdAt(),
          Instant.ofEpochMilli(now), null));
    }
    return claimed;
  }

  public boolean complete(Connection c, String tenantId, String eventId, String workerId, String outcome, long now)
      throws SQLException {
    return update(c, "UPDATE crm_event_outbox SET status = 'DONE', outcome = ?, done_at = ?, updated_at = ?, "
        + "locked_by = NULL, locked_until = NULL WHERE " + HELD, outcome, now, now, tenantId, eventId, workerId) == 1;
  }

  public boolean fail(Connection c, String tenantId, String eventId, String workerId, String error, Long retryAt,
      long now) throws SQLException {
    // A NULL literal, not a bound null: PostgreSQL refuses a null bound as text for a BIGINT column.
    if (retryAt == null) {
      return update(c, "UPDATE crm_event_outbox SET status = 'PARKED', next_attempt_at = NULL, last_error = ?, "
          + "updated_at = ?, locked_by = NULL, locked_until = NULL WHERE " + HELD, error, now, tenantId, eventId,
          workerId) == 1;
    }
    return update(c, "UPDATE crm_event_outbox SET status = 'PENDING', next_attempt_at = ?, last_error = ?, "
        + "updated_at = ?, locked_by = NULL, locked_until = NULL WHERE " + HELD, retryAt, error, now, tenantId, eventId,
        workerId) == 1;
  }

  public List<OutboxEntry> parked(Connection c, String tenantId, int limit) throws SQLException {
    return query(c, "SELECT " + COLUMNS + " FROM crm_event_outbox WHERE tenant_id = ? AND status = 'PARKED' "
        + "ORDER BY created_at, event_id LIMIT ?", tenantId, limit);
  }

  public boolean replay(Connection c, String tenantId, String eventId, long now) throws SQLException {
    return update(c, "UPDATE crm_event_outbox SET status = 'PENDING', attempts = 0, next_attempt_at = ?, "
        + "updated_at = ? WHERE " + KEY + " AND status = 'PARKED'", now, now, tenantId, eventId) == 1;
  }

  public Optional<OutboxEntry> find(Connection c, String tenantId, String eventId) throws SQLException {
    return query(c, "SELECT " + COLUMNS + " FROM crm_event_outbox WHERE " + KEY, tenantId, eventId).stream().findFirst();
  }

  public Map<OutboxStatus, Long> counts(Connection c, String tenantId) throws SQLException {
    Map<OutboxStatus, Long> counts = new EnumMap<>(OutboxStatus.class);
    for (OutboxStatus s : OutboxStatus.values()) {
      counts.put(s, 0L);
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT status, COUNT(*) FROM crm_event_outbox WHERE tenant_id = ? GROUP BY status")) {
      Jdbc.bind(ps, List.of(tenantId));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          OutboxStatus s = status(rs.getString(1));
          if (s != null) {
            counts.put(s, rs.getLong(2));
          }
        }
      }
    }
    return counts;
  }

  private static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, java.util.Arrays.asList(params));
      return ps.executeUpdate();
    }
  }

  private static List<OutboxEntry> query(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, java.util.Arrays.asList(params));
      try (ResultSet rs = ps.executeQuery()) {
        List<OutboxEntry> out = new ArrayList<>();
        while (rs.next()) {
          out.add(read(rs));
        }
        return out;
      }
    }
  }

  /** A row; a status this version does not know reads as PARKED, so it is listed and never claimed. */
  private static OutboxEntry read(ResultSet rs) throws SQLException {
    OutboxStatus status = status(rs.getString("status"));
    return new OutboxEntry(rs.getString("tenant_id"), rs.getString("event_id"), rs.getString("event_type"),
        rs.getString("payload"), status == null ? OutboxStatus.PARKED : status, rs.getInt("attempts"),
        instant(rs, "next_attempt_at"), rs.getString("locked_by"), instant(rs, "locked_until"),
        rs.getString("last_error"), rs.getString("outcome"), instant(rs, "created_at"), instant(rs, "updated_at"),
        instant(rs, "done_at"));
  }

  private static OutboxStatus status(String s) {
    try {
      return s == null ? null : OutboxStatus.valueOf(s);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
