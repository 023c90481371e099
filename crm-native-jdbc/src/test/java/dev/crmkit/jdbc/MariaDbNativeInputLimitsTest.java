package dev.crmkit.jdbc;

import javax.sql.DataSource;

class MariaDbNativeInputLimitsTest extends NativeInputLimitsContract {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.mariadb("crmkit_limits_test");
  }
}
