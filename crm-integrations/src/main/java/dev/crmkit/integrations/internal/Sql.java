package dev.crmkit.integrations.internal;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ServerException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Connections and transactions of the integrations layer's tables on the host's data source. A failed
 * statement becomes a crmkit error that says what was done, the SQLState and the vendor code, never
 * the driver's message (drivers quote bound values in it, and a bound value may be sealed credentials
 * or a tenant's data); the driver's exception is not chained for the same reason. A unique-key
 * violation is a {@link ConflictException}. Thread-safe.
 */
public final class Sql {
  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;

  public Sql(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /**
   * Runs work on a connection in auto-commit mode: one statement, or reads.
   *
   * @param what what the work does, for the error, such as {@code "reading crmkit_integration"}
   */
  public <T> T run(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);
      }
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e, what);
    }
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T transaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // The first failure is the one to report; a connection that cannot roll back is discarded by the pool.
        }
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw translate(e, what);
    }
  }

  /** The crmkit error for a failure of {@code what}, without the driver's message. */
  public static CrmException translate(SQLException e, String what) {
    String state = e.getSQLState();
    String where = what + " (SQLState " + state + ", vendor code " + e.getErrorCode() + ")";
    if (isUniqueViolation(e)) {
      return new ConflictException(null, null, null, "the write clashes with a unique key: " + where);
    }
    if (state != null && state.startsWith("08")) {
      return new ApiConnectionException("integrations: cannot reach the database: " + where, null, 0, state, null, null);
    }
    return new ServerException("integrations: database error: " + where, null, 0, state, null, null);
  }

  /** SQLState 23505 (PostgreSQL, H2), error 1062 (MariaDB/MySQL), or SQLite's unique constraint. */
  static boolean isUniqueViolation(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String message = String.valueOf(s.getMessage());
      if ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062
          || message.contains("SQLITE_CONSTRAINT_UNIQUE") || message.contains("SQLITE_CONSTRAINT_PRIMARYKEY")) {
        return true;
      }
    }
    return false;
  }
}
