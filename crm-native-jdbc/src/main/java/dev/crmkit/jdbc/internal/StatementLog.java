package dev.crmkit.jdbc.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;

/**
 * Remembers the text of the last statement prepared on one connection, so that an error can name the
 * statement's kind and table without quoting the driver (see {@link DatabaseErrors}). Used by one
 * thread, for one connection checkout.
 */
final class StatementLog {
  private String last;

  /** The last statement prepared through {@link #watch}, or {@code null}. */
  String last() {
    return last;
  }

  /**
   * A view of the connection that records each {@code prepareStatement}'s SQL and passes every call
   * through (including {@code unwrap}, so driver-specific APIs stay reachable).
   */
  Connection watch(Connection c) {
    return (Connection) Proxy.newProxyInstance(StatementLog.class.getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          if (args != null && args.length > 0 && args[0] instanceof String sql
              && (method.getName().equals("prepareStatement") || method.getName().equals("prepareCall"))) {
            last = sql;
          }
          try {
            return method.invoke(c, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
