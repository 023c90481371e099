package dev.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresNativeInputLimitsTest extends NativeInputLimitsContract {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.postgres("crmkit_limits_test");
  }
}
