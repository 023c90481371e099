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
  void pushesBothSizesTheBaselineAndTheBulkPathAndPullsTheLargeSizeThroughTheChangeFeedInAChildJvm() throws Exception {
    List<CustomerDraft> base = Dataset.load(DATA, 300).subList(0, 300);
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Map<String, Object> r = SalesforceMain.run(base, 1000, 2000, 200, "256m", true, 500, dir,
        new PrintStream(log, true, StandardCharsets.UTF_8));
    String md = SalesforceMain.markdown(LocalDate.of(2026, 1, 1), r);
    System.out.print(md);

    List<Map<String, Object>> pushes = (List<Map<String, Object>>) r.get("pushes");
    assertThat(pushes).extracting(p -> p.get("records")).containsExactly(1000, 1000, 200, 2000, 2000);
    assertThat(pushes).allSatisfy(p -> assertThat(p.get("failedRecords")).isEqualTo(0L));
    // the Collections rows stay on Collections although bulkWrite gets more than the Bulk row's threshold
    assertThat(pushes.subList(0, 4)).allSatisfy(p -> {
      assertThat(p.get("bulkApiRequests")).isEqualTo(0L);
      assertThat(p.get("bulkApiJobs")).isEqualTo(0L);
    });
    // one bulkWrite of 1,000 (300 companies): 1 read of /limits (the daily budget), 1 describe, then composite
    // calls for the Account names, the Account creates, the Contacts and the read-back
    assertThat(pushes.get(0).get("calls")).isEqualTo(6L);
    assertThat(((Map<String, Long>) pushes.get(0).get("callsByEndpoint")).get("POST /services/data/vXX.X/composite"))
        .isEqualTo(4L);
    assertThat(pushes.get(0).get("dailyApiUsage")).isEqualTo(6L);
    // the large size's second half finds its companies in the cache: 1 limits + 1 describe + 4 + 2
    assertThat(pushes.get(3).get("calls")).isEqualTo(8L);
    assertThat((long) pushes.get(1).get("calls")).isGreaterThan((long) pushes.get(0).get("calls"));
    Map<String, Long> baselineCalls = (Map<String, Long>) pushes.get(2).get("callsByEndpoint");
    assertThat(baselineCalls.get("POST /services/data/vXX.X/sobjects/{sObject}")).isGreaterThan(200L);
    assertThat((long) pushes.get(2).get("calls")).isEqualTo((long) pushes.get(2).get("dailyApiUsage"));
    // the Bulk row: one bulkWrite of 2,000 above the threshold of 500: one ingest job, no per-record call, no
    // standalone query (Accounts and the read-back go through composite calls)
    Map<String, Object> bulk = pushes.get(4);
    assertThat(bulk.get("bulkApiJobs")).isEqualTo(1L);
    // 1 limits + 1 describe + 2 composite (Account names, Account creates) + 8 for the job (create, upload,
    // close, 2 polls, 3 result files) + 2 composite for the read-back
    assertThat(bulk.get("calls")).isEqualTo(14L);
    Map<String, Long> bulkCalls = (Map<String, Long>) bulk.get("callsByEndpoint");
    assertThat(bulkCalls.get("PUT /services/data/vXX.X/jobs/ingest/{jobId}/batches")).isEqualTo(1L);
    assertThat(bulkCalls).doesNotContainKeys("POST /services/data/vXX.X/sobjects/{sObject}",
        "GET /services/data/vXX.X/query", "GET /services/data/vXX.X/sobjects/{sObject}/{id}");
    Map<String, Long> bulkSubrequests = (Map<String, Long>) bulk.get("compositeSubrequestsByEndpoint");
    // the collections are the 299 Accounts' creates (two of at most 200); the Contacts go through the job
    assertThat(bulkSubrequests.get("POST /services/data/vXX.X/composite/sobjects")).isEqualTo(2L);
    // 2,000 read back in queries of 300: seven, in two composite calls (beside the Account name queries)
    assertThat(bulkSubrequests.get("GET /services/data/vXX.X/query")).isGreaterThanOrEqualTo(7L);
    assertThat(bulkCalls.get("POST /services/data/vXX.X/composite")).isEqualTo(4L);
    Map<String, Object> goals = (Map<String, Object>) r.get("goals");
    assertThat(goals.get("bulkPathMeasured")).isEqualTo(true);
    assertThat(goals.get("bulkJobs")).isEqualTo(1L);
    Map<String, Object> pull = (Map<String, Object>) r.get("fullPull");
    assertThat(pull.get("completed")).isEqualTo(true);
    assertThat(pull.get("forked")).isEqualTo(true);
    assertThat(pull.get("pulled")).isEqualTo(2000);
    assertThat((int) pull.get("pages")).isBetween(2, 3);
    assertThat(((Map<String, Long>) pull.get("callsByEndpoint")).get("GET /services/data/vXX.X/queryAll"))
        .isBetween(2L, 3L);
    assertThat((double) pull.get("peakHeapUsedMiB")).isPositive();
    assertThat(pull.get("distinctCustomers")).isEqualTo(2000);
    assertThat(pull.get("searchPulled")).isEqualTo(2000);
    assertThat(pull.get("searchPages")).isEqualTo(2);
    assertThat(md).contains("| crmkit bulkWrite, 1000 per call (= sync engine with pageSize and remoteBatchSize 1000)"
            + " | 1,000 |")
        .contains("Full pull of 2,000 customers")
        .contains("completed true")
        .contains("| crmkit bulkWrite through Bulk API 2.0, one call of all writes | 2,000 | 2000 |")
        .contains("the Bulk 2.0 path for the large size: measured, 1 job(s)");
  }
}
