package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class H2NativeDealsTest extends NativeDealsContract {
  @TempDir static Path dir;

  @Override
  DataSource freshDatabase(String name) {
    return new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve(name) + ";LOCK_TIMEOUT=10000;DB_CLOSE_DELAY=-1",
        "sa", "");
  }
}
