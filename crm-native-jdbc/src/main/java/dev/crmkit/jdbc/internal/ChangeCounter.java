package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ServerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The per-tenant change sequence. A writing transaction locks the tenant's counter row first, takes
 * numbers from it, and stores the last one as its final statement. The row lock is held until
 * commit, so transactions of one tenant commit in sequence order: a reader of the change feed never
 * sees number N+1 committed while N is still pending. Locking first (rather than last) also orders
 * every writer of a tenant the same way, so they cannot deadlock on each other's customer rows.
 */
public final class ChangeCounter {
  private final Jdbc jdbc;
  private final String tenantId;
  private volatile boolean rowExists;

  public ChangeCounter(Jdbc jdbc, String tenantId) {
    this.jdbc = jdbc;
    this.tenantId = tenantId;
  }

  /** Numbers taken in one transaction. */
  public static final class Sequence {
    private final long start;
    private long last;

    private Sequence(long start) {
      this.start = start;
      this.last = start;
    }

    /** The next number. */
    public long next() {
      return ++last;
    }

    /** The number the transaction started after; changes after it were written by this transaction. */
    public long start() {
      return start;
    }
  }

  /** Creates the tenant's counter row once, outside any transaction. */
  public void ensureRow() {
    if (rowExists) {
      return;
    }
    try {
      jdbc.read(c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM crm_change_counters WHERE tenant_id = ?")) {
          ps.setString(1, tenantId);
          try (ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
              return null;
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(
            "INSERT INTO crm_change_counters (tenant_id, last_seq) VALUES (?, 0)")) {
          ps.setString(1, tenantId);
          ps.executeUpdate();
        }
        return null;
      });
    } catch (DuplicateKeyException e) {
      // Another process created the row first: exactly what was wanted.
    }
    rowExists = true;
  }

  /** Locks the counter row for the rest of the transaction and returns its numbers. */
  public Sequence lock(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(jdbc.dialect().lockCounterSql())) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new ServerException("native store: change counter of tenant '" + tenantId + "' is missing");
        }
        return new Sequence(rs.getLong(1));
      }
    }
  }

  /** Stores the last number taken; does nothing when none was. Must be the transaction's last statement. */
  public void finish(Connection c, Sequence seq) throws SQLException {
    if (seq.last == seq.start) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE crm_change_counters SET last_seq = ? WHERE tenant_id = ?")) {
      ps.setLong(1, seq.last);
      ps.setString(2, tenantId);
      ps.executeUpdate();
    }
  }
}
