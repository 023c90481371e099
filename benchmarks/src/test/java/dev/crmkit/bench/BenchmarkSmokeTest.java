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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each workload on H2 with 200 rows and checks that crmkit and the hand-written baseline store the same data. */
class BenchmarkSmokeTest {
  private static final Path DATA = Path.of("../../shared/data");

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
  void bulkImportStoresTheSameCustomersTagsAndFieldsOnBothSides() throws Exception {
    Workloads.Run c = Workloads.crmkitImport(db.dataSource(), "smoke-import-c", drafts);
    Workloads.Run b = Workloads.baselineImport(db.dataSource(), "h2", "smoke-import-b", drafts);

    assertThat(c.tally()).containsEntry("created", 200L);
    assertThat(b.tally()).containsEntry("upserted", 200L);
    assertThat(db.count("crm_customers", "smoke-import-c")).isEqualTo(200L)
        .isEqualTo(db.count("bench_customers", "smoke-import-b"));
    assertThat(db.count("crm_customer_tags", "smoke-import-c")).isEqualTo(400L)
        .isEqualTo(db.count("bench_customer_tags", "smoke-import-b"));
    assertThat(db.count("crm_customer_fields", "smoke-import-c")).isEqualTo(200L)
        .isEqualTo(db.count("bench_customer_fields", "smoke-import-b"));
  }

  @Test
  void baselineImportRunTwiceUpdatesInPlace() throws Exception {
    Workloads.baselineImport(db.dataSource(), "h2", "smoke-reimport", drafts);
    Workloads.baselineImport(db.dataSource(), "h2", "smoke-reimport", drafts);

    assertThat(db.count("bench_customers", "smoke-reimport")).isEqualTo(200L);
    assertThat(db.count("bench_customer_tags", "smoke-reimport")).isEqualTo(400L);
    assertThat(db.count("bench_customer_fields", "smoke-reimport")).isEqualTo(200L);
  }

  @Test
  void firstContactHasTheSameOutcomesAndRowsOnBothSidesAtEachThreadCount() throws Exception {
    List<Workloads.Run> c = Workloads.crmkitFirstContact(db.dataSource(), db.dataSource(), "smoke-fc-c", drafts, 150);
    List<Workloads.Run> b = Workloads.baselineFirstContact(db.dataSource(), db.dataSource(), "h2", "smoke-fc-b",
        drafts, 150);

    assertThat(c).hasSize(Workloads.THREADS.size());
    long created = 0;
    long logged = 0;
    for (int k = 0; k < c.size(); k++) {
      assertThat(c.get(k).tally()).isEqualTo(b.get(k).tally()).containsKeys("MATCHED", "CREATED", "DUPLICATE");
      created += c.get(k).tally().get("CREATED");
      logged += c.get(k).tally().get("MATCHED") + c.get(k).tally().get("CREATED");
    }
    assertThat(db.count("crm_customers", "smoke-fc-c")).isEqualTo(200L + created)
        .isEqualTo(db.count("bench_customers", "smoke-fc-b"));
    assertThat(db.count("crm_activities", "smoke-fc-c")).isEqualTo(logged)
        .isEqualTo(db.count("bench_activities", "smoke-fc-b"));
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
}
