package dev.crmkit.jdbc.internal;

import static dev.crmkit.jdbc.internal.SyncSql.KEY;
import static dev.crmkit.jdbc.internal.SyncSql.NULL_TIME;

import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.spi.IdMapping;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.sync.spi.TextCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Statements on {@code crm_sync_mappings}: which local record each external record is linked to, with
 * the snapshot last synced (fields as {@link TextCodec#encodeMap}, time and version).
 */
public final class IdMappingTable {
  private static final String COLUMNS = "local_id, external_id, snapshot_fields, snapshot_at, snapshot_version";
  /** Most ids looked up in one statement, well under every supported database's parameter limit. */
  private static final int CHUNK = 500;

  /** The id column a mapping is looked up by. */
  public enum By {
    LOCAL_ID("local_id"),
    EXTERNAL_ID("external_id");

    private final String column;

    By(String column) {
      this.column = column;
    }
  }

  private final Dialect dialect;

  public IdMappingTable(Dialect dialect) {
    this.dialect = dialect;
  }

  /** The mapping whose local or external id is {@code id}. */
  public Optional<IdMapping> find(Connection c, IntegrationKey key, By by, String id) throws SQLException {
    return SyncSql.one(c, "SELECT " + COLUMNS + " FROM crm_sync_mappings WHERE " + KEY + " AND " + by.column + " = ?",
        key, IdMappingTable::read, id);
  }

  /**
   * The mappings whose local or external id is among {@code ids}, by that id, in no particular order:
   * one statement per 500 ids.
   */
  public Map<String, IdMapping> findAll(Connection c, IntegrationKey key, By by, List<String> ids)
      throws SQLException {
    Map<String, IdMapping> out = new LinkedHashMap<>();
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      List<IdMapping> found;
      if (dialect == Dialect.H2 && chunk.size() > 1) {
        // H2 looks an IN list up through an index only on its first column, so "tenant, integration and
        // id IN (...)" reads the integration's every mapping; a join from an array is one lookup per id.
        found = new ArrayList<>();
        try (PreparedStatement ps = SyncSql.prepare(c, "SELECT " + COLUMNS
            + " FROM UNNEST(CAST(? AS VARCHAR ARRAY)) v(k) JOIN crm_sync_mappings m"
            + " ON m.tenant_id = ? AND m.integration = ? AND m." + by.column + " = v.k",
            chunk.toArray(new String[0]), key); ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            found.add(read(rs));
          }
        }
      } else {
        String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
        found = SyncSql.query(c, "SELECT " + COLUMNS + " FROM crm_sync_mappings WHERE " + KEY + " AND "
            + by.column + " IN (" + marks + ")", key, IdMappingTable::read, chunk.toArray());
      }
      for (IdMapping m : found) {
        out.put(by == By.LOCAL_ID ? m.localId() : m.externalId(), m);
      }
    }
    return out;
  }

  /** Links two ids, with a snapshot or none ({@code null}); both ids must be free. */
  public void insert(Connection c, IntegrationKey key, String localId, String externalId, SyncSnapshot s)
      throws SQLException {
    SyncSql.update(c, "INSERT INTO crm_sync_mappings (tenant_id, integration, local_id, external_id, snapshot_fields, "
        + "snapshot_at, snapshot_version) VALUES (?, ?, ?, ?, ?, ?, ?)", key, localId, externalId,
        s == null ? null : TextCodec.encodeMap(s.fields()), s == null ? NULL_TIME : s.syncedAt().toEpochMilli(),
        s == null ? null : s.version());
  }

  /** Replaces the snapshot of the mapping of {@code localId}. */
  public void updateSnapshot(Connection c, IntegrationKey key, String localId, SyncSnapshot s) throws SQLException {
    SyncSql.update(c, "UPDATE crm_sync_mappings SET snapshot_fields = ?, snapshot_at = ?, snapshot_version = ? WHERE "
        + KEY + " AND local_id = ?", TextCodec.encodeMap(s.fields()), s.syncedAt().toEpochMilli(), s.version(), key,
        localId);
  }

  /** Removes the mapping of {@code localId}, if any. */
  public void delete(Connection c, IntegrationKey key, String localId) throws SQLException {
    SyncSql.update(c, "DELETE FROM crm_sync_mappings WHERE " + KEY + " AND local_id = ?", key, localId);
  }

  /** Changes a mapping's local or external id from {@code from} to {@code to}, which must be free. */
  public void changeId(Connection c, IntegrationKey key, By by, String from, String to) throws SQLException {
    SyncSql.update(c, "UPDATE crm_sync_mappings SET " + by.column + " = ? WHERE " + KEY + " AND " + by.column + " = ?",
        to, key, from);
  }

  private static IdMapping read(ResultSet rs) throws SQLException {
    Instant at = SyncSql.instant(rs, "snapshot_at");
    SyncSnapshot snapshot = at == null ? null
        : new SyncSnapshot(TextCodec.decodeMap(rs.getString("snapshot_fields")), at, rs.getString("snapshot_version"));
    return new IdMapping(rs.getString("local_id"), rs.getString("external_id"), snapshot);
  }
}
