package dev.crmkit.jdbc;

import org.junit.jupiter.api.BeforeAll;

class MariaDbSyncStoreContractTest extends JdbcSyncStoreContractTestBase {
  @BeforeAll
  static void start() {
    open(ServerDatabases.mariadb("crmkit_sync"), "mariadb");
  }
}
