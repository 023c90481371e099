/**
 * What a sync state store implements (module crm-sync). Entry point:
 * {@link dev.crmkit.sync.spi.SyncStore}; a page of work is stored atomically through a
 * {@link dev.crmkit.sync.spi.SyncCheckpoint}. The value types it stores are here too (id mappings,
 * snapshots, leases, inbox entries), with {@link dev.crmkit.sync.spi.TextCodec}, the stored text format of
 * map- and list-valued columns, and {@link dev.crmkit.sync.spi.SyncChecks}, the argument checks every store
 * applies. Implementations: {@link dev.crmkit.sync.InMemorySyncStore}, {@code dev.crmkit.jdbc.JdbcSyncStore};
 * both pass {@code dev.crmkit.testkit.SyncStoreContractTest}.
 */
package dev.crmkit.sync.spi;
