package dev.crmkit.integrations;

import dev.crmkit.jdbc.NativeSchema;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Installs and upgrades the integrations layer's tables ({@code crmkit_integration} and the others of
 * this module) with Flyway, after the native store's ({@link NativeSchema#migrate}), whose sync-state
 * tables the integrations' sync engines use.
 *
 * <p>Migrations live in {@code classpath:db/crmkit/integrations/<dialect>/} ({@code h2}, {@code sqlite},
 * {@code postgresql}, {@code mariadb}), named the Flyway way, so a host may run them with its own tool
 * (on MariaDB/MySQL setting the placeholder {@value NativeSchema#COLLATION_PLACEHOLDER} as
 * {@link NativeSchema} describes). crmkit records them in their own history table,
 * {@value #HISTORY_TABLE}. Stateless and thread-safe; Flyway serializes concurrent migrations.
 */
public final class IntegrationSchema {
  /** The table Flyway records the integrations layer's migrations in. */
  public static final String HISTORY_TABLE = "crmkit_integrations_schema_history";

  private IntegrationSchema() {}

  /**
   * Applies the native store's pending migrations, then this module's, on the data source's database.
   * Each takes one connection and does everything on it, so a pool of one connection suffices.
   *
   * @param dataSource the host's data source; its connections need the right to create tables
   * @return the number of this module's migrations applied (0 when current); the native store's are not counted
   * @throws dev.crmkit.error.ConfigurationException when the database is not H2, SQLite, PostgreSQL or
   *     MariaDB/MySQL, compares text case-insensitively, or a migration fails (by SQLState and vendor
   *     code only: the database's message may quote stored values)
   * @throws dev.crmkit.error.ApiConnectionException when no connection can be opened
   * @throws NullPointerException when {@code dataSource} is null
   */
  public static int migrate(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource");
    NativeSchema.migrate(dataSource);
    return NativeSchema.migrate(dataSource, "db/crmkit/integrations", HISTORY_TABLE,
        IntegrationSchema.class.getClassLoader());
  }
}
