package dev.crmkit.bench.internal;

import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.inbound.InboundMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * First contact as a competent engineer writes it by hand: one transaction per message that reads the
 * customer by its key, creates it when missing (insert, ignoring a concurrent creator, and read it
 * again), inserts the activity ignoring a duplicate idempotency key ({@code ON CONFLICT DO NOTHING} on
 * PostgreSQL, {@code INSERT IGNORE} on MariaDB, a caught unique violation on H2, which has neither
 * outside its compatibility modes) and moves the last contact forward with a conditional update.
 * Thread-safe: share one over every thread.
 */
final class FirstContactBaseline {
  private final DataSource dataSource;
  private final String dialect;
  private final String tenantId;
  private final Clock clock;
  private final PhoneNumbers phones;

  FirstContactBaseline(DataSource dataSource, String dialect, String tenantId, Clock clock, PhoneNumbers phones) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.tenantId = tenantId;
    this.clock = clock;
    this.phones = phones;
  }

  /**
   * Handles one message; MATCHED, CREATED or DUPLICATE. A transaction the database rolled back to
   * break a deadlock or a serialization conflict (SQLState class 40) is run again, as any hand-written
   * OLTP code must: MariaDB's {@code INSERT IGNORE} of two new senders at once can deadlock on the gap
   * locks of the unique index.
   */
  Outcome handle(InboundMessage m) throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try {
        return handleOnce(m);
      } catch (SQLException e) {
        if (attempt == 5 || e.getSQLState() == null || !e.getSQLState().startsWith("40")) {
          throw e;
        }
      }
    }
  }

  private Outcome handleOnce(InboundMessage m) throws SQLException {
    boolean byEmail = m.fromEmail();
    String key = byEmail ? EmailAddresses.normalize(m.from()) : phones.matchKey(m.from());
    String keyColumn = byEmail ? "email_key" : "phone_key";
    String idempotencyKey = "msg:" + m.channel().name().toLowerCase(Locale.ROOT) + ":" + m.messageId();
    long now = clock.millis();
    long at = m.receivedAt().toEpochMilli();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        Outcome outcome = Outcome.MATCHED;
        String customerId = find(c, keyColumn, key, "");
        if (customerId == null) {
          customerId = UUID.randomUUID().toString();
          if (insertCustomer(c, customerId, m, byEmail, key, now)) {
            outcome = Outcome.CREATED;
          } else {
            customerId = find(c, keyColumn, key, " FOR UPDATE");
          }
        }
        if (!insertActivity(c, customerId, m, idempotencyKey, at)) {
          c.rollback();
          return Outcome.DUPLICATE;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE bench_customers SET last_contact_at = ?,"
            + " updated_at = ? WHERE tenant_id = ? AND id = ? AND (last_contact_at IS NULL OR last_contact_at < ?)")) {
          ps.setLong(1, at);
          ps.setLong(2, now);
          ps.setString(3, tenantId);
          ps.setString(4, customerId);
          ps.setLong(5, at);
          ps.executeUpdate();
        }
        c.commit();
        return outcome;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private String find(Connection c, String keyColumn, String key, String lock) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT id FROM bench_customers WHERE tenant_id = ? AND " + keyColumn + " = ?" + lock)) {
      ps.setString(1, tenantId);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /** False when another transaction holds the key already. */
  private boolean insertCustomer(Connection c, String id, InboundMessage m, boolean byEmail, String key, long now)
      throws SQLException {
    String columns = "(tenant_id, id, first_name, email, phone, segment, created_at, updated_at, email_key, phone_key)"
        + " VALUES (?, ?, ?, ?, ?, 'PROSPECT', ?, ?, ?, ?)";
    return insertIgnoringDuplicate(c, "bench_customers", columns, ps -> {
      ps.setString(1, tenantId);
      ps.setString(2, id);
      ps.setString(3, m.senderName());
      ps.setString(4, byEmail ? m.from() : null);
      ps.setString(5, byEmail ? null : m.from());
      ps.setLong(6, now);
      ps.setLong(7, now);
      ps.setString(8, byEmail ? key : null);
      ps.setString(9, byEmail ? null : key);
    });
  }

  /** False when the idempotency key was logged already. */
  private boolean insertActivity(Connection c, String customerId, InboundMessage m, String idempotencyKey, long at)
      throws SQLException {
    Map<String, Object> metadata = new TreeMap<>(Map.of("messageId", m.messageId(), "from", m.from()));
    String columns = "(tenant_id, id, customer_id, activity_type, channel, description, occurred_at,"
        + " idempotency_key, metadata) VALUES (?, ?, ?, 'MESSAGE_RECEIVED', ?, ?, ?, ?, ?)";
    return insertIgnoringDuplicate(c, "bench_activities", columns, ps -> {
      ps.setString(1, tenantId);
      ps.setString(2, UUID.randomUUID().toString());
      ps.setString(3, customerId);
      ps.setString(4, m.channel().name());
      ps.setString(5, m.text());
      ps.setLong(6, at);
      ps.setString(7, idempotencyKey);
      ps.setString(8, Json.write(metadata));
    });
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private boolean insertIgnoringDuplicate(Connection c, String table, String columnsAndValues, Binder binder)
      throws SQLException {
    String sql = switch (dialect) {
      case "postgresql" -> "INSERT INTO " + table + " " + columnsAndValues + " ON CONFLICT DO NOTHING";
      case "mariadb" -> "INSERT IGNORE INTO " + table + " " + columnsAndValues;
      default -> "INSERT INTO " + table + " " + columnsAndValues;
    };
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      if (dialect.equals("h2") && "23505".equals(e.getSQLState())) {
        return false;
      }
      throw e;
    }
  }
}
