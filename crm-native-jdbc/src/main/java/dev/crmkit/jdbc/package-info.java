/**
 * The native CRM on JDBC: customers, notes, activities, orders and deals stored in the host's own
 * database (H2, SQLite, PostgreSQL, MariaDB/MySQL).
 *
 * <p>Entry points: {@link dev.crmkit.jdbc.NativeSchema#migrate} installs the {@code crm_*} tables;
 * {@link dev.crmkit.jdbc.NativeCustomerSystem#open} opens one tenant's store on a
 * {@link javax.sql.DataSource}; {@link dev.crmkit.jdbc.NativeCustomerSystemProvider} does both for
 * {@code IntegrationFactory} under the names {@code native} and {@code coccinelle-native};
 * {@link dev.crmkit.jdbc.JdbcSyncStore#open} keeps the sync engine's state in the same database.
 * Everything under {@code dev.crmkit.jdbc.internal} is implementation.
 */
package dev.crmkit.jdbc;
