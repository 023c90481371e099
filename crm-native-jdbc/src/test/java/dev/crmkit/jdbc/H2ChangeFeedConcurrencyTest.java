package dev.crmkit.jdbc;

import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.io.TempDir;

class H2ChangeFeedConcurrencyTest extends ChangeFeedConcurrencyContract {
  @TempDir static Path dir;

  @Override
  DataSource createDataSource() {
    return new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("feed") + ";LOCK_TIMEOUT=10000", "sa", "");
  }
}
