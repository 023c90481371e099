package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The event actions and the JDBC outbox on MariaDb. */
class MariaDbEventActionsTest extends NativeEventActionsTestBase {
  @BeforeAll
  static void start() throws Exception {
    open(ServerDatabases.mariadb("crmkit_actions"), "mariadb");
  }
}
