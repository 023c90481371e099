package dev.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Statements on {@code crm_merged_ids} for one tenant: which customer each merged-away id now lives on
 * (read by {@link CustomerTable#findFollowingMerges}).
 */
public final class MergedIdTable {
  private final String tenantId;

  public MergedIdTable(String tenantId) {
    this.tenantId = tenantId;
  }

  /**
   * Records that {@code mergedId} now lives on {@code survivorId}, and points the ids merged into
   * {@code mergedId} earlier at {@code survivorId} too, so every merged-away id is one hop from its
   * survivor. Two statements.
   */
  public void record(Connection c, String mergedId, String survivorId, Instant mergedAt) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE crm_merged_ids SET survivor_id = ? WHERE tenant_id = ? AND survivor_id = ?")) {
      Jdbc.bind(ps, List.of(survivorId, tenantId, mergedId));
      ps.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_merged_ids (tenant_id, merged_id, survivor_id, merged_at) VALUES (?, ?, ?, ?)")) {
      Jdbc.bind(ps, List.of(tenantId, mergedId, survivorId, mergedAt.toEpochMilli()));
      ps.executeUpdate();
    }
  }
}
