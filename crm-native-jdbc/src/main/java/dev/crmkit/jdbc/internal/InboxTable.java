package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;

import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.spi.InboxEntry;
import dev.crmkit.sync.spi.InboxStatus;
import dev.crmkit.sync.spi.TextCodec;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * Statements on {@code crm_sync_inbox}: webhook events, deduplicated by their primary key ({@code
 * tenant_id, integration, event_id}) and handed out in {@code order_at} order (the event's time, else
 * its arrival), then arrival order. Status changes are conditional updates, so of racing callers
 * exactly one wins.
 */
public final class InboxTable {
  private static final String COLUMNS = "vendor, event_id, event_type, raw_type, object_type, object_id, "
      + "occurred_at, property_name, property_value, merged_ids, attempt_number, attributes, status, attempts, "
      + "last_error, received_at";

  /** Inserts a pending event; fails with a unique violation when its id is in the inbox already. */
  public void insert(Connection c, IntegrationKey key, String arrivalId, ChangeEvent e, long receivedAt)
      throws SQLException {
    Object occurred = SyncSql.millisOrNull(e.occurredAt());
    SyncSql.update(c, "INSERT INTO crm_sync_inbox (tenant_id, integration, arrival_id, order_at, " + COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', 0, NULL, ?)", key, arrivalId,
        e.occurredAt() != null ? occurred : receivedAt, e.vendor(), e.eventId(), e.type().name(), e.rawType(),
        e.objectType(), e.objectId(), occurred, e.propertyName(), e.propertyValue(), TextCodec.encode(e.mergedIds()),
        e.attemptNumber(), TextCodec.encodeMap(e.attributes()), receivedAt);
  }

  /** The entry of an event, in any status. */
  public Optional<InboxEntry> find(Connection c, IntegrationKey key, String eventId) throws SQLException {
    return SyncSql.one(c, "SELECT " + COLUMNS + " FROM crm_sync_inbox WHERE " + KEY + " AND event_id = ?", key,
        InboxTable::read, eventId);
  }

  /** Up to {@code limit} entries in a status, in inbox order. */
  public List<InboxEntry> inStatus(Connection c, IntegrationKey key, InboxStatus status, int limit)
      throws SQLException {
    return SyncSql.query(c, "SELECT " + COLUMNS + " FROM crm_sync_inbox WHERE " + KEY
        + " AND status = ? ORDER BY order_at, arrival_id LIMIT ?", key, InboxTable::read, status.name(), limit);
  }

  /** Marks a pending event done; false when the event is not pending (or not there). */
  public boolean markDone(Connection c, IntegrationKey key, String eventId) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_inbox SET status = 'DONE' WHERE " + KEY
        + " AND event_id = ? AND status = 'PENDING'", key, eventId) != 0;
  }

  /** Marks a pending event failed, counting the attempt; false when the event is not pending (or not there). */
  public boolean markFailed(Connection c, IntegrationKey key, String eventId, String error) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_inbox SET status = 'FAILED', attempts = attempts + 1, last_error = ?"
        + " WHERE " + KEY + " AND event_id = ? AND status = 'PENDING'", error, key, eventId) != 0;
  }

  /** Makes a failed event pending again; false when the event is not failed (or not there). */
  public boolean replay(Connection c, IntegrationKey key, String eventId) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_inbox SET status = 'PENDING' WHERE " + KEY
        + " AND event_id = ? AND status = 'FAILED'", key, eventId) == 1;
  }

  /** Makes every failed event pending again; returns how many. */
  public int replayAll(Connection c, IntegrationKey key) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_inbox SET status = 'PENDING' WHERE " + KEY + " AND status = 'FAILED'",
        key);
  }

  private static InboxEntry read(ResultSet rs) throws SQLException {
    int attempt = rs.getInt("attempt_number");
    ChangeEvent event = new ChangeEvent(rs.getString("vendor"), rs.getString("event_id"),
        ChangeEventType.valueOf(rs.getString("event_type")), rs.getString("raw_type"), rs.getString("object_type"),
        rs.getString("object_id"), SyncSql.instant(rs, "occurred_at"), rs.getString("property_name"),
        rs.getString("property_value"), TextCodec.decode(rs.getString("merged_ids")), attempt,
        TextCodec.decodeMap(rs.getString("attributes")));
    return new InboxEntry(event, InboxStatus.valueOf(rs.getString("status")), rs.getInt("attempts"),
        rs.getString("last_error"), SyncSql.instant(rs, "received_at"));
  }
}
