package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ConfigurationException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The databases the native store runs on, and the few statements that differ between them. */
public enum Dialect {
  H2("h2", "H2"),
  SQLITE("sqlite", "SQLite"),
  POSTGRESQL("postgresql", "PostgreSQL"),
  MARIADB("mariadb", "MariaDB or MySQL");

  private final String folder;
  private final String displayName;

  Dialect(String folder, String displayName) {
    this.folder = folder;
    this.displayName = displayName;
  }

  /** The migration folder under {@code db/crmkit/}. */
  public String folder() {
    return folder;
  }

  /**
   * The dialect of a database.
   *
   * @throws ConfigurationException listing the supported databases when the product is none of them
   */
  public static Dialect of(DatabaseMetaData meta) throws SQLException {
    String product = meta.getDatabaseProductName();
    String p = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (p.startsWith("h2")) {
      return H2;
    }
    if (p.startsWith("sqlite")) {
      return SQLITE;
    }
    if (p.startsWith("postgresql")) {
      return POSTGRESQL;
    }
    if (p.startsWith("mariadb") || p.startsWith("mysql")) {
      return MARIADB;
    }
    throw new ConfigurationException("the native store does not support database '" + product + "'; supported: "
        + Arrays.stream(values()).map(d -> d.displayName).collect(Collectors.joining(", ")));
  }

  /**
   * The SQL modes the store adds to a MariaDB/MySQL session: {@code STRICT_ALL_TABLES} makes an
   * over-long or out-of-range value an error instead of a silent truncation (in every table, not only
   * transactional ones); {@code ERROR_FOR_DIVISION_BY_ZERO}, {@code NO_ZERO_DATE} and
   * {@code NO_ZERO_IN_DATE} turn the remaining silent conversions into errors; and
   * {@code NO_ENGINE_SUBSTITUTION} refuses a table created with another engine than the InnoDB the
   * migrations ask for.
   */
  public static final String STRICT_SQL_MODES =
      "STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION";

  /**
   * Makes a freshly taken connection's session behave as the store needs. On MariaDB/MySQL, adds
   * {@link #STRICT_SQL_MODES} to the session's {@code sql_mode}, keeping the modes the host set, so a
   * server configured without strict mode still refuses a value it would truncate. Runs on every
   * checkout for work that may write (one statement), not for read-only work, which strict mode does
   * not change; and not once per physical connection, because a pool, driver or the host may reset the
   * session in between. The modes stay on the connection when it returns to the host's pool.
   * Other dialects are strict already: nothing to do.
   */
  public void prepareSession(Connection c) throws SQLException {
    if (this == MARIADB) {
      try (Statement s = c.createStatement()) {
        s.execute("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), '" + STRICT_SQL_MODES + "')");
      }
    }
  }

  /**
   * Refuses a database whose text comparisons fold case or collate: on H2, the {@code IGNORECASE}
   * setting (which makes new {@code VARCHAR} columns {@code VARCHAR_IGNORECASE}), a database
   * {@code COLLATION}, or {@code crm_} columns already created case-insensitive would make tenant
   * {@code "ACME"} read tenant {@code "acme"}'s rows. The other dialects compare {@code VARCHAR} exactly
   * by construction (SQLite's {@code BINARY} default, PostgreSQL's deterministic collations, the NO PAD
   * binary collation of the MariaDB/MySQL migrations).
   *
   * @throws ConfigurationException naming the setting and how to remove it
   */
  public void requireExactComparison(Connection c) throws SQLException {
    if (this != H2) {
      return;
    }
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS "
          + "WHERE SETTING_NAME IN ('IGNORECASE', 'COLLATION')")) {
        while (rs.next()) {
          String name = rs.getString(1);
          String value = String.valueOf(rs.getString(2));
          boolean folds = name.equals("IGNORECASE")
              ? !(value.equals("0") || value.equalsIgnoreCase("FALSE")) : !value.equalsIgnoreCase("OFF");
          if (folds) {
            throw new ConfigurationException("the native store needs exact text comparison, but this H2 database "
                + "has " + name + "=" + value + ": remove " + name + " from the JDBC URL (or SET " + name
                + (name.equals("IGNORECASE") ? " FALSE" : " OFF") + ") so that keys such as tenant ids do not match "
                + "in another case");
          }
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.COLUMNS "
          + "WHERE DATA_TYPE = 'VARCHAR_IGNORECASE' AND TABLE_SCHEMA = SCHEMA() AND UPPER(TABLE_NAME) LIKE 'CRM\\_%'")) {
        if (rs.next() && rs.getLong(1) > 0) {
          throw new ConfigurationException("the native store needs exact text comparison, but this H2 database's "
              + "crm tables have case-insensitive (VARCHAR_IGNORECASE) columns, created with IGNORECASE=TRUE: "
              + "recreate them without it");
        }
      }
    }
  }

  /**
   * The binary NO PAD collation the MariaDB/MySQL migrations give every text column, so that keys
   * compare exactly ({@code utf8mb4_bin} is PAD SPACE: it compares {@code 'acme'} equal to
   * {@code 'acme '}): {@code utf8mb4_nopad_bin} on MariaDB (10.2 and later) and {@code utf8mb4_0900_bin}
   * on MySQL 8.0 and later. {@code null} for the other dialects, which compare {@code VARCHAR} exactly.
   *
   * @throws ConfigurationException on MySQL before 8.0, which has no such collation
   */
  public String noPadBinaryCollation(DatabaseMetaData meta) throws SQLException {
    if (this != MARIADB) {
      return null;
    }
    String product = String.valueOf(meta.getDatabaseProductName()).toLowerCase(Locale.ROOT);
    String version = String.valueOf(meta.getDatabaseProductVersion()).toLowerCase(Locale.ROOT);
    if (product.contains("mariadb") || version.contains("mariadb")) {
      return "utf8mb4_nopad_bin";
    }
    if (meta.getDatabaseMajorVersion() >= 8) {
      return "utf8mb4_0900_bin";
    }
    throw new ConfigurationException("the native store needs MySQL 8.0 or later (found " + meta.getDatabaseProductVersion()
        + "): earlier versions have no binary NO PAD collation, so 'acme' and 'acme ' would be one key");
  }

  /**
   * Reads the tenant's change counter and locks its row until the transaction ends. SQLite has no
   * row locks: a no-op update takes its database write lock at the start of the transaction instead.
   */
  public String lockCounterSql() {
    return this == SQLITE
        ? "UPDATE crm_change_counters SET last_seq = last_seq WHERE tenant_id = ? RETURNING last_seq"
        : "SELECT last_seq FROM crm_change_counters WHERE tenant_id = ? FOR UPDATE";
  }

  /**
   * True when writers take the tenant's change counter as their transaction's first statement rather
   * than just before their first customer write. SQLite has one database-wide write lock and cannot
   * turn a read lock into a write lock while another connection writes, so its writers lock first;
   * the other databases lock rows, and a writer that numbers late holds the counter only for its last
   * statements and its commit.
   */
  public boolean locksCounterFirst() {
    return this == SQLITE;
  }

  /**
   * Adds {@code ?} (the first parameter, a count) to the tenant's counter (the second parameter) and
   * reads the new value, in one statement that also locks the counter row until the transaction ends.
   * MariaDB has no {@code UPDATE … RETURNING}: its statement passes the value through {@code
   * LAST_INSERT_ID(expr)}, which the driver hands back as the generated key.
   */
  public String advanceCounterSql() {
    return switch (this) {
      case H2 -> "SELECT last_seq FROM FINAL TABLE (UPDATE crm_change_counters SET last_seq = last_seq + ?"
          + " WHERE tenant_id = ?)";
      case MARIADB -> "UPDATE crm_change_counters SET last_seq = LAST_INSERT_ID(last_seq + ?) WHERE tenant_id = ?";
      default -> "UPDATE crm_change_counters SET last_seq = last_seq + ? WHERE tenant_id = ? RETURNING last_seq";
    };
  }

  /** The clause that locks the rows a plain {@code SELECT} reads until the transaction ends; empty on SQLite. */
  public String forUpdate() {
    return this == SQLITE ? "" : " FOR UPDATE";
  }

  /** The statement that refreshes the planner's statistics of a table. */
  public String analyzeSql(String table) {
    return this == POSTGRESQL || this == SQLITE ? "ANALYZE " + table : "ANALYZE TABLE " + table;
  }

  /**
   * Most parameters one statement may carry: SQLite's default limit is 32,766, PostgreSQL's and
   * MariaDB's wire protocols count parameters in 16 bits; H2 has no practical limit.
   */
  public int maxParameters() {
    return 30_000;
  }

  /** Binds a decimal; SQLite keeps it as text, since its numeric affinity would round it to a double. */
  public void setDecimal(PreparedStatement ps, int index, BigDecimal value) throws SQLException {
    if (value == null) {
      ps.setNull(index, this == SQLITE ? java.sql.Types.VARCHAR : java.sql.Types.DECIMAL);
    } else if (this == SQLITE) {
      ps.setString(index, value.toPlainString());
    } else {
      ps.setBigDecimal(index, value);
    }
  }

  /**
   * True when the exception (or one chained to it) reports a unique or primary key violation:
   * SQLState 23505 on PostgreSQL and H2, error 1062 on MariaDB/MySQL, SQLITE_CONSTRAINT on SQLite.
   */
  public static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          if (isUniqueViolationItself(n)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * True when the database aborted the statement to break a deadlock or a lock wait, so the whole
   * transaction may be run again: SQLState 40P01 and 40001 (PostgreSQL, H2), error 1213 and 1205 on
   * MariaDB/MySQL, and H2's lock timeout (50200).
   */
  public static boolean isRetryable(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        String state = s.getSQLState();
        int code = s.getErrorCode();
        if ("40P01".equals(state) || "40001".equals(state) || code == 1213 || code == 1205 || code == 50200) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isUniqueViolationItself(SQLException e) {
    String state = e.getSQLState();
    if ("23505".equals(state) || e.getErrorCode() == 1062) {
      return true;
    }
    String message = e.getMessage();
    return message != null && (message.contains("SQLITE_CONSTRAINT_UNIQUE")
        || message.contains("SQLITE_CONSTRAINT_PRIMARYKEY") || message.contains("UNIQUE constraint failed"));
  }
}
