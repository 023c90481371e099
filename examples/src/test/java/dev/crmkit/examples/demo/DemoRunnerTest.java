package dev.crmkit.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.examples.cli.StoreSession;
import dev.crmkit.examples.imports.CsvKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoRunnerTest {

  @Test
  void runsTheDemoOnTheBundledSamplesInAFreshH2FileDatabase(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.resolve("crmkit").toAbsolutePath() + ";AUTO_SERVER=FALSE";
    DemoReport report;
    try (StoreSession session = StoreSession.open(url, null, null, "demo-test", "US")) {
      report = DemoRunner.builder().progress(false).build().run(session.system());
    }

    assertThat(report.tenantId()).isEqualTo("demo-test");
    assertThat(report.imports()).extracting(DemoReport.ImportSummary::kind)
        .containsExactly(CsvKind.CUSTOMERS, CsvKind.LEADS, CsvKind.CUSTOMERS);
    assertThat(report.rowsRead()).isEqualTo(2_013);
    DemoReport.ImportSummary messy = report.imports().get(2);
    assertThat(messy.created()).isEqualTo(10);
    assertThat(messy.rejected()).isEqualTo(3);
    assertThat(messy.rejectedByReason()).containsOnlyKeys("missing name", "wrong field count", "broken quoting");
    assertThat(messy.warningsByReason()).containsKeys("invalid email", "invalid phone", "invalid date",
        "value in wrong column");
    assertThat(report.rowsRejected()).isEqualTo(3);
    DemoReport.ImportSummary customers = report.imports().get(0);
    assertThat(customers.created() + customers.updated()).isEqualTo(1_000);
    assertThat(customers.warningsByReason()).containsEntry("phone kept as typed", 1L);
    DemoReport.ImportSummary leads = report.imports().get(1);
    assertThat(leads.created() + leads.updated()).isEqualTo(1_000);
    assertThat(leads.notes()).isEqualTo(1_000);
    assertThat(leads.activities()).isEqualTo(1_000);

    DemoReport.MessageSummary m = report.messages();
    assertThat(m.total()).isEqualTo(2_000);
    assertThat(m.unexpected()).isZero();
    assertThat(m.matched() + m.created() + m.duplicates() + m.rejected()).isEqualTo(2_000);
    assertThat(m.matched()).isGreaterThan(500);
    assertThat(m.created()).isGreaterThan(300);
    assertThat(m.duplicates()).isGreaterThan(100);
    assertThat(m.rejected()).isGreaterThan(0);
    assertThat(m.rejectedExamples()).isNotEmpty().allSatisfy(e -> assertThat(e).contains("from"));

    assertThat(report.duplicates().groupsFound()).isGreaterThan(0);
    assertThat(report.duplicates().groupsByReason()).containsKey("email");
    assertThat(report.duplicates().customersMerged()).isGreaterThan(0);
    assertThat(report.duplicates().mergeFailures()).isZero();
    assertThat(report.steps()).hasSize(5);
    assertThat(report.render()).contains("tenant demo-test", "2000 total", "customers merged", "overall");
  }

  @Test
  void replaysTheSameOutcomesOnAnotherFreshTenant(@TempDir Path dir) {
    String url = "jdbc:h2:file:" + dir.resolve("crmkit").toAbsolutePath() + ";AUTO_SERVER=FALSE";
    DemoRunner runner = DemoRunner.builder().progress(false).messages(300).build();
    DemoReport first;
    DemoReport second;
    try (StoreSession a = StoreSession.open(url, null, null, "tenant-a", "US")) {
      first = runner.run(a.system());
    }
    try (StoreSession b = StoreSession.open(url, null, null, "tenant-b", "US")) {
      second = runner.run(b.system());
    }

    assertThat(second.messages()).isEqualTo(first.messages());
    assertThat(second.duplicates()).isEqualTo(first.duplicates());
  }

  @Test
  void rejectsANegativeMessageCountAndAnUnknownRegion() {
    assertThatThrownBy(() -> DemoRunner.builder().messages(-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("messages must be 0 or more: -5");
    assertThatThrownBy(() -> DemoRunner.builder().region("ZZ"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("region").hasMessageContaining("'ZZ'");
    assertThatThrownBy(() -> DemoRunner.builder().customers(null)).isInstanceOf(NullPointerException.class).hasMessage("customers");
    assertThat(DemoRunner.builder().messages(0)).isNotNull();
  }
}
