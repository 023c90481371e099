package dev.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresNativeDealsTest extends NativeDealsContract {
  @Override
  DataSource freshDatabase(String name) {
    return ServerDatabases.postgres(name);
  }
}
