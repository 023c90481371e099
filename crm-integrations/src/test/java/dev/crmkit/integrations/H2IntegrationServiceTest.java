package dev.crmkit.integrations;

import javax.sql.DataSource;

class H2IntegrationServiceTest extends IntegrationServiceContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
