package dev.crmkit.jdbc.internal;

import dev.crmkit.Money;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/** Statements on {@code crm_orders} for one tenant: the order ids already counted in a customer's stats. */
public final class OrderTable {
  private final String tenantId;
  private final Dialect dialect;

  public OrderTable(String tenantId, Dialect dialect) {
    this.tenantId = tenantId;
    this.dialect = dialect;
  }

  /** True when an order with this id was recorded already, for any customer. */
  public boolean exists(Connection c, String orderId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM crm_orders WHERE tenant_id = ? AND order_id = ?")) {
      Jdbc.bind(ps, List.of(tenantId, orderId));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Records an order of a customer; the amount as a decimal (text on SQLite) and its currency code. */
  public void insert(Connection c, String orderId, String customerId, Money amount, Instant placedAt)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_orders"
        + " (tenant_id, order_id, customer_id, amount, currency, placed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, tenantId);
      ps.setString(2, orderId);
      ps.setString(3, customerId);
      dialect.setDecimal(ps, 4, amount.amount());
      ps.setString(5, amount.currency().getCurrencyCode());
      ps.setLong(6, placedAt.toEpochMilli());
      ps.executeUpdate();
    }
  }

  /** Moves every order of customer {@code from} to customer {@code to}; returns how many moved. */
  public int move(Connection c, String from, String to) throws SQLException {
    return CustomerRows.move(c, "crm_orders", tenantId, from, to);
  }
}
