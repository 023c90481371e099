package dev.crmkit.integrations;

import javax.sql.DataSource;

class PostgresSealedCredentialsTest extends SealedCredentialsContract {
  @Override
  DataSource database() {
    return TestDatabases.postgres();
  }
}
