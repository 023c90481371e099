package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The event actions and the JDBC outbox on Sqlite. */
class SqliteEventActionsTest extends NativeEventActionsTestBase {
  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("crmkit-actions-sqlite");
    open(new DriverManagerDataSource(
        "jdbc:sqlite:" + dir.resolve("crm.db") + "?busy_timeout=20000&journal_mode=WAL", null, null), "sqlite");
  }
}
