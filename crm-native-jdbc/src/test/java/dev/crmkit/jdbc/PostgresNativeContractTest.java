package dev.crmkit.jdbc;

import org.junit.jupiter.api.BeforeAll;

class PostgresNativeContractTest extends NativeContractTestBase {
  @BeforeAll
  static void start() {
    open(ServerDatabases.postgres("crmkit_tck"), "postgres");
  }
}
