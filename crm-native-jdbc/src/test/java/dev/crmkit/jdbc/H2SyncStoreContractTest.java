package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

class H2SyncStoreContractTest extends JdbcSyncStoreContractTestBase {
  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("crmkit-sync-h2");
    open(new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("crm") + ";LOCK_TIMEOUT=10000", "sa", ""), "h2");
  }
}
