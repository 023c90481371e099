package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class SqliteNativeDealsTest extends NativeDealsContract {
  @TempDir static Path dir;

  @Override
  DataSource freshDatabase(String name) {
    return new DriverManagerDataSource(
        "jdbc:sqlite:" + dir.resolve(name + ".db") + "?busy_timeout=20000&journal_mode=WAL", null, null);
  }
}
