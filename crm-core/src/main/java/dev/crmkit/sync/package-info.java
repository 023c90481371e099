/**
 * The sync engine's durable state: the {@link dev.crmkit.sync.SyncStore} SPI, its value types, and
 * {@link dev.crmkit.sync.InMemorySyncStore}. State is kept per tenant integration
 * ({@link dev.crmkit.sync.IntegrationKey}); a page of work is stored atomically through a
 * {@link dev.crmkit.sync.SyncCheckpoint}. The JDBC store is {@code dev.crmkit.jdbc.JdbcSyncStore} in
 * crm-native-jdbc.
 */
package dev.crmkit.sync;
