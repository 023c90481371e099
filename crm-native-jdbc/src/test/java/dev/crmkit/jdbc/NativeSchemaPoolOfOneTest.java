package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host whose pool holds one connection can install the schema, on every database. Before the fix,
 * Flyway asked the pool for a second connection while holding the first and failed when the pool's
 * connection timeout (here 5 s, HikariCP's default 30 s) ran out.
 */
class NativeSchemaPoolOfOneTest {
  @TempDir
  Path dir;

  @Test
  @Timeout(60)
  void migratesOnH2ThroughAPoolOfOneConnection() {
    migratesThroughAPoolOfOne(new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("one") + ";DB_CLOSE_DELAY=-1",
        "sa", ""));
  }

  @Test
  @Timeout(60)
  void migratesOnSqliteThroughAPoolOfOneConnection() throws Exception {
    Files.createDirectories(dir);
    migratesThroughAPoolOfOne(new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("one.db"), null, null));
  }

  @Test
  @Timeout(60)
  void migratesOnPostgresThroughAPoolOfOneConnection() {
    migratesThroughAPoolOfOne(ServerDatabases.postgres("crmkit_pool_one"));
  }

  @Test
  @Timeout(60)
  void migratesOnMariaDbThroughAPoolOfOneConnection() {
    migratesThroughAPoolOfOne(ServerDatabases.mariadb("crmkit_pool_one"));
  }

  private static void migratesThroughAPoolOfOne(DataSource raw) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(raw);
    config.setPoolName("pool-of-one");
    config.setMaximumPoolSize(1);
    config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    try (HikariDataSource pool = new HikariDataSource(config)) {
      int applied = NativeSchema.migrate(pool);
      assertThat(applied).isPositive();
      assertThat(NativeSchema.migrate(pool)).isZero();
      assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }
  }
}
