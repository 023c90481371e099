package dev.crmkit.jdbc.internal;

import dev.crmkit.Deal;
import dev.crmkit.DealStatus;
import dev.crmkit.Money;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Statements on {@code crm_deals} and {@code crm_deal_fields} for one tenant. A deal is read in two
 * statements: its row, then its custom fields (for a whole page at once with {@code IN}). Amounts are
 * exact decimals (text on SQLite), read back with the currency's fraction digits; the expected close
 * date is an epoch day.
 */
public final class DealTable {
  private static final String COLUMNS = "id, customer_id, title, amount, currency, pipeline_id, stage_id, status,"
      + " expected_close_date, owner, created_at, updated_at";

  private final String tenantId;
  private final Dialect dialect;

  public DealTable(String tenantId, Dialect dialect) {
    this.tenantId = tenantId;
    this.dialect = dialect;
  }

  /**
   * Inserts a deal with its idempotency key (or none) and its custom fields; the deal's customer id must
   * be a live customer's (not a merged-away id). A taken idempotency key fails the first statement with a
   * unique violation.
   *
   * @return the deal as a read gives it back ({@link #asStored})
   */
  public Deal insert(Connection c, Deal d, String idempotencyKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_deals (tenant_id, " + COLUMNS
        + ", idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      int i = 1;
      ps.setString(i++, tenantId);
      ps.setString(i++, d.id());
      ps.setString(i++, d.customerId());
      i = bindValues(ps, i, d);
      ps.setLong(i++, d.createdAt().toEpochMilli());
      ps.setLong(i++, d.updatedAt().toEpochMilli());
      ps.setString(i, idempotencyKey);
      ps.executeUpdate();
    }
    insertFields(c, d.id(), d.customFields());
    return asStored(d);
  }

  /**
   * Rewrites a deal's values (not its customer, its creation time or its idempotency key) and the custom
   * fields that differ from {@code before}'s.
   *
   * @return the deal as a read gives it back ({@link #asStored})
   */
  public Deal update(Connection c, Deal before, Deal after) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE crm_deals SET title = ?, amount = ?, currency = ?,"
        + " pipeline_id = ?, stage_id = ?, status = ?, expected_close_date = ?, owner = ?, updated_at = ?"
        + " WHERE tenant_id = ? AND id = ?")) {
      int i = bindValues(ps, 1, after);
      ps.setLong(i++, after.updatedAt().toEpochMilli());
      ps.setString(i++, tenantId);
      ps.setString(i, after.id());
      ps.executeUpdate();
    }
    List<String> removed = new ArrayList<>();
    Map<String, String> added = new TreeMap<>();
    before.customFields().forEach((name, value) -> {
      String now = after.customFields().get(name);
      if (!value.equals(now)) {
        removed.add(name);
      }
    });
    after.customFields().forEach((name, value) -> {
      if (!value.equals(before.customFields().get(name))) {
        added.put(name, value);
      }
    });
    if (!removed.isEmpty()) {
      List<Object> params = new ArrayList<>(removed.size() + 2);
      params.add(tenantId);
      params.add(after.id());
      params.addAll(removed);
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM crm_deal_fields WHERE tenant_id = ? AND deal_id = ?"
          + " AND name IN (" + Jdbc.placeholders(removed.size()) + ")")) {
        Jdbc.bind(ps, params);
        ps.executeUpdate();
      }
    }
    insertFields(c, after.id(), added);
    return asStored(after);
  }

  /**
   * The deal as a read gives it back once stored: its amount with the currency's fraction digits
   * ({@code 1234.5 EUR} reads {@code 1234.50 EUR}), so a write returns what a later read returns.
   */
  static Deal asStored(Deal d) {
    if (d.amount() == null) {
      return d;
    }
    Money amount = CustomerTable.money(stored(d.amount().amount()), d.amount().currency().getCurrencyCode());
    return new Deal(d.id(), d.customerId(), d.title(), amount, d.pipelineId(), d.stageId(), d.status(),
        d.expectedCloseDate(), d.owner(), d.customFields(), d.createdAt(), d.updatedAt());
  }

  /** Title through owner, from parameter {@code i} on; returns the next parameter's index. */
  private int bindValues(PreparedStatement ps, int i, Deal d) throws SQLException {
    ps.setString(i++, d.title());
    dialect.setDecimal(ps, i++, d.amount() == null ? null : stored(d.amount().amount()));
    ps.setString(i++, d.amount() == null ? null : d.amount().currency().getCurrencyCode());
    ps.setString(i++, d.pipelineId());
    ps.setString(i++, d.stageId());
    ps.setString(i++, d.status().name());
    if (d.expectedCloseDate() == null) {
      ps.setNull(i++, java.sql.Types.INTEGER);
    } else {
      ps.setInt(i++, Math.toIntExact(d.expectedCloseDate().toEpochDay()));
    }
    ps.setString(i++, d.owner());
    return i;
  }

  /**
   * The amount as the column takes it: no trailing zeros past the 4 decimal places a deal may have
   * ({@code 1.000000} stays exact), no exponent ({@code 1E+3} is {@code 1000}).
   */
  private static BigDecimal stored(BigDecimal amount) {
    BigDecimal a = amount.stripTrailingZeros();
    return a.scale() < 0 ? a.setScale(0) : a;
  }

  /** One multi-row {@code INSERT}: one round trip on every driver, where some send a batch row by row. */
  private void insertFields(Connection c, String dealId, Map<String, String> fields) throws SQLException {
    if (fields.isEmpty()) {
      return;
    }
    List<Object> values = new ArrayList<>(fields.size() * 4);
    fields.forEach((name, value) -> values.addAll(List.of(tenantId, dealId, name, value)));
    StringBuilder rows = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      rows.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
    }
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_deal_fields (tenant_id, deal_id, name, field_value) VALUES " + rows)) {
      Jdbc.bind(ps, values);
      ps.executeUpdate();
    }
  }

  /** The deal with this id, or {@code null}. */
  public Deal find(Connection c, String id) throws SQLException {
    List<Deal> found = select(c, "AND id = ?", List.of(tenantId, id));
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * The deal with this id, its row locked until the transaction ends (on SQLite the caller holds the
   * database's write lock already), or {@code null}.
   */
  public Deal lock(Connection c, String id) throws SQLException {
    List<Deal> found = select(c, "AND id = ?" + dialect.forUpdate(), List.of(tenantId, id));
    return found.isEmpty() ? null : found.get(0);
  }

  /** The deal created with this idempotency key, or {@code null}. */
  public Deal findByIdempotencyKey(Connection c, String idempotencyKey) throws SQLException {
    List<Deal> found = select(c, "AND idempotency_key = ?", List.of(tenantId, idempotencyKey));
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Up to {@code limit} deals of a customer, newest first ({@code created_at} then {@code id}, both
   * descending), after the position {@code (afterMillis, afterId)} when {@code afterId} is not null.
   */
  public List<Deal> page(Connection c, String customerId, long afterMillis, String afterId, int limit)
      throws SQLException {
    List<Object> params = new ArrayList<>(6);
    return select(c, CustomerRows.newestFirst("created_at", params, tenantId, customerId, afterMillis, afterId, limit),
        params);
  }

  /**
   * Moves every deal of customer {@code from} to customer {@code to}, stamping {@code updated_at} (the
   * deal's customer changed, as {@link Deal#withCustomerId} does); returns how many moved.
   */
  public int move(Connection c, String from, String to, Instant now) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE crm_deals SET customer_id = ?, updated_at = ? WHERE tenant_id = ? AND customer_id = ?")) {
      Jdbc.bind(ps, List.of(to, now.toEpochMilli(), tenantId, from));
      return ps.executeUpdate();
    }
  }

  /** Deals by a condition after {@code tenant_id = ?}, with their custom fields in one more query. */
  private List<Deal> select(Connection c, String where, List<Object> params) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM crm_deals WHERE tenant_id = ? "
        + where)) {
      Jdbc.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(read(rs));
        }
      }
    }
    Map<String, Map<String, String>> fields = new HashMap<>();
    if (!rows.isEmpty()) {
      List<Object> fieldParams = new ArrayList<>(rows.size() + 1);
      fieldParams.add(tenantId);
      rows.forEach(r -> fieldParams.add(r.id));
      try (PreparedStatement ps = c.prepareStatement("SELECT deal_id, name, field_value FROM crm_deal_fields"
          + " WHERE tenant_id = ? AND deal_id IN (" + Jdbc.placeholders(rows.size()) + ")")) {
        Jdbc.bind(ps, fieldParams);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fields.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getString(3));
          }
        }
      }
    }
    List<Deal> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      out.add(r.deal(fields.getOrDefault(r.id, Map.of())));
    }
    return out;
  }

  private static Row read(ResultSet rs) throws SQLException {
    Row r = new Row();
    r.id = rs.getString(1);
    r.customerId = rs.getString(2);
    r.title = rs.getString(3);
    r.amount = rs.getString(4);
    r.currency = rs.getString(5);
    r.pipelineId = rs.getString(6);
    r.stageId = rs.getString(7);
    r.status = rs.getString(8);
    int day = rs.getInt(9);
    r.expectedCloseDate = rs.wasNull() ? null : LocalDate.ofEpochDay(day);
    r.owner = rs.getString(10);
    r.createdAt = rs.getLong(11);
    r.updatedAt = rs.getLong(12);
    return r;
  }

  /** A deal row before its custom fields are read. */
  private static final class Row {
    String id;
    String customerId;
    String title;
    String amount;
    String currency;
    String pipelineId;
    String stageId;
    String status;
    LocalDate expectedCloseDate;
    String owner;
    long createdAt;
    long updatedAt;

    Deal deal(Map<String, String> customFields) {
      return new Deal(id, customerId, title,
          amount == null || currency == null ? null : CustomerTable.money(new BigDecimal(amount), currency),
          pipelineId, stageId, DealStatus.valueOf(status), expectedCloseDate, owner, customFields,
          Instant.ofEpochMilli(createdAt), Instant.ofEpochMilli(updatedAt));
    }
  }
}
