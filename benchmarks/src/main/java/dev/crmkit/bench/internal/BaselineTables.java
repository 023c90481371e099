package dev.crmkit.bench.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The tables a competent engineer would create by hand for the same data: customers with the native
 * store's unique indexes (primary key, {@code (tenant_id, email_key)}, {@code (tenant_id, phone_key)}),
 * tags and custom fields keyed like the store's, and activities unique by idempotency key with their
 * metadata as one text column. Created once per benchmark database, beside the store's tables.
 */
final class BaselineTables {
  /** Every baseline table, children first. */
  static final List<String> TABLES = List.of("bench_activities", "bench_customer_tags", "bench_customer_fields",
      "bench_customers");

  private BaselineTables() {}

  /** Creates the tables (those missing) in the dialect ({@code h2}, {@code postgresql} or {@code mariadb}). */
  static void create(Connection c, String dialect) throws SQLException {
    String text = switch (dialect) {
      case "h2" -> "VARCHAR(1000000)";
      case "mariadb" -> "MEDIUMTEXT";
      default -> "TEXT";
    };
    String suffix = dialect.equals("mariadb") ? " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin" : "";
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS bench_customers (tenant_id VARCHAR(128) NOT NULL, id VARCHAR(36) NOT NULL,"
          + " first_name VARCHAR(255), last_name VARCHAR(255), email VARCHAR(254), phone VARCHAR(64),"
          + " company VARCHAR(255), address_city VARCHAR(255), address_country VARCHAR(255),"
          + " segment VARCHAR(16) NOT NULL, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,"
          + " last_contact_at BIGINT, email_key VARCHAR(254), phone_key VARCHAR(80),"
          + " PRIMARY KEY (tenant_id, id))" + suffix);
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS bench_customers_email_key ON bench_customers (tenant_id, email_key)");
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS bench_customers_phone_key ON bench_customers (tenant_id, phone_key)");
      s.execute("CREATE TABLE IF NOT EXISTS bench_customer_tags (tenant_id VARCHAR(128) NOT NULL, customer_id VARCHAR(36) NOT NULL,"
          + " tag VARCHAR(100) NOT NULL, PRIMARY KEY (tenant_id, customer_id, tag))" + suffix);
      s.execute("CREATE TABLE IF NOT EXISTS bench_customer_fields (tenant_id VARCHAR(128) NOT NULL,"
          + " customer_id VARCHAR(36) NOT NULL, name VARCHAR(64) NOT NULL, field_value " + text + " NOT NULL,"
          + " PRIMARY KEY (tenant_id, customer_id, name))" + suffix);
      s.execute("CREATE TABLE IF NOT EXISTS bench_activities (tenant_id VARCHAR(128) NOT NULL, id VARCHAR(36) NOT NULL,"
          + " customer_id VARCHAR(36) NOT NULL, activity_type VARCHAR(32) NOT NULL, channel VARCHAR(16),"
          + " description " + text + ", occurred_at BIGINT NOT NULL, idempotency_key VARCHAR(200),"
          + " metadata " + text + ", PRIMARY KEY (tenant_id, id))" + suffix);
      s.execute("CREATE UNIQUE INDEX IF NOT EXISTS bench_activities_idempotency_key ON bench_activities (tenant_id, idempotency_key)");
      s.execute("CREATE INDEX IF NOT EXISTS bench_activities_customer ON bench_activities (tenant_id, customer_id, occurred_at)");
    }
  }

  /** Deletes a tenant's rows from every baseline table. */
  static void dropTenant(Connection c, String tenantId) throws SQLException {
    for (String table : TABLES) {
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        ps.executeUpdate();
      }
    }
  }
}
