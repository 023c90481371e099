package dev.crmkit.bench.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * The few helpers a hand-written JDBC program has anyway: transactions, time-ordered ids, the change
 * counter, and loading rows with their tags and fields. Every statement is spelled out here.
 */
final class PlainJdbc {
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;
  private final String tenantId;
  private final Clock clock;
  private volatile Boolean h2;
  private boolean counterExists;
  private long lastMillis = -1;
  private int sameMillis;

  PlainJdbc(DataSource dataSource, String tenantId, Clock clock) {
    this.dataSource = dataSource;
    this.tenantId = tenantId;
    this.clock = clock;
  }

  /**
   * Whether the database is H2, where the native store looks keys up by a join from an array
   * parameter instead of an {@code IN} list (H2 uses an index for an {@code IN} list only on the
   * index's first column); the baseline sends the same statements.
   */
  boolean isH2() {
    if (h2 == null) {
      throw new IllegalStateException("no connection taken yet");
    }
    return h2;
  }

  /** Reads the product from the first connection the baseline takes anyway, so it opens no extra one. */
  private Connection connection() throws SQLException {
    Connection c = dataSource.getConnection();
    if (h2 == null) {
      h2 = c.getMetaData().getDatabaseProductName().equals("H2");
    }
    return c;
  }

  /** H2's key list: one array parameter, joined as {@code v(k)}. */
  static final String KEY_LIST = "UNNEST(CAST(? AS VARCHAR ARRAY)) v(k)";

  String tenantId() {
    return tenantId;
  }

  long now() {
    return clock.millis();
  }

  /** Auto-commit work on its own connection. */
  <T> T read(Work<T> work) throws SQLException {
    try (Connection c = connection()) {
      return work.run(c);
    }
  }

  /** One transaction on its own connection. */
  <T> T write(Work<T> work) throws SQLException {
    try (Connection c = connection()) {
      boolean autoCommit = c.getAutoCommit();
      if (autoCommit) {
        c.setAutoCommit(false);
      }
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        if (autoCommit) {
          c.setAutoCommit(true);
        }
      }
    }
  }

  /** A version 7 UUID, increasing within this program. */
  synchronized String nextId() {
    long now = clock.millis();
    if (now > lastMillis) {
      lastMillis = now;
      sameMillis = 0;
    } else if (++sameMillis > 0xFFF) {
      lastMillis++;
      sameMillis = 0;
    }
    long msb = (lastMillis << 16) | 0x7000L | sameMillis;
    long lsb = (ThreadLocalRandom.current().nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** Creates the tenant's change-counter row the first time. */
  void ensureCounter() throws SQLException {
    if (counterExists) {
      return;
    }
    read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM crm_change_counters WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            return null;
          }
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO crm_change_counters (tenant_id, last_seq) VALUES (?, 0)")) {
        ps.setString(1, tenantId);
        ps.executeUpdate();
      }
      return null;
    });
    counterExists = true;
  }

  /** Locks the counter row; returns the last number taken. */
  long lockCounter(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT last_seq FROM crm_change_counters WHERE tenant_id = ? FOR UPDATE")) {
      ps.setString(1, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new SQLException("change counter of tenant '" + tenantId + "' is missing");
        }
        return rs.getLong(1);
      }
    }
  }

  /** Stores the last number taken, when any was. */
  void finishCounter(Connection c, long start, long last) throws SQLException {
    if (last == start) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE crm_change_counters SET last_seq = ? WHERE tenant_id = ?")) {
      ps.setLong(1, last);
      ps.setString(2, tenantId);
      ps.executeUpdate();
    }
  }

  /** Rows by id, with tags and fields, as the native store reads them. */
  List<CustomerRow> selectByIds(Connection c, List<String> ids) throws SQLException {
    if (!isH2() || ids.size() == 1) {
      return select(c, "AND id IN (" + placeholders(ids.size()) + ")", ids);
    }
    List<CustomerRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + CustomerRow.COLUMNS + " FROM " + KEY_LIST
        + " JOIN crm_customers c ON c.tenant_id = ? AND c.id = v.k ")) {
      ps.setObject(1, ids.toArray(new String[0]));
      ps.setString(2, tenantId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(CustomerRow.read(rs));
        }
      }
    }
    return withTagsAndFields(c, rows);
  }

  /** Rows selected by a condition after {@code tenant_id = ?}, with tags and fields. */
  List<CustomerRow> select(Connection c, String where, List<String> params) throws SQLException {
    List<CustomerRow> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(CustomerRow.SELECT + " " + where)) {
      ps.setString(1, tenantId);
      for (int i = 0; i < params.size(); i++) {
        ps.setString(i + 2, params.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(CustomerRow.read(rs));
        }
      }
    }
    return withTagsAndFields(c, rows);
  }

  private List<CustomerRow> withTagsAndFields(Connection c, List<CustomerRow> rows) throws SQLException {
    if (rows.isEmpty()) {
      return rows;
    }
    Map<String, CustomerRow> byId = new HashMap<>();
    for (CustomerRow r : rows) {
      byId.put(r.id, r);
    }
    String sql;
    boolean keyList = isH2() && byId.size() > 1;
    if (keyList) {
      sql = "SELECT t.customer_id, 0, t.tag, NULL FROM " + KEY_LIST + " JOIN crm_customer_tags t"
          + " ON t.tenant_id = ? AND t.customer_id = v.k"
          + " UNION ALL SELECT f.customer_id, 1, f.name, f.field_value FROM " + KEY_LIST + " JOIN crm_customer_fields f"
          + " ON f.tenant_id = ? AND f.customer_id = v.k";
    } else {
      String in = placeholders(byId.size());
      sql = "SELECT customer_id, 0, tag, NULL FROM crm_customer_tags"
          + " WHERE tenant_id = ? AND customer_id IN (" + in + ") UNION ALL SELECT customer_id, 1, name, field_value"
          + " FROM crm_customer_fields WHERE tenant_id = ? AND customer_id IN (" + in + ")";
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (int side = 0; side < 2; side++) {
        if (keyList) {
          ps.setObject(i++, byId.keySet().toArray(new String[0]));
          ps.setString(i++, tenantId);
        } else {
          ps.setString(i++, tenantId);
          for (String id : byId.keySet()) {
            ps.setString(i++, id);
          }
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          CustomerRow r = byId.get(rs.getString(1));
          if (rs.getInt(2) == 0) {
            r.tags.add(rs.getString(3));
          } else {
            r.fields.put(rs.getString(3), rs.getString(4));
          }
        }
      }
    }
    return rows;
  }

  /** The customer with this id, following a merge. */
  CustomerRow byId(Connection c, String id) throws SQLException {
    List<CustomerRow> rows = select(c, "AND id = COALESCE((SELECT survivor_id FROM crm_merged_ids"
        + " WHERE tenant_id = ? AND merged_id = ?), ?)", List.of(tenantId, id, id));
    return rows.isEmpty() ? null : rows.get(0);
  }

  /** Adds tags, customer id to tags. */
  void insertTags(Connection c, Map<String, ? extends Collection<String>> tags) throws SQLException {
    if (tags.values().stream().allMatch(Collection::isEmpty)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_customer_tags (tenant_id, customer_id, tag) VALUES (?, ?, ?)")) {
      for (Map.Entry<String, ? extends Collection<String>> e : tags.entrySet()) {
        for (String tag : e.getValue()) {
          ps.setString(1, tenantId);
          ps.setString(2, e.getKey());
          ps.setString(3, tag);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Adds custom fields, customer id to fields. */
  void insertFields(Connection c, Map<String, Map<String, String>> fields) throws SQLException {
    if (fields.values().stream().allMatch(Map::isEmpty)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_customer_fields (tenant_id, customer_id, name, field_value) VALUES (?, ?, ?, ?)")) {
      for (Map.Entry<String, Map<String, String>> e : fields.entrySet()) {
        for (Map.Entry<String, String> f : e.getValue().entrySet()) {
          ps.setString(1, tenantId);
          ps.setString(2, e.getKey());
          ps.setString(3, f.getKey());
          ps.setString(4, f.getValue());
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Removes custom fields by name, customer id to names. */
  void deleteFields(Connection c, Map<String, ? extends Collection<String>> names) throws SQLException {
    if (names.values().stream().allMatch(Collection::isEmpty)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM crm_customer_fields WHERE tenant_id = ? AND customer_id = ? AND name = ?")) {
      for (Map.Entry<String, ? extends Collection<String>> e : names.entrySet()) {
        for (String name : e.getValue()) {
          ps.setString(1, tenantId);
          ps.setString(2, e.getKey());
          ps.setString(3, name);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  static String placeholders(int n) {
    StringBuilder b = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "?" : ", ?");
    }
    return b.toString();
  }
}
