package dev.crmkit.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * What database tests on the local PostgreSQL and MariaDB servers share: the schema name suffix that
 * keeps parallel builds apart, and preparing a fresh schema (or skipping the test when the server is
 * not reachable).
 *
 * <ul>
 *   <li>{@code CRMKIT_TEST_SCHEMA_SUFFIX}: appended to every schema name, 1 to 20 of {@code a-z},
 *       {@code 0-9} and {@code _}; default empty;
 *   <li>{@code CRMKIT_REQUIRE_DATABASES=true}: an unreachable server fails the test instead of skipping it
 *       (CI sets it).
 * </ul>
 */
public final class TestDatabaseServers {
  private TestDatabaseServers() {}

  /**
   * The suffix every test schema name ends with.
   *
   * @throws IllegalStateException when {@code CRMKIT_TEST_SCHEMA_SUFFIX} is malformed
   */
  public static String schemaSuffix() {
    String s = System.getenv("CRMKIT_TEST_SCHEMA_SUFFIX");
    if (s == null || s.isEmpty()) {
      return "";
    }
    if (!s.matches("[a-z0-9_]{1,20}")) {
      throw new IllegalStateException("CRMKIT_TEST_SCHEMA_SUFFIX='" + s + "': use 1 to 20 of a-z, 0-9 and _");
    }
    return s;
  }

  /**
   * Runs statements (such as a drop and a create of the test schema) on a server, or skips the calling
   * test when the server cannot be reached (fails it under {@code CRMKIT_REQUIRE_DATABASES=true}).
   *
   * @param url the server's JDBC URL, credentials included
   * @param what the server in words, for the message, such as {@code "PostgreSQL at 127.0.0.1:5432"}
   * @param statements what to run, in order
   */
  public static void prepare(String url, String what, String... statements) {
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
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
