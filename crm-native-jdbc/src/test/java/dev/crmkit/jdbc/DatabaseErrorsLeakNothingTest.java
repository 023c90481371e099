package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import dev.crmkit.jdbc.internal.Jdbc;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failed statement's error names the statement's kind and table, the SQLState and the vendor code,
 * and nothing the driver said: PostgreSQL's message quotes the conflicting key's values and, for a
 * batch, the whole statement with its bound values (here a customer's email). Checked on the message,
 * on every cause and suppressed exception, and on the printed stack trace a host's logger would write.
 */
class DatabaseErrorsLeakNothingTest {
  private static final String EMAIL = "secret.person@example.com";

  @TempDir
  Path dir;

  @Test
  void aUniqueViolationOnPostgresCarriesNoBoundValue() {
    uniqueViolationLeaksNothing(migrated(ServerDatabases.postgres("crmkit_errors")), Dialect.POSTGRESQL);
  }

  @Test
  void anOverflowInABatchOnPostgresCarriesNoBoundValue() {
    overflowLeaksNothing(migrated(ServerDatabases.postgres("crmkit_errors")), Dialect.POSTGRESQL, "22001");
  }

  @Test
  void aUniqueViolationOnMariaDbCarriesNoBoundValue() {
    uniqueViolationLeaksNothing(migrated(ServerDatabases.mariadb("crmkit_errors")), Dialect.MARIADB);
  }

  @Test
  void anOverflowInABatchOnMariaDbCarriesNoBoundValue() {
    overflowLeaksNothing(migrated(ServerDatabases.mariadb("crmkit_errors")), Dialect.MARIADB, "22001");
  }

  @Test
  void aUniqueViolationOnH2CarriesNoBoundValue() {
    uniqueViolationLeaksNothing(migrated(h2()), Dialect.H2);
  }

  @Test
  void anOverflowInABatchOnH2CarriesNoBoundValue() {
    overflowLeaksNothing(migrated(h2()), Dialect.H2, "22001");
  }

  @Test
  void aUniqueViolationOnSqliteCarriesNoBoundValue() {
    uniqueViolationLeaksNothing(migrated(new DriverManagerDataSource("jdbc:sqlite:" + dir.resolve("e.db"), null, null)),
        Dialect.SQLITE);
  }

  private DataSource h2() {
    return new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve("errors"), "sa", "");
  }

  private static DataSource migrated(DataSource ds) {
    NativeSchema.migrate(ds);
    return ds;
  }

  private static void uniqueViolationLeaksNothing(DataSource ds, Dialect dialect) {
    Jdbc jdbc = new Jdbc(ds, dialect);
    jdbc.write(c -> insertCustomer(c, "c-1", EMAIL));

    ConflictException e = catchThrowableOfType(ConflictException.class, () -> jdbc.write(c -> insertCustomer(c, "c-2", EMAIL)));

    assertThat(e.getMessage()).contains("INSERT on crm_customers").contains("SQLState");
    assertLeaksNothing(e);
  }

  private static void overflowLeaksNothing(DataSource ds, Dialect dialect, String state) {
    Jdbc jdbc = new Jdbc(ds, dialect);
    String tooLong = "x".repeat(300) + EMAIL;

    CrmException e = catchThrowableOfType(CrmException.class, () -> jdbc.write(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO crm_customer_tags (tenant_id, customer_id, tag) VALUES ('t', ?, ?)")) {
        ps.setString(1, "c-9");
        ps.setString(2, "short " + EMAIL);
        ps.addBatch();
        ps.setString(1, "c-10");
        ps.setString(2, tooLong);
        ps.addBatch();
        ps.executeBatch();
      }
      return null;
    }));

    assertThat(e.getMessage()).contains("INSERT on crm_customer_tags").contains("SQLState " + state);
    assertLeaksNothing(e);
  }

  private static int insertCustomer(Connection c, String id, String email) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_customers (tenant_id, id, email, email_key, segment, "
        + "total_orders, created_at, updated_at, created_seq, change_seq) VALUES ('t', ?, ?, ?, 'STANDARD', 0, 0, 0, 0, ?)")) {
      ps.setString(1, id);
      ps.setString(2, email);
      ps.setString(3, email);
      ps.setLong(4, id.hashCode());
      return ps.executeUpdate();
    }
  }

  private static void assertLeaksNothing(Throwable e) {
    StringWriter printed = new StringWriter();
    e.printStackTrace(new PrintWriter(printed));
    assertThat(printed.toString()).doesNotContain(EMAIL).doesNotContain("secret.person");
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain(EMAIL);
      for (Throwable s : t.getSuppressed()) {
        assertThat(String.valueOf(s.getMessage())).doesNotContain(EMAIL);
      }
      if (t instanceof SQLException sql) {
        assertThat((Object) sql.getNextException()).isNull();
      }
    }
  }
}
