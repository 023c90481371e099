package dev.crmkit.jdbc;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

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
 */
public final class NativeSchema {
  /** The table Flyway records crmkit's migrations in. */
  public static final String HISTORY_TABLE = "crmkit_schema_history";

  private NativeSchema() {}

  /**
   * Applies the pending migrations for the data source's database, detected from its JDBC metadata.
   *
   * @param dataSource the host's data source; its connections need the right to create tables
   * @return the number of migrations applied (0 when the schema is current)
   * @throws ConfigurationException when the database is not H2, SQLite, PostgreSQL or MariaDB/MySQL
   *     (the message lists the supported ones), or when a migration fails
   * @throws dev.crmkit.error.ApiConnectionException when no connection can be opened
   */
  public static int migrate(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    Dialect dialect = dialect(dataSource);
    try {
      return Flyway.configure(NativeSchema.class.getClassLoader())
          .dataSource(dataSource)
          .locations("classpath:db/crmkit/" + dialect.folder())
          .table(HISTORY_TABLE)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (FlywayException e) {
      throw new ConfigurationException("native store: migrating the schema failed: " + e.getMessage(), e);
    }
  }

  static Dialect dialect(DataSource dataSource) {
    try (Connection c = dataSource.getConnection()) {
      return Dialect.of(c.getMetaData());
    } catch (SQLException e) {
      throw Jdbc.translate(e);
    }
  }
}
