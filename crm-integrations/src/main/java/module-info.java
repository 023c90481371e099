/**
 * crmkit's integrations layer ({@code dev.crmkit.integrations}): tenant integrations in the host
 * database, the catalogue, sealed credentials, OAuth connect, test connection, sync now, webhook
 * routing, clustered jobs and metrics. {@code dev.crmkit.integrations.internal} is not exported.
 */
@SuppressWarnings("requires-automatic") // flyway.core, as in dev.crmkit.jdbc
module dev.crmkit.integrations {
  requires transitive dev.crmkit.core;
  requires transitive dev.crmkit.sync;
  requires transitive dev.crmkit.jdbc;
  requires transitive micrometer.core;
  requires flyway.core;
  requires com.github.kagkarlsson.scheduler;
  requires org.slf4j;

  exports dev.crmkit.integrations;
  // The migrations, found by Flyway through the class loader (as dev.crmkit.jdbc opens its own).
  opens db.crmkit.integrations.h2;
  opens db.crmkit.integrations.sqlite;
  opens db.crmkit.integrations.postgresql;
  opens db.crmkit.integrations.mariadb;

}
