package dev.crmkit.jdbc.internal;

import dev.crmkit.sync.IntegrationKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Statement helpers the {@code crm_sync_*} table classes share; every such table is keyed by tenant and integration. */
final class SyncSql {
  /** The condition every statement's {@code WHERE} starts with; binds an {@link IntegrationKey}. */
  static final String KEY = "tenant_id = ? AND integration = ?";
  /** A null time parameter: bound as a BIGINT null, which PostgreSQL needs for a BIGINT column. */
  static final Object NULL_TIME = new Object();

  private SyncSql() {}

  /** Reads one row of a result. */
  @FunctionalInterface
  interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /** Prepares a statement; an {@link IntegrationKey} parameter binds as its tenant id and integration. */
  static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
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

  /** Runs an update whose parameters are in statement order (see {@link #prepare}); returns the row count. */
  static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = prepare(c, sql, params)) {
      return ps.executeUpdate();
    }
  }

  /** Runs a query whose {@code WHERE} starts with {@link #KEY}, then takes {@code params}. */
  static <T> List<T> query(Connection c, String sql, IntegrationKey key, Row<T> row, Object... params)
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

  /** The first row of {@link #query}, if any. */
  static <T> Optional<T> one(Connection c, String sql, IntegrationKey key, Row<T> row, Object... params)
      throws SQLException {
    return query(c, sql, key, row, params).stream().findFirst();
  }

  /** Epoch milliseconds, or {@link #NULL_TIME} for null. */
  static Object millisOrNull(Instant instant) {
    return instant == null ? NULL_TIME : instant.toEpochMilli();
  }

  /** An epoch-milliseconds column as an instant, or null. */
  static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
