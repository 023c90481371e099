package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import dev.crmkit.testkit.TestDatabaseServers;
import javax.sql.DataSource;

/**
 * The local PostgreSQL and MariaDB servers, each in a schema of its own that every run starts afresh.
 * Schema names end with the environment variable {@code CRMKIT_TEST_SCHEMA_SUFFIX} (lower-case letters,
 * digits and {@code _}; default empty), so two builds on one machine do not drop each other's schemas.
 */
final class ServerDatabases {
  static final String SCHEMA = "crmkit_native_test";
  private static final String SUFFIX = TestDatabaseServers.schemaSuffix();

  private ServerDatabases() {}

  static DataSource postgres() {
    return postgres(SCHEMA);
  }

  static DataSource mariadb() {
    return mariadb(SCHEMA);
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
    TestDatabaseServers.prepare(url, what, statements);
  }
}
