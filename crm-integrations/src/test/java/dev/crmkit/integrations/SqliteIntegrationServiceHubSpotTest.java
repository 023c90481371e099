package dev.crmkit.integrations;

import javax.sql.DataSource;

class SqliteIntegrationServiceHubSpotTest extends IntegrationServiceHubSpotContract {
  @Override
  DataSource database() {
    return TestDatabases.sqlite();
  }
}
