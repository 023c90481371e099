package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The event actions and the JDBC outbox on Postgres. */
class PostgresEventActionsTest extends NativeEventActionsTestBase {
  @BeforeAll
  static void start() throws Exception {
    open(ServerDatabases.postgres("crmkit_actions"), "postgres");
  }
}
