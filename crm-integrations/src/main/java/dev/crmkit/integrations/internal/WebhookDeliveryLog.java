package dev.crmkit.integrations.internal;

import dev.crmkit.error.ServerException;
import dev.crmkit.integrations.WebhookDelivery;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The webhook delivery log, table {@code crmkit_webhook_delivery} (migration V3): one row per delivery
 * received on a platform's route; the {@code log-cleanup} job deletes rows past the retention. Ids sort by receive time, then by order of logging within this node,
 * so "newest first" holds even for deliveries in the same millisecond. Thread-safe.
 *
 * <p>SQL errors become {@link ServerException}s that name the operation and SQLState, never a bound value.
 */
public final class WebhookDeliveryLog {
  /** The longest {@link WebhookDelivery#detail()} kept; longer text is cut. */
  public static final int MAX_DETAIL = 500;
  private static final String COLUMNS =
      "id, integration_id, tenant_id, platform, received_at, status, outcome, events, duplicates, detail";

  private final DataSource dataSource;
  private final AtomicLong sequence = new AtomicLong();
  private final String node;

  /** @param dataSource the host database holding the integrations schema */
  public WebhookDeliveryLog(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    this.node = HexFormat.of().formatHex(random);
  }

  /**
   * Logs one delivery.
   *
   * @param tenantId the tenant of the integration it was routed to, or {@code null}
   * @param integrationId the integration, or {@code null}
   * @param platform the route's provider name
   * @param receivedAt when it arrived
   * @param status the HTTP status answered
   * @param outcome what became of it
   * @param events its events
   * @param duplicates how many of them the inbox already held
   * @param detail why it was refused, or {@code null}; never a secret or payload value
   * @return the row as logged
   */
  public WebhookDelivery log(String tenantId, String integrationId, String platform, Instant receivedAt, int status,
      WebhookDelivery.Outcome outcome, int events, int duplicates, String detail) {
    String cut = detail == null || detail.length() <= MAX_DETAIL ? detail : detail.substring(0, MAX_DETAIL - 3) + "...";
    // Fixed width: millis, then this node's counter, then the node, so ids sort by time, then order.
    String id = String.format("wd%013x%010x%s", receivedAt.toEpochMilli(), sequence.incrementAndGet(), node);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO crmkit_webhook_delivery (" + COLUMNS
            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, id);
      setNullable(ps, 2, integrationId);
      setNullable(ps, 3, tenantId);
      ps.setString(4, platform);
      ps.setLong(5, receivedAt.toEpochMilli());
      ps.setInt(6, status);
      ps.setString(7, outcome.name());
      ps.setInt(8, events);
      ps.setInt(9, duplicates);
      setNullable(ps, 10, cut);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failed("logging a webhook delivery", e);
    }
    return new WebhookDelivery(id, integrationId, platform, Instant.ofEpochMilli(receivedAt.toEpochMilli()), status,
        outcome, events, duplicates, cut);
  }

  /**
   * An integration's deliveries, newest first.
   *
   * @param tenantId the integration's tenant (compared exactly)
   * @param integrationId the integration
   * @param limit the most rows returned, at least 1
   * @return the deliveries
   */
  public List<WebhookDelivery> recent(String tenantId, String integrationId, int limit) {
    List<WebhookDelivery> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM crmkit_webhook_delivery"
            + " WHERE tenant_id = ? AND integration_id = ? ORDER BY received_at DESC, id DESC LIMIT ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, integrationId);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new WebhookDelivery(rs.getString(1), rs.getString(2), rs.getString(4),
              Instant.ofEpochMilli(rs.getLong(5)), rs.getInt(6), WebhookDelivery.Outcome.valueOf(rs.getString(7)),
              rs.getInt(8), rs.getInt(9), rs.getString(10)));
        }
      }
    } catch (SQLException e) {
      throw failed("reading webhook deliveries", e);
    }
    return out;
  }

  private static void setNullable(PreparedStatement ps, int index, String value) throws SQLException {
    if (value == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, value);
    }
  }

  // The SQL state says what kind of failure it was; the driver's message may quote bound values, so
  // neither it nor the driver's exception is kept.
  private static ServerException failed(String what, SQLException e) {
    return new ServerException("integrations: " + what + " failed (SQLState " + e.getSQLState() + ", vendor code "
        + e.getErrorCode() + ")", null, 0, e.getSQLState(), null, null);
  }

  @Override
  public String toString() {
    return "WebhookDeliveryLog";
  }
}
