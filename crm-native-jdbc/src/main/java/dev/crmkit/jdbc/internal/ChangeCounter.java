package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ServerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The per-tenant change sequence. A writing transaction takes its numbers with one statement that
 * adds to the tenant's counter row and reads the new value; that statement locks the row until the
 * transaction ends. So transactions that take numbers commit in number order: the next one cannot
 * take numbers before the previous one committed, and a reader of the change feed never sees number
 * N+1 committed while N is still pending. A rolled-back transaction rolls its numbers back too.
 *
 * <p>Writers take the numbers as late as they can, just before writing the customer rows that carry
 * them ({@link Sequence#reserve}), after locking those rows: the counter row is then held only for
 * the last statements and the commit, and writers of different customers of one tenant overlap in
 * everything else. Nothing a holder of the counter waits for can be held by a waiter for the
 * counter: the rows it writes are locked by itself already, or new. Where the dialect {@linkplain
 * Dialect#locksCounterFirst locks first} (SQLite), and for bulk imports, which read many customers
 * without locking them, the counter is taken at the start instead ({@link #lockNow}).
 */
public final class ChangeCounter {
  private final Jdbc jdbc;
  private final String tenantId;
  private volatile boolean rowExists;

  public ChangeCounter(Jdbc jdbc, String tenantId) {
    this.jdbc = jdbc;
    this.tenantId = tenantId;
  }

  /** The numbers one transaction takes; use on that transaction's connection only. */
  public final class Sequence {
    private final Connection c;
    private long next = 1;
    private long last;
    private boolean locked;

    private Sequence(Connection c) {
      this.c = c;
    }

    /**
     * Takes {@code count} more numbers at once (one statement) for the {@link #next} calls that follow.
     * Numbers taken by one transaction are consecutive.
     */
    public void reserve(int count) throws SQLException {
      if (count < 1) {
        return;
      }
      long end = advance(c, count);
      if (next > last) {
        next = end - count + 1;
      }
      last = end;
      locked = true;
    }

    /** The next number; takes one from the counter when none is left. */
    public long next() throws SQLException {
      if (next > last) {
        reserve(1);
      }
      return next++;
    }

    /**
     * Hands back the numbers reserved and not used, when no other writer can have taken any since:
     * for a conditional write that turned out to change nothing.
     */
    public void release() throws SQLException {
      int unused = (int) (last - next + 1);
      if (unused > 0) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE crm_change_counters SET last_seq = last_seq - ? WHERE tenant_id = ?")) {
          ps.setLong(1, unused);
          ps.setString(2, tenantId);
          ps.executeUpdate();
        }
        last = next - 1;
      }
    }

    /** True when this transaction holds the counter row. */
    public boolean locked() {
      return locked;
    }
  }

  /** Creates the tenant's counter row once, outside any transaction. */
  public void ensureRow() {
    if (rowExists) {
      return;
    }
    try {
      jdbc.autoCommit(c -> {
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

  /** A sequence for a transaction on {@code c}; locks the counter at once where the dialect locks first. */
  public Sequence begin(Connection c) throws SQLException {
    Sequence seq = new Sequence(c);
    if (jdbc.dialect().locksCounterFirst()) {
      lockNow(seq);
    }
    return seq;
  }

  /** Locks the counter now, for the rest of the transaction, taking no number. */
  public void lockNow(Sequence seq) throws SQLException {
    if (seq.locked) {
      return;
    }
    try (PreparedStatement ps = seq.c.prepareStatement(jdbc.dialect().lockCounterSql())) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw missing();
        }
        seq.last = rs.getLong(1);
        seq.next = seq.last + 1;
      }
    }
    seq.locked = true;
  }

  private long advance(Connection c, int count) throws SQLException {
    String sql = jdbc.dialect().advanceCounterSql();
    if (jdbc.dialect() == Dialect.MARIADB) {
      try (PreparedStatement ps = c.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
        ps.setLong(1, count);
        ps.setString(2, tenantId);
        if (ps.executeUpdate() != 1) {
          throw missing();
        }
        try (ResultSet rs = ps.getGeneratedKeys()) {
          if (!rs.next()) {
            throw missing();
          }
          return rs.getLong(1);
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, count);
      ps.setString(2, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw missing();
        }
        return rs.getLong(1);
      }
    }
  }

  private ServerException missing() {
    return new ServerException("native store: change counter of tenant '" + tenantId + "' is missing");
  }
}
