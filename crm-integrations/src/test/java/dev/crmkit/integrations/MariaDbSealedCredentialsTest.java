package dev.crmkit.integrations;

import javax.sql.DataSource;

class MariaDbSealedCredentialsTest extends SealedCredentialsContract {
  @Override
  DataSource database() {
    return TestDatabases.mariadb();
  }
}
