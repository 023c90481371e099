package dev.crmkit.jdbc;

import javax.sql.DataSource;

class MariaDbNativeDealsTest extends NativeDealsContract {
  @Override
  DataSource freshDatabase(String name) {
    return ServerDatabases.mariadb(name);
  }
}
