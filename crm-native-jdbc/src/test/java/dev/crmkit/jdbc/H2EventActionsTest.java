package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;

/** The event actions and the JDBC outbox on H2. */
class H2EventActionsTest extends NativeEventActionsTestBase {
  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("crmkit-actions-h2");
    open(new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("crm") + ";LOCK_TIMEOUT=10000", "sa", ""), "h2");
  }
}
