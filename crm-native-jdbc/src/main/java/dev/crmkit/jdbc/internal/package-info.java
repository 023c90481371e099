/**
 * Implementation of the native store and the JDBC sync store. Not API.
 *
 * <p>Every SQL statement lives here, in one class per table (a native-store table class is bound to
 * one tenant; a {@code crm_sync_*} one takes the integration key per call): {@link
 * dev.crmkit.jdbc.internal.CustomerTable} (customers with their tags and custom fields, search,
 * change feed, duplicates), {@link dev.crmkit.jdbc.internal.NoteTable}, {@link
 * dev.crmkit.jdbc.internal.ActivityTable}, {@link dev.crmkit.jdbc.internal.OrderTable}, {@link
 * dev.crmkit.jdbc.internal.DealTable} (deals with their custom fields), {@link
 * dev.crmkit.jdbc.internal.MergedIdTable}; for sync, {@link dev.crmkit.jdbc.internal.IdMappingTable},
 * {@link dev.crmkit.jdbc.internal.CursorTable}, {@link dev.crmkit.jdbc.internal.LeaseTable}, {@link
 * dev.crmkit.jdbc.internal.RunTable}, {@link dev.crmkit.jdbc.internal.RecordErrorTable}, {@link
 * dev.crmkit.jdbc.internal.ConflictTable} and {@link dev.crmkit.jdbc.internal.InboxTable}. Table
 * classes run statements on a connection they are given; {@link dev.crmkit.jdbc.internal.Jdbc}
 * opens connections and transactions, which the public stores choose. Also here: dialects ({@link
 * dev.crmkit.jdbc.internal.Dialect}), the change sequence ({@link
 * dev.crmkit.jdbc.internal.ChangeCounter}), the bulk upsert ({@link
 * dev.crmkit.jdbc.internal.BulkUpsert}) and database errors without driver text ({@link
 * dev.crmkit.jdbc.internal.DatabaseErrors}).
 */
package dev.crmkit.jdbc.internal;
