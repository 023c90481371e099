package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL and MariaDB servers, each in a schema of its own that every run starts afresh.
 * Schema names end with the environment variable {@code CRMKIT_TEST_SCHEMA_SUFFIX} (lower-case letters,
 * digits and {@code _}; default empty), so two builds on one machine do not drop each other's schemas.
 */
final class ServerDatabases {
  static final String SCHEMA = "crmkit_native_test";
  private static final String SUFFIX = suffix();

  private ServerDatabases() {}

  static DataSource postgres() {
    return postgres(SCHEMA);
  }

  static DataSource mariadb() {
    return mariadb(SCHEMA);
  }

  private static String suffix() {
    String s = System.getenv("CRMKIT_TEST_SCHEMA_SUFFIX");
    if (s == null || s.isEmpty()) {
      return "";
    }
    if (!s.matches("[a-z0-9_]{1,20}")) {
      throw new IllegalStateException("CRMKIT_TEST_SCHEMA_SUFFIX='" + s + "': use 1 to 20 of a-z, 0-9 and _");
    }
    return s;
  }

  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2&loginTimeout=2";

  static DataSource postgres(String schema) {
    prepare(POSTGRES, "PostgreSQL at 127.0.0.1:5432", "DROP SCHEMA IF EXISTS " + schema + SUFFIX + " CASCADE",
        "CREATE SCHEMA " + schema + SUFFIX);
    return new DriverManagerDataSource(postgresUrl(schema), null, null);
  }

  /** The JDBC URL of a schema {@link #postgres(String)} prepared, for another process to open. */
  static String postgresUrl(String schema) {
    return POSTGRES + "&currentSchema=" + schema + SUFFIX;
  }

  static DataSource mariadb(String schema) {
    String base = "jdbc:mariadb://127.0.0.1:3306/test?user=root&connectTimeout=2000";
    prepare(base, "MariaDB at 127.0.0.1:3306", "DROP DATABASE IF EXISTS " + schema + SUFFIX,
        "CREATE DATABASE " + schema + SUFFIX + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    return mariadbSession(schema, "");
  }

  /**
   * Another data source on a schema {@link #mariadb(String)} prepared, its URL carrying extra connection
   * parameters (such as {@code sessionVariables=...}).
   */
  static DataSource mariadbSession(String schema, String parameters) {
    return new DriverManagerDataSource("jdbc:mariadb://127.0.0.1:3306/" + schema + SUFFIX
        + "?user=root&connectTimeout=2000" + (parameters.isEmpty() ? "" : "&" + parameters), null, null);
  }

  private static void prepare(String url, String what, String... statements) {
    try (Connection c = new DriverManagerDataSource(url, null, null).getConnection();
        Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CRMKIT_REQUIRE_DATABASES"))) {
        throw new IllegalStateException(what + " is required (CRMKIT_REQUIRE_DATABASES=true) but not reachable", e);
      }
      Assumptions.abort(what + " is not reachable (" + e.getMessage() + "); skipping its tests");
    }
  }
}
