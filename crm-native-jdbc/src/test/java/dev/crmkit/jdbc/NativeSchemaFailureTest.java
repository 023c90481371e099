package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A migration whose statement fails is reported by SQLState, without the database's message or the SQL. */
class NativeSchemaFailureTest {
  @Test
  void aFailedMigrationStatementIsReportedWithoutTheDatabasesMessage() throws Exception {
    DataSource ds = new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      // A host table in the way: H2's message and Flyway's would quote the failed statement.
      s.execute("CREATE TABLE crm_notes (id INT)");
    }

    ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> NativeSchema.migrate(ds));

    assertThat(e.getMessage()).contains("migrating the schema failed").contains("SQLState 42S01");
    StringWriter printed = new StringWriter();
    e.printStackTrace(new PrintWriter(printed));
    assertThat(printed.toString()).doesNotContain("CREATE TABLE").doesNotContain("CRM_NOTES")
        .doesNotContain("crm_notes");
  }
}
