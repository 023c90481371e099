package dev.crmkit.jdbc.internal;

import dev.crmkit.error.ConfigurationException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * Runs one set of crmkit's Flyway migrations ({@code classpath:<root>/<dialect>/}) on one connection of
 * the host's data source: detection, Flyway's lock and the migrations, so a pool of one connection
 * suffices. On MariaDB/MySQL the session gets strict SQL mode first and the migrations get the binary
 * NO PAD collation as the {@value #COLLATION_PLACEHOLDER} placeholder. Shared by
 * {@code dev.crmkit.jdbc.NativeSchema} and the integrations layer's schema, each with its own history table.
 */
public final class Migrations {
  /** The Flyway placeholder the MariaDB/MySQL migrations name their text columns' collation by. */
  public static final String COLLATION_PLACEHOLDER = "crmkit_nopad_collation";

  private Migrations() {}

  /**
   * Applies the pending migrations under {@code root} for the data source's dialect.
   *
   * @param dataSource the host's data source
   * @param root the classpath folder holding one folder per dialect, such as {@code db/crmkit}
   * @param historyTable the table Flyway records these migrations in
   * @param loader the class loader that sees the migrations
   * @param what what is migrated, for messages, such as {@code "native store"}
   * @return the number of migrations applied
   * @throws ConfigurationException when the database is unsupported or folds case, or a migration fails
   *     (by SQLState and vendor code only: the database's message may quote stored values)
   */
  public static int migrate(DataSource dataSource, String root, String historyTable, ClassLoader loader, String what) {
    Objects.requireNonNull(dataSource, "dataSource");
    try (Connection c = dataSource.getConnection()) {
      Dialect dialect = Dialect.of(c.getMetaData());
      boolean autoCommit = c.getAutoCommit();
      try {
        return migrate(c, dialect, root, historyTable, loader, what);
      } finally {
        if (c.getAutoCommit() != autoCommit) {
          c.setAutoCommit(autoCommit);
        }
      }
    } catch (SQLException e) {
      throw Jdbc.translate(e);
    }
  }

  private static int migrate(Connection c, Dialect dialect, String root, String historyTable, ClassLoader loader,
      String what) throws SQLException {
    String collation = dialect.noPadBinaryCollation(c.getMetaData());
    dialect.requireExactComparison(c);
    dialect.prepareSession(c);
    Map<String, String> placeholders = new HashMap<>();
    if (collation != null) {
      placeholders.put(COLLATION_PLACEHOLDER, collation);
    }
    try {
      return Flyway.configure(loader)
          .dataSource(new BorrowedConnectionDataSource(c))
          .locations("classpath:" + root + "/" + dialect.folder())
          .table(historyTable)
          .baselineOnMigrate(true)
          .baselineVersion("0")
          .placeholders(placeholders)
          .load()
          .migrate()
          .migrationsExecuted;
    } catch (FlywayException e) {
      throw failed(e, what);
    }
  }

  /**
   * Flyway's own message when the failure is Flyway's (a changed checksum, a newer schema); when a
   * statement failed, only its SQLState and vendor code: the database's message may quote stored values.
   */
  private static ConfigurationException failed(FlywayException e, String what) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        WithheldSQLException cause = WithheldSQLException.of(s);
        return new ConfigurationException(what + ": migrating the schema failed: a statement failed with "
            + "SQLState " + s.getSQLState() + ", vendor code " + s.getErrorCode()
            + " (database message withheld: it may contain stored values)", cause);
      }
    }
    return new ConfigurationException(what + ": migrating the schema failed: " + e.getMessage(), e);
  }
}
