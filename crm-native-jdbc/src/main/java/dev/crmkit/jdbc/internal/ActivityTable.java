package dev.crmkit.jdbc.internal;

import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.CustomerActivity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statements on {@code crm_activities} and {@code crm_activity_metadata} for one tenant. An activity is
 * read in two statements: its row, then its metadata (for a whole page at once with {@code IN}).
 */
public final class ActivityTable {
  private static final String COLUMNS =
      "id, customer_id, activity_type, channel, description, occurred_at, idempotency_key";

  private final String tenantId;

  public ActivityTable(String tenantId) {
    this.tenantId = tenantId;
  }

  /**
   * Inserts an activity and its metadata: one statement for the row and, when there is metadata, one
   * multi-row {@code INSERT} for it. A taken idempotency key fails the first with a unique violation.
   */
  public void insert(Connection c, CustomerActivity a) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_activities (tenant_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      Jdbc.bind(ps, Arrays.asList(tenantId, a.id(), a.customerId(), a.type().name(),
          a.channel() == null ? null : a.channel().name(), a.description(), a.occurredAt().toEpochMilli(),
          a.idempotencyKey()));
      ps.executeUpdate();
    }
    if (!a.metadata().isEmpty()) {
      // One multi-row INSERT: one round trip on every driver, where some send a batch row by row.
      List<Object> values = new ArrayList<>(a.metadata().size() * 4);
      a.metadata().forEach((name, value) -> values.addAll(List.of(tenantId, a.id(), name, value)));
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO crm_activity_metadata (tenant_id, activity_id, name, meta_value) VALUES "
              + String.join(", ", Collections.nCopies(a.metadata().size(), "(?, ?, ?, ?)")))) {
        Jdbc.bind(ps, values);
        ps.executeUpdate();
      }
    }
  }

  /**
   * Up to {@code limit} activities of a customer, newest first ({@code occurred_at} then {@code id},
   * both descending), after the position {@code (afterMillis, afterId)} when {@code afterId} is not null.
   */
  public List<CustomerActivity> page(Connection c, String customerId, long afterMillis, String afterId, int limit)
      throws SQLException {
    List<Object> params = new ArrayList<>(6);
    return select(c, CustomerRows.newestFirst("occurred_at", params, tenantId, customerId, afterMillis, afterId, limit),
        params);
  }

  /** The activity recorded with this idempotency key, or {@code null}. */
  public CustomerActivity findByIdempotencyKey(Connection c, String idempotencyKey) throws SQLException {
    List<CustomerActivity> found = select(c, "AND idempotency_key = ?", List.of(tenantId, idempotencyKey));
    return found.isEmpty() ? null : found.get(0);
  }

  /** Moves every activity of customer {@code from} to customer {@code to}; returns how many moved. */
  public int move(Connection c, String from, String to) throws SQLException {
    return CustomerRows.move(c, "crm_activities", tenantId, from, to);
  }

  /** Activities by a condition after {@code tenant_id = ?}, with their metadata in one more query. */
  private List<CustomerActivity> select(Connection c, String where, List<Object> params) throws SQLException {
    List<Object[]> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + COLUMNS + " FROM crm_activities WHERE tenant_id = ? " + where)) {
      Jdbc.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(6), rs.getString(7)});
        }
      }
    }
    Map<String, Map<String, String>> metadata = new HashMap<>();
    if (!rows.isEmpty()) {
      List<Object> metaParams = new ArrayList<>();
      metaParams.add(tenantId);
      rows.forEach(r -> metaParams.add(r[0]));
      try (PreparedStatement ps = c.prepareStatement("SELECT activity_id, name, meta_value FROM crm_activity_metadata"
          + " WHERE tenant_id = ? AND activity_id IN (" + Jdbc.placeholders(rows.size()) + ")")) {
        Jdbc.bind(ps, metaParams);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            metadata.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
          }
        }
      }
    }
    List<CustomerActivity> out = new ArrayList<>(rows.size());
    for (Object[] r : rows) {
      out.add(new CustomerActivity((String) r[0], (String) r[1], ActivityType.valueOf((String) r[2]),
          r[3] == null ? null : Channel.valueOf((String) r[3]), (String) r[4], Instant.ofEpochMilli((Long) r[5]),
          metadata.get((String) r[0]), (String) r[6]));
    }
    return out;
  }
}
