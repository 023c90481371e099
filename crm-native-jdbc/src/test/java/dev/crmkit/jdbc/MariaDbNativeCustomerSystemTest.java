package dev.crmkit.jdbc;

import javax.sql.DataSource;

class MariaDbNativeCustomerSystemTest extends NativeCustomerSystemContract {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.mariadb();
  }
}
