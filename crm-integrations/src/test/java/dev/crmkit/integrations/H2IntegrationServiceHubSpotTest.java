package dev.crmkit.integrations;

import javax.sql.DataSource;

class H2IntegrationServiceHubSpotTest extends IntegrationServiceHubSpotContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
