package dev.crmkit.integrations;

import dev.crmkit.testkit.TestDatabaseServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The four databases the integrations layer runs on, each fresh per call: H2 and SQLite always;
 * PostgreSQL and MariaDB on 127.0.0.1 when reachable (else the test is skipped, or fails with
 * {@code CRMKIT_REQUIRE_DATABASES=true}), in a schema whose name ends with
 * {@code CRMKIT_TEST_SCHEMA_SUFFIX} ({@link TestDatabaseServers}).
 */
public final class TestDatabases {
  private static final String SCHEMA = "crmkit_integrations_test";
  private static final String SUFFIX = TestDatabaseServers.schemaSuffix();
  private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2&loginTimeout=2";
  private static final String MARIADB = "jdbc:mariadb://127.0.0.1:3306/test?user=root&connectTimeout=2000";

  private TestDatabases() {}

  public static DataSource h2() {
    return url("jdbc:h2:mem:integrations-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  public static DataSource sqlite() {
    try {
      Path dir = Files.createTempDirectory("crmkit-integrations-sqlite");
      return url("jdbc:sqlite:" + dir.resolve("test.db") + "?busy_timeout=10000");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public static DataSource postgres() {
    TestDatabaseServers.prepare(POSTGRES, "PostgreSQL at 127.0.0.1:5432", "DROP SCHEMA IF EXISTS " + SCHEMA + SUFFIX + " CASCADE",
        "CREATE SCHEMA " + SCHEMA + SUFFIX);
    return url(POSTGRES + "&currentSchema=" + SCHEMA + SUFFIX);
  }

  public static DataSource mariadb() {
    TestDatabaseServers.prepare(MARIADB, "MariaDB at 127.0.0.1:3306", "DROP DATABASE IF EXISTS " + SCHEMA + SUFFIX,
        "CREATE DATABASE " + SCHEMA + SUFFIX + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
    return url("jdbc:mariadb://127.0.0.1:3306/" + SCHEMA + SUFFIX + "?user=root&connectTimeout=2000");
  }

  /** A data source opening a new connection to the URL each time. */
  public static DataSource url(String url) {
    return (DataSource) java.lang.reflect.Proxy.newProxyInstance(TestDatabases.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getConnection" -> DriverManager.getConnection(url);
          case "unwrap", "isWrapperFor" -> throw new java.sql.SQLException("not a wrapper");
          case "getLoginTimeout" -> 0;
          case "toString" -> "DataSource(" + url + ")";
          case "hashCode" -> System.identityHashCode(proxy);
          case "equals" -> proxy == args[0];
          default -> null;
        });
  }

  /**
   * A fresh PostgreSQL schema of its own name (plus the suffix), for tests that run several JVMs on one
   * database: its JDBC URL, with connect and login timeouts long enough for child JVMs on a loaded machine.
   */
  static String postgresUrl(String schema) {
    TestDatabaseServers.prepare(POSTGRES, "PostgreSQL at 127.0.0.1:5432",
        "DROP SCHEMA IF EXISTS " + schema + SUFFIX + " CASCADE", "CREATE SCHEMA " + schema + SUFFIX);
    return POSTGRES.replace("connectTimeout=2&loginTimeout=2", "connectTimeout=20&loginTimeout=20")
        + "&currentSchema=" + schema + SUFFIX;
  }
}
