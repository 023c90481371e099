package dev.crmkit.integrations;

import javax.sql.DataSource;

class PostgresIntegrationServiceTest extends IntegrationServiceContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
