package dev.crmkit.jdbc.internal;

import dev.crmkit.CustomerNote;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Statements on {@code crm_notes} for one tenant. */
public final class NoteTable {
  private final String tenantId;

  public NoteTable(String tenantId) {
    this.tenantId = tenantId;
  }

  /**
   * Inserts a note with its idempotency key (or none); its customer id must be a live customer's (not a
   * merged-away id). A taken idempotency key fails the statement with a unique violation.
   */
  public void insert(Connection c, CustomerNote note, String idempotencyKey) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_notes (tenant_id, id, customer_id, content,"
        + " created_by, created_at, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      Jdbc.bind(ps, Arrays.asList(tenantId, note.id(), note.customerId(), note.content(), note.createdBy(),
          note.createdAt().toEpochMilli(), idempotencyKey));
      ps.executeUpdate();
    }
  }

  /** The note added with this idempotency key, or {@code null}. */
  public CustomerNote findByIdempotencyKey(Connection c, String idempotencyKey) throws SQLException {
    List<CustomerNote> found = select(c, "AND idempotency_key = ?", List.of(tenantId, idempotencyKey));
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * Up to {@code limit} notes of a customer, newest first ({@code created_at} then {@code id}, both
   * descending), after the position {@code (afterMillis, afterId)} when {@code afterId} is not null.
   */
  public List<CustomerNote> page(Connection c, String customerId, long afterMillis, String afterId, int limit)
      throws SQLException {
    List<Object> params = new ArrayList<>(6);
    String condition = CustomerRows.newestFirst("created_at", params, tenantId, customerId, afterMillis, afterId, limit);
    return select(c, condition, params);
  }

  /** Notes by a condition after {@code tenant_id = ?}. */
  private List<CustomerNote> select(Connection c, String where, List<Object> params) throws SQLException {
    List<CustomerNote> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT id, customer_id, content, created_by, created_at"
        + " FROM crm_notes WHERE tenant_id = ? " + where)) {
      Jdbc.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new CustomerNote(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              Instant.ofEpochMilli(rs.getLong(5))));
        }
      }
    }
    return out;
  }

  /** Moves every note of customer {@code from} to customer {@code to}; returns how many moved. */
  public int move(Connection c, String from, String to) throws SQLException {
    return CustomerRows.move(c, "crm_notes", tenantId, from, to);
  }
}
