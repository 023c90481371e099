package dev.crmkit.jdbc;

import org.junit.jupiter.api.BeforeAll;

class PostgresSyncStoreContractTest extends JdbcSyncStoreContractTestBase {
  @BeforeAll
  static void start() {
    open(ServerDatabases.postgres("crmkit_sync"), "postgres");
  }
}
