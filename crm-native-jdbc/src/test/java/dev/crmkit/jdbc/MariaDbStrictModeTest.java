package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.CrmException;
import dev.crmkit.jdbc.internal.Dialect;
import dev.crmkit.jdbc.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * On a MariaDB server whose sessions start without strict mode, the store still refuses a value that
 * does not fit its column instead of truncating it. The server's global mode is left alone (other
 * builds share the server): the data source's URL starts each session non-strict, as such a server's
 * global setting would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MariaDbStrictModeTest {
  private static final String TOO_LONG_TAG = "t".repeat(101);

  private DataSource nonStrict;

  @BeforeAll
  void installSchemaOnANonStrictServer() {
    NativeSchema.migrate(ServerDatabases.mariadb("crmkit_strict"));
    nonStrict = ServerDatabases.mariadbSession("crmkit_strict", "sessionVariables=sql_mode=NO_ENGINE_SUBSTITUTION");
  }

  @Test
  void aSessionOfThisServerTruncatesSilentlyWhenLeftAlone() throws SQLException {
    try (Connection c = nonStrict.getConnection()) {
      assertThat(sqlMode(c)).doesNotContain("STRICT");
      insertTag(c, "t-lenient", TOO_LONG_TAG);
      assertThat(tags(c, "t-lenient")).containsExactly("t".repeat(100));
    }
  }

  @Test
  void theStoreRefusesAnOverLongValueInsteadOfTruncatingIt() throws SQLException {
    Jdbc jdbc = new Jdbc(nonStrict, Dialect.MARIADB);

    assertThatThrownBy(() -> jdbc.write(c -> {
      insertTag(c, "t-strict", TOO_LONG_TAG);
      return null;
    })).isInstanceOf(CrmException.class)
        .hasMessageContaining("INSERT on crm_customer_tags")
        .hasMessageContaining("SQLState 22001");
    String mode = jdbc.write(MariaDbStrictModeTest::sqlMode);
    assertThat(mode).contains("STRICT_ALL_TABLES", "NO_ZERO_DATE", "ERROR_FOR_DIVISION_BY_ZERO",
        "NO_ENGINE_SUBSTITUTION");
    try (Connection c = nonStrict.getConnection()) {
      assertThat(tags(c, "t-strict")).isEmpty();
    }
  }

  @Test
  void aReadSpendsNoRoundTripOnSessionSettingsAndAnAutoCommitWriteIsStrict() throws SQLException {
    Jdbc jdbc = new Jdbc(nonStrict, Dialect.MARIADB);

    // Each call takes a new physical connection here, so the mode seen is the one the call itself set.
    assertThat(jdbc.read(MariaDbStrictModeTest::sqlMode)).doesNotContain("STRICT");
    assertThat(jdbc.autoCommit(MariaDbStrictModeTest::sqlMode)).contains("STRICT_ALL_TABLES");
    assertThatThrownBy(() -> jdbc.autoCommit(c -> {
      insertTag(c, "t-strict-auto", TOO_LONG_TAG);
      return null;
    })).isInstanceOf(CrmException.class).hasMessageContaining("SQLState 22001");
    try (Connection c = nonStrict.getConnection()) {
      assertThat(tags(c, "t-strict-auto")).isEmpty();
    }
  }

  private static String sqlMode(Connection c) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT @@SESSION.sql_mode")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void insertTag(Connection c, String tenant, String tag) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_customer_tags (tenant_id, customer_id, tag) VALUES (?, 'c-1', ?)")) {
      ps.setString(1, tenant);
      ps.setString(2, tag);
      ps.executeUpdate();
    }
  }

  private static java.util.List<String> tags(Connection c, String tenant) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT tag FROM crm_customer_tags WHERE tenant_id = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        java.util.List<String> out = new java.util.ArrayList<>();
        while (rs.next()) {
          out.add(rs.getString(1));
        }
        return out;
      }
    }
  }
}
