package dev.crmkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.examples.Crmkit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CrmkitCliTest {
  @TempDir Path dir;
  private String url;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeEach
  void database() {
    url = "jdbc:h2:file:" + dir.resolve("crmkit").toAbsolutePath() + ";AUTO_SERVER=FALSE";
  }

  private int run(String... args) {
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private static String fixture(String name) throws URISyntaxException {
    return Path.of(CrmkitCliTest.class.getResource("/csv/" + name).toURI()).toString();
  }

  @Test
  void importsALeadsFileThenFindsALeadByPhoneAndEmailWithNotesAndActivities() throws Exception {
    assertThat(run("import", fixture("leads_small.csv"), "--jdbc-url", url, "--tenant", "cli")).isZero();
    assertThat(out.toString()).contains("leads_small.csv (leads) into tenant cli: 2 rows read, 2 created");

    assertThat(run("find", "--phone", "+1 (980) 200-5297", "--jdbc-url", url, "--tenant", "cli")).isZero();
    assertThat(out.toString()).contains("Jaime Hayes", "stage:Closed Won", "Met at the fair", "Deal stage: Closed Won",
        "leadOwner: Selena Doyle");

    assertThat(run("find", "--email", "ARIEL63@example.org", "--jdbc-url", url, "--tenant", "cli")).isZero();
    assertThat(out.toString()).contains("Cody Salinas");
  }

  @Test
  void runsTheDemoOnASqliteFileWhereWritersQueueForTheLock() {
    String sqlite = "jdbc:sqlite:" + dir.resolve("crm.db").toAbsolutePath();

    assertThat(run("demo", "--no-progress", "--messages", "300", "--jdbc-url", sqlite, "--tenant", "lite")).isZero();

    assertThat(out.toString()).contains("tenant lite", "1000 created", "300 total", "customers merged");
    assertThat(err.toString()).doesNotContain("SQLITE_BUSY");
  }

  @Test
  void listsEveryRejectedRowOfAnImportWithFileAndLine() throws Exception {
    assertThat(run("import", fixture("customers_bad_rows.csv"), "--kind", "customers", "--jdbc-url", url)).isZero();

    assertThat(out.toString()).contains("13 rows read, 5 created, 0 updated, 8 rejected",
        "customers_bad_rows.csv:7: column 'Phone 1' value 'donald@example.org'",
        "rejected, wrong field count: 1");
  }

  @Test
  void printsStatsThroughTheSpi() throws Exception {
    run("import", fixture("leads_small.csv"), "--jdbc-url", url, "--tenant", "cli");

    assertThat(run("stats", "--jdbc-url", url, "--tenant", "cli")).isZero();
    assertThat(out.toString()).contains("customers: 2 live, 0 deleted", "notes: 1, activities: 2", "lead ");
  }

  @Test
  void reportsAnUnknownCustomerWithExitCodeOne() {
    assertThat(run("find", "--email", "nobody@example.org", "--jdbc-url", url)).isEqualTo(1);
    assertThat(out.toString()).contains("no customer with email 'nobody@example.org' in tenant demo");
  }

  @Test
  void rejectsAnUnknownKindNamingItWithoutAStackTrace() throws Exception {
    assertThat(run("import", fixture("leads_small.csv"), "--kind", "orders", "--jdbc-url", url)).isEqualTo(1);
    assertThat(err.toString()).contains("kind 'orders'", "customers, leads or auto").doesNotContain("\tat ");
  }

  @Test
  void rejectsFindWithoutPhoneOrEmailAsBadUsage() {
    assertThat(run("find", "--jdbc-url", url)).isEqualTo(2);
    assertThat(err.toString()).contains("--phone", "--email");
  }

  @Test
  void runsTheDemoWithASmallMessageCountAndPrintsTheReport() {
    assertThat(run("demo", "--jdbc-url", url, "--tenant", "cli-demo", "--messages", "50", "--no-progress")).isZero();
    assertThat(out.toString()).contains("tenant cli-demo", "customers-1000.csv", "leads-1000.csv", "50 total",
        "Duplicates", "overall");
  }
}
