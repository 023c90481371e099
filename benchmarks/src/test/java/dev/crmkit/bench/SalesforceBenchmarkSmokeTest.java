package dev.crmkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.CustomerDraft;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the Salesforce benchmark with small numbers, the pull in a child JVM, and checks what it reports. */
class SalesforceBenchmarkSmokeTest {
  private static final Path DATA = Path.of("../../shared/data");

  @TempDir
  Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void pushesBothSizesAndTheBaselineAndPullsTheLargeSizeInAChildJvm() throws Exception {
    List<CustomerDraft> base = Dataset.load(DATA, 300).subList(0, 300);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Map<String, Object> r = SalesforceMain.run(base, 1000, 2000, 200, "256m", true, dir,
        new PrintStream(log, true, StandardCharsets.UTF_8));

    List<Map<String, Object>> pushes = (List<Map<String, Object>>) r.get("pushes");
    assertThat(pushes).extracting(p -> p.get("records")).containsExactly(1000, 1000, 200, 2000);
    assertThat(pushes).allSatisfy(p -> {
      assertThat(p.get("failedRecords")).isEqualTo(0L);
      assertThat(p.get("bulkApiRequests")).isEqualTo(0L);
    });
    // one bulkWrite of 1,000 (300 companies): 1 describe, then composite calls for the Account names, the
    // Account creates, the Contacts and the read-back
    assertThat(pushes.get(0).get("calls")).isEqualTo(5L);
    assertThat(((Map<String, Long>) pushes.get(0).get("callsByEndpoint")).get("POST /services/data/vXX.X/composite"))
        .isEqualTo(4L);
    assertThat(pushes.get(0).get("dailyApiUsage")).isEqualTo(5L);
    // the large size's second half finds its companies in the cache: 1 describe + 4 + 2
    assertThat(pushes.get(3).get("calls")).isEqualTo(7L);
    assertThat((long) pushes.get(1).get("calls")).isGreaterThan((long) pushes.get(0).get("calls"));
    Map<String, Long> baselineCalls = (Map<String, Long>) pushes.get(2).get("callsByEndpoint");
    assertThat(baselineCalls.get("POST /services/data/vXX.X/sobjects/{sObject}")).isGreaterThan(200L);
    assertThat((long) pushes.get(2).get("calls")).isEqualTo((long) pushes.get(2).get("dailyApiUsage"));
    Map<String, Object> pull = (Map<String, Object>) r.get("fullPull");
    assertThat(pull.get("completed")).isEqualTo(true);
    assertThat(pull.get("forked")).isEqualTo(true);
    assertThat(pull.get("pulled")).isEqualTo(2000);
    assertThat(pull.get("pages")).isEqualTo(2);
    assertThat((double) pull.get("peakHeapUsedMiB")).isPositive();
    String md = SalesforceMain.markdown(LocalDate.of(2026, 1, 1), r);
    System.out.print(md);
    assertThat(md).contains("| crmkit bulkWrite, 1000 per call | 1,000 |").contains("Full pull of 2,000 customers")
        .contains("completed true");
  }
}
