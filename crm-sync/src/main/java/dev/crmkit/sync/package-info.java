/**
 * The sync engine (module crm-sync): keeps a local {@link dev.crmkit.CustomerSystem} (usually the native
 * store) and a remote one in step for one tenant integration.
 *
 * <p>Entry points:
 * <ul>
 *   <li>{@link dev.crmkit.sync.SyncEngine} — built per tenant integration
 *       ({@link dev.crmkit.sync.IntegrationKey}); runs full and delta syncs and applies webhook events,
 *       returning a {@link dev.crmkit.sync.SyncResult}.
 *   <li>{@link dev.crmkit.sync.FieldMapping} — which fields flow which way, with transforms.
 *   <li>{@link dev.crmkit.sync.SyncFlow} and {@link dev.crmkit.sync.SyncSide} — the sync vocabulary:
 *       which way data moves (an engine, a field, a cursor), and which side a record or value comes
 *       from (a record error, a conflict decision).
 *   <li>{@link dev.crmkit.sync.ConflictStrategy} — what happens when both sides changed a record; the
 *       manual strategy parks conflicts in the {@link dev.crmkit.sync.ConflictQueue}.
 *   <li>{@link dev.crmkit.sync.SyncAudit} — compares both sides and the stored links.
 *   <li>{@link dev.crmkit.sync.InMemorySyncStore} — a state store for tests and single-process hosts; the
 *       durable one is {@code dev.crmkit.jdbc.JdbcSyncStore} in crm-native-jdbc.
 * </ul>
 *
 * <p>State stores implement {@link dev.crmkit.sync.spi.SyncStore}; see {@link dev.crmkit.sync.spi}.
 */
package dev.crmkit.sync;
