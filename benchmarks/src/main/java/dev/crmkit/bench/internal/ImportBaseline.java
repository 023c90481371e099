package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.PhoneNumbers;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.postgresql.PGConnection;

/**
 * The bulk import a competent engineer writes by hand: per {@value #ROWS_PER_STATEMENT} drafts, one
 * transaction with one multi-row upsert of the customers keyed by email ({@code INSERT … ON CONFLICT
 * DO UPDATE … RETURNING id} on PostgreSQL; {@code INSERT … ON DUPLICATE KEY UPDATE} and one query for
 * the ids on MariaDB; {@code MERGE INTO … KEY (tenant_id, email_key)} on H2, whose customers with an
 * email get an id derived from it, so a merge that rewrites a row rewrites the same id), then one
 * multi-row upsert of their tags and one of their custom fields. Emails and phones are keyed with the
 * same normalization as the store (a library call), and drafts sharing an email within a statement
 * are merged first, as the database requires. On PostgreSQL, {@link #copy} loads the same rows with
 * {@code COPY} for reference. Not thread-safe.
 */
final class ImportBaseline {
  /** Rows per statement and per transaction. */
  static final int ROWS_PER_STATEMENT = 500;

  private static final String COLUMNS = "tenant_id, id, first_name, last_name, email, phone, company, address_city,"
      + " address_country, segment, created_at, updated_at, email_key, phone_key";
  private static final String[] UPDATED = {"first_name", "last_name", "email", "phone", "company", "address_city",
      "address_country", "updated_at", "phone_key"};
  private static final int WIDTH = 14;

  private final DataSource dataSource;
  private final String dialect;
  private final String tenantId;
  private final Clock clock;
  private final PhoneNumbers phones;

  ImportBaseline(DataSource dataSource, String dialect, String tenantId, Clock clock, PhoneNumbers phones) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.tenantId = tenantId;
    this.clock = clock;
    this.phones = phones;
  }

  /** A draft as the rows it becomes. */
  private record Row(String id, CustomerDraft d, String emailKey, String phoneKey, Set<String> tags,
      Map<String, String> fields) {}

  /** Upserts every draft; returns the number of customer rows sent. */
  int run(List<CustomerDraft> drafts) throws SQLException {
    int sent = 0;
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      for (int start = 0; start < drafts.size(); start += ROWS_PER_STATEMENT) {
        List<Row> rows = rows(drafts.subList(start, Math.min(drafts.size(), start + ROWS_PER_STATEMENT)));
        Map<String, String> ids = upsertCustomers(c, rows);
        Map<String, Set<String>> tags = new LinkedHashMap<>();
        Map<String, Map<String, String>> fields = new LinkedHashMap<>();
        for (Row r : rows) {
          String id = r.emailKey == null ? r.id : ids.getOrDefault(r.emailKey, r.id);
          tags.put(id, r.tags);
          fields.put(id, r.fields);
        }
        upsertTags(c, tags);
        upsertFields(c, fields);
        c.commit();
        sent += rows.size();
      }
    }
    return sent;
  }

  /** Loads every draft with PostgreSQL's {@code COPY} into the three tables, in one transaction. */
  int copy(List<CustomerDraft> drafts) throws SQLException {
    List<Row> rows = rows(drafts);
    long now = clock.millis();
    StringBuilder customers = new StringBuilder();
    StringBuilder tags = new StringBuilder();
    StringBuilder fields = new StringBuilder();
    for (Row r : rows) {
      CustomerDraft d = r.d;
      csv(customers, tenantId, r.id, d.firstName(), d.lastName(), d.email(), d.phone(), d.company(),
          d.address() == null ? null : d.address().city(), d.address() == null ? null : d.address().country(),
          "PROSPECT", now, now, r.emailKey, r.phoneKey);
      r.tags.forEach(t -> csv(tags, tenantId, r.id, t));
      r.fields.forEach((k, v) -> csv(fields, tenantId, r.id, k, v));
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      var copier = c.unwrap(PGConnection.class).getCopyAPI();
      try {
        copier.copyIn("COPY bench_customers (" + COLUMNS + ") FROM STDIN (FORMAT csv)",
            new StringReader(customers.toString()));
        copier.copyIn("COPY bench_customer_tags (tenant_id, customer_id, tag) FROM STDIN (FORMAT csv)",
            new StringReader(tags.toString()));
        copier.copyIn("COPY bench_customer_fields (tenant_id, customer_id, name, field_value) FROM STDIN (FORMAT csv)",
            new StringReader(fields.toString()));
      } catch (IOException e) {
        throw new SQLException("COPY failed", e);
      }
      c.commit();
    }
    return rows.size();
  }

  /** The drafts' rows; a later draft with an email already seen merges into the earlier row. */
  private List<Row> rows(List<CustomerDraft> drafts) {
    Map<String, Row> byEmail = new HashMap<>();
    List<Row> out = new ArrayList<>(drafts.size());
    for (CustomerDraft d : drafts) {
      String emailKey = d.email() == null ? null : EmailAddresses.normalize(d.email());
      String phoneKey = phones.matchKey(d.phone());
      Row earlier = emailKey == null ? null : byEmail.get(emailKey);
      if (earlier != null) {
        earlier.tags.addAll(d.tags());
        earlier.fields.putAll(d.customFields());
        continue;
      }
      String id = emailKey != null && dialect.equals("h2")
          ? UUID.nameUUIDFromBytes((tenantId + '\n' + emailKey).getBytes(StandardCharsets.UTF_8)).toString()
          : UUID.randomUUID().toString();
      Row r = new Row(id, d, emailKey, phoneKey, new LinkedHashSet<>(d.tags()),
          new LinkedHashMap<>(d.customFields()));
      out.add(r);
      if (emailKey != null) {
        byEmail.put(emailKey, r);
      }
    }
    return out;
  }

  /** One multi-row upsert; returns email key to the id the database holds for it. */
  private Map<String, String> upsertCustomers(Connection c, List<Row> rows) throws SQLException {
    String values = rowsOf(rows.size(), WIDTH);
    String sql = switch (dialect) {
      case "postgresql" -> "INSERT INTO bench_customers (" + COLUMNS + ") VALUES " + values
          + " ON CONFLICT (tenant_id, email_key) DO UPDATE SET " + assignments("%1$s = EXCLUDED.%1$s")
          + " RETURNING id, email_key";
      case "mariadb" -> "INSERT INTO bench_customers (" + COLUMNS + ") VALUES " + values
          + " ON DUPLICATE KEY UPDATE " + assignments("%1$s = VALUES(%1$s)");
      default -> "MERGE INTO bench_customers (" + COLUMNS + ") KEY (tenant_id, email_key) VALUES " + values;
    };
    long now = clock.millis();
    Map<String, String> ids = new HashMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (Row r : rows) {
        CustomerDraft d = r.d;
        ps.setString(i++, tenantId);
        ps.setString(i++, r.id);
        ps.setString(i++, d.firstName());
        ps.setString(i++, d.lastName());
        ps.setString(i++, d.email());
        ps.setString(i++, d.phone());
        ps.setString(i++, d.company());
        ps.setString(i++, d.address() == null ? null : d.address().city());
        ps.setString(i++, d.address() == null ? null : d.address().country());
        ps.setString(i++, "PROSPECT");
        ps.setLong(i++, now);
        ps.setLong(i++, now);
        ps.setString(i++, r.emailKey);
        ps.setString(i++, r.phoneKey);
      }
      if (!dialect.equals("mariadb")) {
        if (dialect.equals("h2")) {
          ps.executeUpdate();
          return ids;
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (rs.getString(2) != null) {
              ids.put(rs.getString(2), rs.getString(1));
            }
          }
        }
        return ids;
      }
      ps.executeUpdate();
    }
    List<String> keys = rows.stream().map(Row::emailKey).filter(k -> k != null).toList();
    if (keys.isEmpty()) {
      return ids;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT email_key, id FROM bench_customers WHERE tenant_id = ?"
        + " AND email_key IN (" + "?, ".repeat(keys.size() - 1) + "?)")) {
      ps.setString(1, tenantId);
      for (int k = 0; k < keys.size(); k++) {
        ps.setString(k + 2, keys.get(k));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return ids;
  }

  private void upsertTags(Connection c, Map<String, Set<String>> tags) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    tags.forEach((id, set) -> set.forEach(t -> rows.add(new String[] {tenantId, id, t})));
    if (rows.isEmpty()) {
      return;
    }
    String values = rowsOf(rows.size(), 3);
    execute(c, switch (dialect) {
      case "postgresql" -> "INSERT INTO bench_customer_tags (tenant_id, customer_id, tag) VALUES " + values
          + " ON CONFLICT DO NOTHING";
      case "mariadb" -> "INSERT INTO bench_customer_tags (tenant_id, customer_id, tag) VALUES " + values
          + " ON DUPLICATE KEY UPDATE tag = VALUES(tag)";
      default -> "MERGE INTO bench_customer_tags (tenant_id, customer_id, tag) KEY (tenant_id, customer_id, tag)"
          + " VALUES " + values;
    }, rows);
  }

  private void upsertFields(Connection c, Map<String, Map<String, String>> fields) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    fields.forEach((id, map) -> map.forEach((k, v) -> rows.add(new String[] {tenantId, id, k, v})));
    if (rows.isEmpty()) {
      return;
    }
    String values = rowsOf(rows.size(), 4);
    String columns = "bench_customer_fields (tenant_id, customer_id, name, field_value)";
    execute(c, switch (dialect) {
      case "postgresql" -> "INSERT INTO " + columns + " VALUES " + values
          + " ON CONFLICT (tenant_id, customer_id, name) DO UPDATE SET field_value = EXCLUDED.field_value";
      case "mariadb" -> "INSERT INTO " + columns + " VALUES " + values
          + " ON DUPLICATE KEY UPDATE field_value = VALUES(field_value)";
      default -> "MERGE INTO " + columns + " KEY (tenant_id, customer_id, name) VALUES " + values;
    }, rows);
  }

  private static void execute(Connection c, String sql, List<String[]> rows) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String[] row : rows) {
        for (String v : row) {
          ps.setString(i++, v);
        }
      }
      ps.executeUpdate();
    }
  }

  private static String assignments(String format) {
    StringBuilder b = new StringBuilder();
    for (String column : UPDATED) {
      b.append(b.length() == 0 ? "" : ", ").append(String.format(format, column));
    }
    return b.toString();
  }

  /** {@code (?, ?), (?, ?)} for {@code rows} rows of {@code width} parameters. */
  static String rowsOf(int rows, int width) {
    String row = "(" + "?, ".repeat(width - 1) + "?)";
    StringBuilder b = new StringBuilder(rows * (row.length() + 2));
    for (int r = 0; r < rows; r++) {
      b.append(r == 0 ? "" : ", ").append(row);
    }
    return b.toString();
  }

  private static void csv(StringBuilder b, Object... values) {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (i > 0) {
        b.append(',');
      }
      if (v != null) {
        b.append('"').append(v.toString().replace("\"", "\"\"")).append('"');
      }
    }
    b.append('\n');
  }
}
