package dev.crmkit.jdbc;

import org.junit.jupiter.api.BeforeAll;

class MariaDbNativeContractTest extends NativeContractTestBase {
  @BeforeAll
  static void start() {
    open(ServerDatabases.mariadb("crmkit_tck"), "mariadb");
  }
}
