package dev.crmkit.integrations;

import javax.sql.DataSource;

class MariaDbIntegrationServiceTest extends IntegrationServiceContract {
  @Override
  DataSource database() {
    return TestDatabases.mariadb();
  }
}
