package dev.crmkit.integrations;

import javax.sql.DataSource;

class SqliteOAuthConnectTest extends OAuthConnectTest {
  @Override
  DataSource database() {
    return TestDatabases.sqlite();
  }
}
