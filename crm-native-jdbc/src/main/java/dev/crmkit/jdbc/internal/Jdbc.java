package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ServerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/** Connections and transactions on the host's {@link DataSource}; maps {@link SQLException}s to crmkit errors. */
public final class Jdbc {
  /** The provider name errors carry. */
  public static final String PROVIDER = "native";

  /** Work on a connection. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final Dialect dialect;

  public Jdbc(DataSource dataSource, Dialect dialect) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
  }

  public Dialect dialect() {
    return dialect;
  }

  /** Runs read-only work on a connection in auto-commit mode. */
  public <T> T read(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Runs work whose statements each commit on their own (auto-commit, switched on for the call if
   * the connection had it off): for conditional writes that must not hold locks past their statement.
   */
  public <T> T autoCommit(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (!autoCommit) {
        c.setAutoCommit(true);
      }
      try {
        return work.run(c);
      } finally {
        if (!autoCommit) {
          c.setAutoCommit(false);
        }
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T write(Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      } finally {
        if (autoCommit) {
          c.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Attempts {@link #writeRetrying} makes before it gives up. */
  static final int ATTEMPTS = 5;

  /**
   * {@link #write}, run again (up to {@value #ATTEMPTS} times in all) when the database aborted it to
   * break a deadlock or a lock wait ({@link Dialect#isRetryable}). The work must be safe to repeat: it
   * reads what it depends on inside the transaction.
   */
  public <T> T writeRetrying(Work<T> work) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write(work);
      } catch (CrmException e) {
        if (attempt == ATTEMPTS || !(e.getCause() instanceof SQLException s) || !Dialect.isRetryable(s)) {
          throw e;
        }
      }
    }
  }

  private static void rollback(Connection c, Throwable failure) {
    try {
      c.rollback();
    } catch (SQLException e) {
      failure.addSuppressed(e);
    }
  }

  /** The crmkit error for a JDBC failure: unique violations, lost connections, everything else. */
  public static CrmException translate(SQLException e) {
    if (Dialect.isUniqueViolation(e)) {
      return new DuplicateKeyException(e);
    }
    String state = e.getSQLState();
    String code = e.getErrorCode() == 0 ? state : String.valueOf(e.getErrorCode());
    if (e instanceof SQLTransientConnectionException || e instanceof SQLNonTransientConnectionException
        || (state != null && state.startsWith("08"))) {
      return new ApiConnectionException("native store: cannot reach the database: " + e.getMessage(), PROVIDER, 0,
          code, null, e);
    }
    return new ServerException("native store: database error: " + e.getMessage(), PROVIDER, 0, code, null, e);
  }

  /** Binds parameters by position: strings, numbers, or null (bound as VARCHAR). */
  public static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      Object p = params.get(i);
      if (p == null) {
        ps.setNull(i + 1, java.sql.Types.VARCHAR);
      } else if (p instanceof Long l) {
        ps.setLong(i + 1, l);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (p instanceof String[] values) {
        ps.setObject(i + 1, values);
      } else {
        ps.setString(i + 1, p.toString());
      }
    }
  }

  /** {@code "?, ?, ?"} for {@code n} parameters. */
  public static String placeholders(int n) {
    StringBuilder b = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "?" : ", ?");
    }
    return b.toString();
  }
}
