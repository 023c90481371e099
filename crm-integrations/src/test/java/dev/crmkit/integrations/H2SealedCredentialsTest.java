package dev.crmkit.integrations;

import javax.sql.DataSource;

class H2SealedCredentialsTest extends SealedCredentialsContract {
  @Override
  DataSource database() {
    return TestDatabases.h2();
  }
}
