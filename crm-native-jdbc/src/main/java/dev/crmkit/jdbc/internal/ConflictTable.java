package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;

import dev.crmkit.sync.ConflictDecision;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.ConflictStatus;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.spi.TextCodec;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements on {@code crm_sync_conflicts}: the conflict queue. {@code open_local_id}, unique per
 * integration, holds the local id while a conflict is open, so a record has at most one open conflict.
 * The conflicting fields are stored as one {@link TextCodec} list, four values per field.
 */
public final class ConflictTable {
  private static final String COLUMNS = "id, local_id, external_id, fields, strategy, detected_at, status, "
      + "choice, merged_values, resolved_by, resolved_at";

  /**
   * Replaces the external id, fields and strategy of the open conflict of {@code localId}.
   *
   * @return false when the record has no open conflict
   */
  public boolean reopen(Connection c, IntegrationKey key, String localId, String externalId,
      List<FieldConflict> fields, String strategy) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_conflicts SET external_id = ?, fields = ?, strategy = ? WHERE " + KEY
        + " AND open_local_id = ?", externalId, encodeFields(fields), strategy, key, localId) != 0;
  }

  /** The open conflict of {@code localId}. */
  public Optional<SyncConflict> findOpen(Connection c, IntegrationKey key, String localId) throws SQLException {
    return SyncSql.one(c, "SELECT " + COLUMNS + " FROM crm_sync_conflicts WHERE " + KEY + " AND open_local_id = ?",
        key, rs -> read(key, rs), localId);
  }

  /** Inserts an open conflict; fails with a unique violation when its record has one open already. */
  public void insert(Connection c, SyncConflict conflict) throws SQLException {
    SyncSql.update(c, "INSERT INTO crm_sync_conflicts (tenant_id, integration, id, local_id, external_id, "
        + "fields, strategy, detected_at, status, open_local_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN', ?)",
        conflict.key(), conflict.id(), conflict.localId(), conflict.externalId(), encodeFields(conflict.fields()),
        conflict.strategy(), conflict.detectedAt().toEpochMilli(), conflict.localId());
  }

  /** Up to {@code limit} open conflicts, oldest first. */
  public List<SyncConflict> open(Connection c, IntegrationKey key, int limit) throws SQLException {
    return SyncSql.query(c, "SELECT " + COLUMNS + " FROM crm_sync_conflicts WHERE " + KEY
        + " AND status = 'OPEN' ORDER BY detected_at, id LIMIT ?", key, rs -> read(key, rs), limit);
  }

  /** The conflict with this id, open or resolved. */
  public Optional<SyncConflict> find(Connection c, IntegrationKey key, String conflictId) throws SQLException {
    return SyncSql.one(c, "SELECT " + COLUMNS + " FROM crm_sync_conflicts WHERE " + KEY + " AND id = ?", key,
        rs -> read(key, rs), conflictId);
  }

  /**
   * Resolves an open conflict, which frees its record for a new one.
   *
   * @return false when the conflict is not open (resolved already, or no such conflict)
   */
  public boolean resolve(Connection c, IntegrationKey key, String conflictId, SyncSide choice,
      Map<String, String> mergedValues, String resolvedBy, long resolvedAt) throws SQLException {
    return SyncSql.update(c, "UPDATE crm_sync_conflicts SET status = 'RESOLVED', open_local_id = NULL, choice = ?, "
        + "merged_values = ?, resolved_by = ?, resolved_at = ? WHERE " + KEY + " AND id = ? AND status = 'OPEN'",
        choice.name(), TextCodec.encodeMap(mergedValues), resolvedBy, resolvedAt, key, conflictId) != 0;
  }

  private static SyncConflict read(IntegrationKey key, ResultSet rs) throws SQLException {
    ConflictStatus status = ConflictStatus.valueOf(rs.getString("status"));
    ConflictDecision decision = status == ConflictStatus.OPEN ? null
        : new ConflictDecision(SyncSide.valueOf(rs.getString("choice")), TextCodec.decodeMap(rs.getString("merged_values")),
            rs.getString("resolved_by"), SyncSql.instant(rs, "resolved_at"));
    return new SyncConflict(rs.getString("id"), key, rs.getString("local_id"), rs.getString("external_id"),
        decodeFields(rs.getString("fields")), rs.getString("strategy"), SyncSql.instant(rs, "detected_at"), status,
        decision);
  }

  private static String encodeFields(List<FieldConflict> fields) {
    List<String> flat = new ArrayList<>(fields.size() * 4);
    for (FieldConflict f : fields) {
      flat.addAll(Arrays.asList(f.field(), f.localValue(), f.remoteValue(), f.baseValue()));
    }
    return TextCodec.encode(flat);
  }

  private static List<FieldConflict> decodeFields(String text) {
    List<String> flat = TextCodec.decode(text);
    List<FieldConflict> out = new ArrayList<>(flat.size() / 4);
    for (int i = 0; i + 3 < flat.size(); i += 4) {
      out.add(new FieldConflict(flat.get(i), flat.get(i + 1), flat.get(i + 2), flat.get(i + 3)));
    }
    return List.copyOf(out);
  }
}
