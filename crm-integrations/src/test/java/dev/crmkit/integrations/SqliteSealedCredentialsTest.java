package dev.crmkit.integrations;

import javax.sql.DataSource;

class SqliteSealedCredentialsTest extends SealedCredentialsContract {
  @Override
  DataSource database() {
    return TestDatabases.sqlite();
  }
}
