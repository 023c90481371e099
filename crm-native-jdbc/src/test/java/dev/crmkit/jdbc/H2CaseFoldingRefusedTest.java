package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An H2 database that folds case would let tenant "ACME" read tenant "acme": the store refuses it,
 * whether the setting is in the URL or the tables were created under it earlier.
 */
class H2CaseFoldingRefusedTest {
  private static DataSource h2(String settings) {
    return new DriverManagerDataSource("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1" + settings, "sa", "");
  }

  @Test
  void migrateRefusesAnH2UrlWithIgnoreCase() {
    assertThatThrownBy(() -> NativeSchema.migrate(h2(";IGNORECASE=TRUE")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("IGNORECASE");
  }

  @Test
  void migrateRefusesAnH2DatabaseWithACollation() throws Exception {
    DataSource ds = h2("");
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("SET COLLATION ENGLISH STRENGTH PRIMARY");
    }
    assertThatThrownBy(() -> NativeSchema.migrate(ds))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("COLLATION");
  }

  @Test
  void openRefusesTablesCreatedCaseInsensitive() throws Exception {
    String name = "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    try (Connection c = new DriverManagerDataSource(name + ";IGNORECASE=TRUE", "sa", "").getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE crm_probe (tenant_id VARCHAR(128) PRIMARY KEY)");
      s.execute("SET IGNORECASE FALSE");
    }
    DataSource later = new DriverManagerDataSource(name, "sa", "");
    assertThatThrownBy(() -> NativeCustomerSystem.open(later, "acme", Clock.systemUTC(), PhoneNumbers.forRegion("US")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("VARCHAR_IGNORECASE");
  }
}
