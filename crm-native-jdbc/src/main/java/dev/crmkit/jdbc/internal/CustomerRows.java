package dev.crmkit.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/** What the tables of a customer's notes and activities share: keyset paging newest first, and moving rows on merge. */
final class CustomerRows {
  private CustomerRows() {}

  /**
   * The condition after {@code tenant_id = ?} for up to {@code limit} rows of a customer, newest first
   * ({@code timeColumn} then {@code id}, both descending), after the position {@code (afterMillis, afterId)}
   * when {@code afterId} is not null; adds its parameters, the tenant's included, to {@code params}.
   */
  static String newestFirst(String timeColumn, List<Object> params, String tenantId, String customerId,
      long afterMillis, String afterId, int limit) {
    params.add(tenantId);
    params.add(customerId);
    String after = "";
    if (afterId != null) {
      after = " AND (" + timeColumn + " < ? OR (" + timeColumn + " = ? AND id < ?))";
      params.addAll(List.of(afterMillis, afterMillis, afterId));
    }
    params.add(limit);
    return "AND customer_id = ?" + after + " ORDER BY " + timeColumn + " DESC, id DESC LIMIT ?";
  }

  /** {@code UPDATE <table> SET customer_id = to} for the rows of customer {@code from}; returns how many moved. */
  static int move(Connection c, String table, String tenantId, String from, String to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE " + table + " SET customer_id = ? WHERE tenant_id = ? AND customer_id = ?")) {
      Jdbc.bind(ps, List.of(to, tenantId, from));
      return ps.executeUpdate();
    }
  }
}
