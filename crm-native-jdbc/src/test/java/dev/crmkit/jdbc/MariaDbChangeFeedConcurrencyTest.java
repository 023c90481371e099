package dev.crmkit.jdbc;

import javax.sql.DataSource;

class MariaDbChangeFeedConcurrencyTest extends ChangeFeedConcurrencyContract {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.mariadb("crmkit_feed_test");
  }
}
