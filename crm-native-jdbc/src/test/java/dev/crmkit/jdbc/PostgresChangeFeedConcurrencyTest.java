package dev.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresChangeFeedConcurrencyTest extends ChangeFeedConcurrencyContract {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.postgres("crmkit_feed_test");
  }
}
