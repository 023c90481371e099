package dev.crmkit.jdbc.internal;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that hands out one connection the caller already holds, again and again, and
 * never closes it ({@code close()} on what it hands out does nothing; the caller closes the real one).
 *
 * <p>For Flyway: it opens a second connection to hold its lock while migrating on the first, so on a
 * host pool of one connection it waits for itself until the pool times out. Given this data source it
 * locks and migrates on the one connection; its locks (PostgreSQL advisory locks, MariaDB
 * {@code GET_LOCK}, H2 and SQLite table locks) are session-level or taken in the migration's own
 * transaction, so one connection serializes concurrent migrations as two did.
 */
public final class BorrowedConnectionDataSource implements DataSource {
  private final Connection connection;
  private final Connection unclosable;

  /** @param connection the connection to hand out; stays open, the caller closes it */
  public BorrowedConnectionDataSource(Connection connection) {
    this.connection = connection;
    this.unclosable = (Connection) Proxy.newProxyInstance(BorrowedConnectionDataSource.class.getClassLoader(),
        new Class<?>[] {Connection.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "close":
              return null;
            case "isClosed":
              return connection.isClosed();
            default:
              try {
                return method.invoke(connection, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
          }
        });
  }

  @Override
  public Connection getConnection() {
    return unclosable;
  }

  @Override
  public Connection getConnection(String username, String password) {
    return unclosable;
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // No log of its own.
  }

  @Override
  public void setLoginTimeout(int seconds) {
    // The connection is open already.
  }

  @Override
  public int getLoginTimeout() {
    return 0;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    return connection.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || connection.isWrapperFor(type);
  }
}
