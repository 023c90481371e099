package dev.crmkit.integrations;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Assumptions;

/**
 * The local PostgreSQL for the job tests, in a schema of its own that every run starts afresh; the
 * schema name ends with {@code CRMKIT_TEST_SCHEMA_SUFFIX} as in crm-native-jdbc's tests. Unreachable
 * PostgreSQL skips the test, unless {@code CRMKIT_REQUIRE_DATABASES=true} (CI), which fails it.
 */
final class JobTestDatabases {
  private static final String POSTGRES =
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres&connectTimeout=2&loginTimeout=2";

  private JobTestDatabases() {}

  /** Drops and creates the schema; returns its JDBC URL, for this process and child JVMs. */
  static String freshPostgresSchema(String schema) {
    String name = schema + suffix();
    try (Connection c = DriverManager.getConnection(POSTGRES);
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + name + " CASCADE");
      s.execute("CREATE SCHEMA " + name);
    } catch (SQLException e) {
      if ("true".equals(System.getenv("CRMKIT_REQUIRE_DATABASES"))) {
        throw new IllegalStateException(
            "PostgreSQL at 127.0.0.1:5432 is required (CRMKIT_REQUIRE_DATABASES=true) but not reachable", e);
      }
      Assumptions.abort("PostgreSQL at 127.0.0.1:5432 is not reachable (" + e.getMessage() + "); skipping");
    }
    // Child JVMs on a loaded machine need longer than the 2 s that tell a missing server quickly.
    return POSTGRES.replace("connectTimeout=2&loginTimeout=2", "connectTimeout=20&loginTimeout=20")
        + "&currentSchema=" + name;
  }

  /** A small pool on the URL; close it after the test. */
  static HikariDataSource dataSource(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
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
}
