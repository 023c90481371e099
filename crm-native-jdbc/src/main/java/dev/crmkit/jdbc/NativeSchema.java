package dev.crmkit.jdbc;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.Jdbc;
import dev.crmkit.jdbc.internal.Migrations;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Installs and upgrades the native store's tables ({@code crm_*}, including the sync state of
 * {@link JdbcSyncStore}, {@code crm_sync_*}) with Flyway.
 *
 * <p>Migrations live in {@code classpath:db/crmkit/<dialect>/} ({@code h2}, {@code sqlite},
 * {@code postgresql}, {@code mariadb}), named the Flyway way ({@code V1__crmkit_native_store.sql}),
 * so a host may run them with its own tool instead. crmkit records them in its own history table,
 * {@value #HISTORY_TABLE}, so it never clashes with a host's Flyway history. A schema that already
 * holds the host's tables is fine: crmkit baselines its history at version 0 and applies every
 * migration. Stateless and thread-safe; Flyway serializes concurrent migrations of one database.
 *
 * <p>Migrating takes one connection from the data source and does everything on it (detection,
 * Flyway's lock, the migrations), so a pool of one connection suffices. On MariaDB/MySQL the session
 * gets strict SQL mode first, and the text columns get a binary NO PAD collation
 * ({@value #COLLATION_PLACEHOLDER}), so keys compare exactly as on the other databases. A failed
 * statement is reported by SQLState and vendor code only: the database's message may quote stored
 * values.
 */
public final class NativeSchema {
  /**
   * The Flyway placeholder the MariaDB/MySQL migrations name their text columns' collation by:
   * {@code utf8mb4_nopad_bin} on MariaDB, {@code utf8mb4_0900_bin} on MySQL 8. A host running the
   * migrations with its own tool sets it to one of these.
   */
  public static final String COLLATION_PLACEHOLDER = Migrations.COLLATION_PLACEHOLDER;

  /** The table Flyway records crmkit's migrations in. */
  public static final String HISTORY_TABLE = "crmkit_schema_history";

  private NativeSchema() {}

  /**
   * Applies the pending migrations for the data source's database, detected from its JDBC metadata.
   *
   * @param dataSource the host's data source; its connections need the right to create tables
   * @return the number of migrations applied (0 when the schema is current)
   * @throws ConfigurationException when the database is not H2, SQLite, PostgreSQL or MariaDB/MySQL
   *     (the message lists the supported ones), when it compares text case-insensitively (H2 with
   *     {@code IGNORECASE=TRUE} or a {@code COLLATION}), or when a migration fails
   * @throws dev.crmkit.error.ApiConnectionException when no connection can be opened
   */
  public static int migrate(DataSource dataSource) {
    return Migrations.migrate(dataSource, "db/crmkit", HISTORY_TABLE, NativeSchema.class.getClassLoader(),
        "native store");
  }

  /**
   * Applies another crmkit module's pending migrations the way {@link #migrate(DataSource)} applies the
   * native store's: on one connection, the dialect detected from its metadata, strict SQL mode and the
   * {@value #COLLATION_PLACEHOLDER} placeholder on MariaDB/MySQL, recorded in a history table of its
   * own. For crmkit's own modules (the integrations layer runs it after {@link #migrate(DataSource)}).
   *
   * @param dataSource the host's data source; its connections need the right to create tables
   * @param location the classpath folder holding one folder of migrations per dialect ({@code h2},
   *     {@code sqlite}, {@code postgresql}, {@code mariadb}), such as {@code "db/crmkit/integrations"}
   * @param historyTable the table Flyway records these migrations in; not {@value #HISTORY_TABLE}
   * @param classLoader the class loader that sees the migrations
   * @return the number of migrations applied (0 when the schema is current)
   * @throws ConfigurationException as {@link #migrate(DataSource)}
   * @throws NullPointerException naming the argument that is null
   * @throws IllegalArgumentException naming {@code historyTable} when it is the native store's
   */
  public static int migrate(DataSource dataSource, String location, String historyTable, ClassLoader classLoader) {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(historyTable, "historyTable");
    Objects.requireNonNull(classLoader, "classLoader");
    if (historyTable.equalsIgnoreCase(HISTORY_TABLE)) {
      throw new IllegalArgumentException("historyTable must not be the native store's " + HISTORY_TABLE);
    }
    return Migrations.migrate(dataSource, location, historyTable, classLoader, location);
  }

  /**
   * The data source's dialect, after checking that it compares text exactly.
   *
   * @throws ConfigurationException when the database is unsupported or folds case (H2's IGNORECASE)
   */
  static Dialect dialect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.of(c.getMetaData());
      dialect.requireExactComparison(c);
      return dialect;
    } catch (SQLException e) {
      throw Jdbc.translate(e);
    }
  }
}
