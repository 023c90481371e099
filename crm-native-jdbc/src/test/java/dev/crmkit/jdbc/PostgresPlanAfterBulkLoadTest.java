package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.CustomerDraft;
import dev.crmkit.identity.PhoneNumbers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Right after a bulk load PostgreSQL has no statistics unless the store refreshes them, and then plans
 * a key lookup through {@code (tenant_id, segment, id)}, reading every row of the tenant (2 ms a
 * lookup at 20,000 customers, against 0.025 ms by the key's index), which made imports and first
 * contact quadratic. These tests read the plan of the store's key lookups at once after an import.
 */
class PostgresPlanAfterBulkLoadTest {
  private static final String TENANT = "plan";
  private static final int CUSTOMERS = 5_000;
  private static DataSource dataSource;

  @BeforeAll
  static void loadInOneImport() {
    dataSource = ServerDatabases.postgres("crmkit_plan_test");
    NativeSchema.migrate(dataSource);
    NativeCustomerSystem system = NativeCustomerSystem.open(dataSource, TENANT, Clock.systemUTC(),
        PhoneNumbers.forRegion("US"));
    List<CustomerDraft> drafts = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      drafts.add(CustomerDraft.builder().firstName("P" + i).email("p" + i + "@plan.example")
          .phone(String.format(Locale.ROOT, "+1 212-%03d-%04d", 200 + i / 10_000, i % 10_000))
          .tag("import").customField("row", String.valueOf(i)).build());
    }
    for (int i = 0; i < drafts.size(); i += 1_000) {
      system.upsert(drafts.subList(i, i + 1_000));
    }
  }

  @Test
  void aLookupByEmailRightAfterABulkLoadUsesTheEmailKeyIndex() throws Exception {
    assertThat(plan("SELECT id FROM crm_customers WHERE tenant_id = ? AND email_key = ?", "p4321@plan.example"))
        .contains("crm_customers_email_key").doesNotContain("crm_customers_segment");
  }

  @Test
  void aLookupByPhoneRightAfterABulkLoadUsesThePhoneKeyIndex() throws Exception {
    assertThat(plan("SELECT id FROM crm_customers WHERE tenant_id = ? AND phone_key = ?", "+12122004321"))
        .contains("crm_customers_phone_key").doesNotContain("crm_customers_segment");
  }

  @Test
  void aChunkLookupOfManyEmailsRightAfterABulkLoadUsesTheEmailKeyIndex() throws Exception {
    assertThat(plan("SELECT email_key, id FROM crm_customers WHERE tenant_id = ? AND email_key IN (?, ?, ?)",
        "p1@plan.example", "p2@plan.example", "p3@plan.example"))
        .contains("crm_customers_email_key").doesNotContain("crm_customers_segment");
  }

  private static String plan(String sql, String... keys) throws Exception {
    StringBuilder out = new StringBuilder();
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("EXPLAIN " + sql)) {
      ps.setString(1, TENANT);
      for (int i = 0; i < keys.length; i++) {
        ps.setString(i + 2, keys[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.append(rs.getString(1)).append('\n');
        }
      }
    }
    return out.toString();
  }
}
