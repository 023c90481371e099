package dev.crmkit.integrations;

import javax.sql.DataSource;

class SqliteIntegrationServiceTest extends IntegrationServiceContract {
  @Override
  DataSource database() {
    return TestDatabases.sqlite();
  }
}
