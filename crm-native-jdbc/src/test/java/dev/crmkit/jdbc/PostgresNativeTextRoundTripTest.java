package dev.crmkit.jdbc;

import javax.sql.DataSource;

class PostgresNativeTextRoundTripTest extends NativeTextRoundTripProperties {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.postgres("crmkit_text_test");
  }
}
