package dev.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresNativeCustomerSystemTest extends NativeCustomerSystemContract {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.postgres();
  }
}
