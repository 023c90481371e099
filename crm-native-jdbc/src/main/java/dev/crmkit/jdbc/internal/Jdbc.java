package dev.crmkit.jdbc.internal;

import dev.crmkit.error.CrmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Connections and transactions on the host's {@link DataSource}; maps {@link SQLException}s to crmkit
 * errors that carry no driver message. Every connection taken for writing gets the dialect's session
 * settings first ({@link Dialect#prepareSession}: strict mode on MariaDB/MySQL); read-only work skips
 * them, since strict mode changes only what a data-changing statement does, and saves a round trip.
 */
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

  /**
   * Runs read-only work on a connection in auto-commit mode, without the dialect's session settings:
   * the work must not change data (use {@link #autoCommit} or {@link #write} for that).
   *
   * @throws dev.crmkit.error.CrmException as {@link #translate(SQLException, String)} when a statement fails
   */
  public <T> T read(Work<T> work) {
    return run(Mode.READ, work);
  }

  /**
   * Runs work whose statements each commit on their own (auto-commit, switched on for the call if
   * the connection had it off): for conditional writes that must not hold locks past their statement.
   */
  public <T> T autoCommit(Work<T> work) {
    return run(Mode.AUTO_COMMIT, work);
  }

  /** Runs work in one transaction: committed when it returns, rolled back when it throws. */
  public <T> T write(Work<T> work) {
    return run(Mode.TRANSACTION, work);
  }

  private enum Mode { READ, AUTO_COMMIT, TRANSACTION }

  private <T> T run(Mode mode, Work<T> work) {
    StatementLog log = new StatementLog();
    try (Connection raw = dataSource.getConnection()) {
      Connection c = log.watch(raw);
      if (mode == Mode.READ) {
        return work.run(c);
      }
      dialect.prepareSession(raw);
      boolean autoCommit = raw.getAutoCommit();
      boolean wanted = mode == Mode.AUTO_COMMIT;
      if (autoCommit != wanted) {
        raw.setAutoCommit(wanted);
      }
      try {
        if (wanted) {
          return work.run(c);
        }
        T result = work.run(c);
        raw.commit();
        return result;
      } catch (SQLException | RuntimeException | Error e) {
        if (!wanted) {
          rollback(raw, e);
        }
        throw e;
      } finally {
        if (autoCommit != wanted) {
          raw.setAutoCommit(autoCommit);
        }
      }
    } catch (SQLException e) {
      throw translate(e, log.last());
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
      failure.addSuppressed(WithheldSQLException.of(e));
    }
  }

  /**
   * The crmkit error for a JDBC failure: unique violations, lost connections, everything else. Its
   * message and cause carry no driver message, only the statement's kind and table, the SQLState and
   * the vendor code (see {@link DatabaseErrors}).
   *
   * @param sql the failed statement's text, or {@code null} when unknown
   */
  public static CrmException translate(SQLException e, String sql) {
    return DatabaseErrors.translate(e, sql);
  }

  /** {@link #translate(SQLException, String)} for a failure outside any statement (opening a connection). */
  public static CrmException translate(SQLException e) {
    return DatabaseErrors.translate(e, null);
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
