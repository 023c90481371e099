package dev.crmkit.jdbc;

import javax.sql.DataSource;

class MariaDbNativeTextRoundTripTest extends NativeTextRoundTripProperties {
  @Override
  DataSource createDataSource() {
    return ServerDatabases.mariadb("crmkit_text_test");
  }
}
