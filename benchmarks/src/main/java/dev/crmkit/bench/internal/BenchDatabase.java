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
 * A database the benchmark runs on: a HikariCP pool over it with the native store's schema migrated
 * and the baseline's tables created beside it, and the means to empty one tenant between runs.
 * {@link #close()} closes the pool and, on the servers, drops the benchmark's schema.
 */
public final class BenchDatabase implements AutoCloseable {
  /** Connections in the pool: enough for the 8-thread first-contact runs. */
  public static final int POOL_SIZE = 10;

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
      BaselineTables.create(c, name);
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
    HikariConfig config = config("bench-h2");
    config.setJdbcUrl(h2Url(dir));
    config.setUsername("sa");
    config.setPassword("");
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
    String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "connectTimeout=3&loginTimeout=3";
    Runnable drop = run(url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    drop.run();
    run(url, "CREATE SCHEMA " + schema).run();
    HikariConfig config = config("bench-postgresql");
    config.setJdbcUrl(url + "&currentSchema=" + schema);
    return new BenchDatabase("postgresql", new HikariDataSource(config), drop);
  }

  /**
   * A fresh database on a MariaDB (or MySQL) server, {@code utf8mb4_bin} as the store's migrations expect.
   *
   * @param serverUrl the server, such as {@code jdbc:mariadb://127.0.0.1:3306/?user=root}
   * @param database the database to create (dropped first when it exists)
   * @throws SQLException when the server cannot be reached
   */
  public static BenchDatabase mariadb(String serverUrl, String database) throws SQLException {
    String url = serverUrl + (serverUrl.contains("?") ? "&" : "?") + "connectTimeout=3000";
    Runnable drop = run(url, "DROP DATABASE IF EXISTS " + database);
    drop.run();
    run(url, "CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin").run();
    HikariConfig config = config("bench-mariadb");
    config.setJdbcUrl(url.replaceFirst("(jdbc:mariadb://[^/?]+)/?[^?]*", "$1/" + database));
    return new BenchDatabase("mariadb", new HikariDataSource(config), drop);
  }

  private static HikariConfig config(String poolName) {
    HikariConfig config = new HikariConfig();
    config.setMaximumPoolSize(POOL_SIZE);
    config.setPoolName(poolName);
    return config;
  }

  /** A statement run on its own connection; throws {@link IllegalStateException} wrapping a failure. */
  private static Runnable run(String url, String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(url)) {
      c.isValid(1);
    }
    return () -> {
      try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
        s.execute(sql);
      } catch (SQLException e) {
        throw new IllegalStateException("could not run '" + sql + "': " + e.getMessage(), e);
      }
    };
  }

  /** {@code h2}, {@code postgresql} or {@code mariadb}. */
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
   * Deletes every row of a tenant from the store's and the baseline's tables, so the next run starts
   * from tables of the same size.
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
      BaselineTables.dropTenant(c, tenantId);
    }
  }

  /**
   * Rows of a tenant in one of the store's or the baseline's tables.
   *
   * @throws SQLException when the database fails
   */
  public long count(String table, String tenantId) throws SQLException {
    if (!TABLES.contains(table) && !BaselineTables.TABLES.contains(table)) {
      throw new IllegalArgumentException("not a benchmark table: " + table);
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
