package dev.crmkit.bench.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.jdbc.NativeSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import javax.sql.DataSource;

/**
 * A database the benchmark runs on: a HikariCP pool over it with the native store's schema migrated,
 * and the means to empty one tenant between runs. {@link #close()} closes the pool and, on
 * PostgreSQL, drops the benchmark's schema.
 */
public final class BenchDatabase implements AutoCloseable {
  private static final List<String> TABLES = List.of("crm_activity_metadata", "crm_activities", "crm_customer_tags",
      "crm_customer_fields", "crm_notes", "crm_orders", "crm_merged_ids", "crm_customers", "crm_change_counters");

  private final String name;
  private final HikariDataSource pool;
  private final String product;
  private final Runnable dropper;

  private BenchDatabase(String name, HikariDataSource pool, Runnable dropper) throws SQLException {
    this.name = name;
    this.pool = pool;
    this.dropper = dropper;
    try (Connection c = pool.getConnection()) {
      DatabaseMetaData meta = c.getMetaData();
      this.product = meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion();
    }
    NativeSchema.migrate(pool);
  }

  /**
   * An H2 file database in a folder.
   *
   * @param dir the folder for the database file; must exist
   * @throws SQLException when the database cannot be opened
   */
  public static BenchDatabase h2(Path dir) throws SQLException {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(h2Url(dir));
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(4);
    config.setPoolName("bench-h2");
    return new BenchDatabase("h2", new HikariDataSource(config), () -> { });
  }

  /**
   * The JDBC URL of the H2 file database in a folder, for another process to open once this one's pool
   * is closed.
   *
   * @param dir the folder for the database file
   * @return the URL
   */
  public static String h2Url(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("bench").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
  }

  /**
   * A fresh schema on a PostgreSQL server.
   *
   * @param baseUrl the server and database, such as
   *     {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}
   * @param schema the schema to create (dropped first when it exists)
   * @throws SQLException when the server cannot be reached
   */
  public static BenchDatabase postgres(String baseUrl, String schema) throws SQLException {
    String separator = baseUrl.contains("?") ? "&" : "?";
    String url = baseUrl + separator + "connectTimeout=3&loginTimeout=3";
    try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      s.execute("CREATE SCHEMA " + schema);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url + "&currentSchema=" + schema);
    config.setMaximumPoolSize(4);
    config.setPoolName("bench-postgresql");
    return new BenchDatabase("postgresql", new HikariDataSource(config), () -> {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        System.err.println("could not drop schema " + schema + ": " + e.getMessage());
      }
    });
  }

  /** {@code h2} or {@code postgresql}. */
  public String name() {
    return name;
  }

  /** The database product and version, as its driver reports them. */
  public String product() {
    return product;
  }

  /** The pool. */
  public DataSource dataSource() {
    return pool;
  }

  /**
   * Deletes every row of a tenant, so the next run starts from tables of the same size.
   *
   * @throws SQLException when the database fails
   */
  public void dropTenant(String tenantId) throws SQLException {
    try (Connection c = pool.getConnection()) {
      for (String table : TABLES) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE tenant_id = ?")) {
          ps.setString(1, tenantId);
          ps.executeUpdate();
        }
      }
    }
  }

  /**
   * Rows of a tenant in a table.
   *
   * @throws SQLException when the database fails
   */
  public long count(String table, String tenantId) throws SQLException {
    if (!TABLES.contains(table)) {
      throw new IllegalArgumentException("not a native store table: " + table);
    }
    try (Connection c = pool.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = ?")) {
      ps.setString(1, tenantId);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public void close() {
    pool.close();
    dropper.run();
  }
}
