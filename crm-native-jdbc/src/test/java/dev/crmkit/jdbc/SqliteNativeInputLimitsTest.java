package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeInputLimitsTest extends NativeInputLimitsContract {
  @TempDir static Path dir;

  @Override
  DataSource createDataSource() {
    return new DriverManagerDataSource(
        "jdbc:sqlite:" + dir.resolve("crm.db") + "?busy_timeout=20000&journal_mode=WAL", null, null);
  }
}
