/**
 * crmkit's native store on the host's {@link javax.sql.DataSource} and its JDBC {@code SyncStore}
 * ({@code dev.crmkit.jdbc}). {@code dev.crmkit.jdbc.internal} is not exported.
 *
 * <p>The schema migrations live under {@code db/crmkit/<dialect>/}; they are opened so that Flyway,
 * which finds them with the class loader, can read them when this module is on the module path.
 */
@SuppressWarnings("requires-automatic") // flyway.core: see below
module dev.crmkit.jdbc {
  requires transitive dev.crmkit.core;
  requires transitive dev.crmkit.sync;
  requires transitive java.sql;
  // Flyway 11 has neither module-info nor Automatic-Module-Name: its module name is derived from
  // the jar's file name ("flyway-core-11.x.jar" -> flyway.core). No Flyway type appears in this
  // module's API. The database plugins (flyway-database-postgresql, flyway-mysql) are found by
  // Flyway itself; as automatic modules they are resolved together with flyway.core.
  requires flyway.core;

  exports dev.crmkit.jdbc;

  opens db.crmkit.h2;
  opens db.crmkit.sqlite;
  opens db.crmkit.postgresql;
  opens db.crmkit.mariadb;

  provides dev.crmkit.CustomerSystemProvider with dev.crmkit.jdbc.NativeCustomerSystemProvider;
}
