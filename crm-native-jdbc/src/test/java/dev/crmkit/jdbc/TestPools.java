package dev.crmkit.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;

/** Pools a test database the way a host would run it. */
final class TestPools {
  private TestPools() {}

  static HikariDataSource pool(DataSource raw, String name) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(raw);
    config.setPoolName(name);
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }
}
