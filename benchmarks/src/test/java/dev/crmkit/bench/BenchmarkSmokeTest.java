package dev.crmkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.internal.BenchDatabase;
import dev.crmkit.bench.internal.Workloads;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.InboundMessage;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each workload on H2 with 200 rows and checks that crmkit and the baseline do the same work. */
class BenchmarkSmokeTest {
  private static final Path DATA = Path.of("../../shared/data");
  private static final List<String> TABLES = List.of("crm_customers", "crm_customer_tags", "crm_customer_fields",
      "crm_activities", "crm_activity_metadata");

  @TempDir
  static Path dir;
  private static BenchDatabase db;
  private static List<CustomerDraft> drafts;

  @BeforeAll
  static void open() throws Exception {
    db = BenchDatabase.h2(dir);
    drafts = Dataset.load(DATA, 100);
  }

  @AfterAll
  static void close() {
    db.close();
  }

  @Test
  void datasetReadsBothFilesIntoDraftsWithTagsAndACustomField() {
    assertThat(drafts).hasSize(200);
    assertThat(drafts.get(0).address().city()).isNotNull();
    assertThat(drafts.get(0).tags()).contains("import", "source:customers");
    assertThat(drafts.get(0).customFields()).containsKey("customerId");
    assertThat(drafts.get(150).tags()).contains("import");
    assertThat(drafts.get(150).customFields()).containsKey("accountId");
  }

  @Test
  void bulkImportLeavesTheSameRowsOnBothSidesAndIssuesTheSameStatements() throws Exception {
    StatementCounts crmkit = new StatementCounts();
    StatementCounts baseline = new StatementCounts();
    Workloads.Run c = Workloads.crmkitImport(crmkit.wrap(db.dataSource()), "smoke-import-c", drafts);
    Workloads.Run b = Workloads.baselineImport(baseline.wrap(db.dataSource()), "smoke-import-b", drafts);

    assertThat(c.tally()).isEqualTo(b.tally()).containsEntry("created", 200L);
    assertThat(rows("smoke-import-c")).isEqualTo(rows("smoke-import-b"))
        .containsEntry("crm_customers", 200L).containsEntry("crm_customer_tags", 400L);
    assertSameStatements(crmkit, baseline);
  }

  @Test
  void firstContactLeavesTheSameRowsOnBothSidesAndIssuesTheSameStatements() throws Exception {
    StatementCounts crmkit = new StatementCounts();
    StatementCounts baseline = new StatementCounts();
    Workloads.Run c = Workloads.crmkitFirstContact(db.dataSource(), crmkit.wrap(db.dataSource()), "smoke-fc-c",
        drafts, 200);
    Workloads.Run b = Workloads.baselineFirstContact(db.dataSource(), baseline.wrap(db.dataSource()), "smoke-fc-b",
        drafts, 200);

    assertThat(c.tally()).isEqualTo(b.tally()).containsKeys("MATCHED", "CREATED", "DUPLICATE");
    Map<String, Long> rows = rows("smoke-fc-c");
    assertThat(rows).isEqualTo(rows("smoke-fc-b"));
    assertThat(rows.get("crm_activities")).isEqualTo(c.tally().get("MATCHED") + c.tally().get("CREATED"));
    assertThat(rows.get("crm_customers")).isEqualTo(200L + c.tally().get("CREATED"));
    assertSameStatements(crmkit, baseline);
  }

  @Test
  void messageStreamIsDeterministicAndMixesKnownNewAndRedeliveredSenders() {
    PhoneNumbers phones = PhoneNumbers.forRegion("US");
    List<InboundMessage> a = MessageStream.generate("t", drafts, phones, 500, 7);
    List<InboundMessage> b = MessageStream.generate("t", drafts, phones, 500, 7);

    assertThat(a).isEqualTo(b);
    long redeliveries = a.size() - a.stream().map(InboundMessage::messageId).distinct().count();
    assertThat(redeliveries).isBetween(25L, 80L);
    var known = new HashSet<String>();
    drafts.forEach(d -> known.add(phones.matchKey(d.phone())));
    long fromKnown = a.stream().filter(m -> known.contains(phones.matchKey(m.from()))).count();
    assertThat(fromKnown).isBetween(300L, 400L);
    assertThat(a.stream().filter(m -> known.contains(phones.matchKey(m.from())))
        .filter(m -> drafts.stream().anyMatch(d -> m.from().equals(d.phone())))).isEmpty();
  }

  @Test
  void reformatKeepsTheMatchKeyButChangesTheSpelling() {
    PhoneNumbers phones = PhoneNumbers.forRegion("US");
    String reformatted = MessageStream.reformat("274.188.8773x41185", phones, 0);

    assertThat(reformatted).isNotEqualTo("274.188.8773x41185");
    assertThat(phones.matchKey(reformatted)).isEqualTo(phones.matchKey("274.188.8773x41185"));
  }

  @Test
  void statementKindsNameTheVerbAndTable() {
    assertThat(StatementCounts.kindOf("SELECT last_seq FROM crm_change_counters WHERE tenant_id = ? FOR UPDATE"))
        .isEqualTo("SELECT FOR UPDATE crm_change_counters");
    assertThat(StatementCounts.kindOf("INSERT INTO crm_customer_tags (tenant_id) VALUES (?)"))
        .isEqualTo("INSERT crm_customer_tags");
    assertThat(StatementCounts.kindOf("UPDATE crm_customers SET x = ?")).isEqualTo("UPDATE crm_customers");
  }

  @Test
  void badSettingsAreRejectedNamingTheValue() {
    assertThatThrownBy(() -> Dataset.load(DATA, 0)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("perFile");
    assertThatThrownBy(() -> MessageStream.generate("t", drafts, PhoneNumbers.forRegion("US"), 0, 1))
        .isInstanceOf(ValidationException.class).hasMessageContaining("count");
    assertThatThrownBy(() -> Main.main(new String[] {"--rounds", "zero"})).isInstanceOf(ValidationException.class)
        .hasMessageContaining("--rounds").hasMessageContaining("zero");
    assertThatThrownBy(() -> Main.main(new String[] {"--databases", "oracle"}))
        .isInstanceOf(ValidationException.class).hasMessageContaining("oracle");
  }

  private static void assertSameStatements(StatementCounts crmkit, StatementCounts baseline) {
    assertThat(crmkit.statements()).isEqualTo(baseline.statements());
    assertThat(crmkit.batches()).isEqualTo(baseline.batches());
    assertThat(crmkit.batchedRows()).isEqualTo(baseline.batchedRows());
    assertThat(crmkit.commits()).isEqualTo(baseline.commits());
    assertThat(crmkit.connections()).isEqualTo(baseline.connections() + 1);
  }

  private static Map<String, Long> rows(String tenantId) throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (String t : TABLES) {
      out.put(t, db.count(t, tenantId));
    }
    return out;
  }
}
