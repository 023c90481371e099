package dev.crmkit.jdbc.internal;

import java.sql.SQLException;

/**
 * Stands in for a driver's {@link SQLException} as the cause of a crmkit error: the driver
 * exception's class name, SQLState, vendor code and stack trace, but not its message (which may
 * embed bound values such as a customer's email) and not its causes or chained exceptions.
 */
public final class WithheldSQLException extends SQLException {
  private static final long serialVersionUID = 1L;

  private WithheldSQLException(String message, String state, int vendorCode) {
    super(message, state, vendorCode);
  }

  /** The stand-in for {@code e}: its class, SQLState, vendor code and stack trace. */
  public static WithheldSQLException of(SQLException e) {
    WithheldSQLException copy = new WithheldSQLException(e.getClass().getName() + ": SQLState " + e.getSQLState()
        + ", vendor code " + e.getErrorCode() + " (driver message withheld: it may contain bound values)",
        e.getSQLState(), e.getErrorCode());
    copy.setStackTrace(e.getStackTrace());
    return copy;
  }
}
