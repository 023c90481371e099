package dev.crmkit.integrations;

import javax.sql.DataSource;

class H2OAuthConnectTest extends OAuthConnectTest {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
