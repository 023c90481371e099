package dev.crmkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.examples.Crmkit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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

    assertThat(out.toString()).contains("13 rows read, 11 created, 0 updated, 2 rejected",
        "customers_bad_rows.csv:9: value '8,C8,Dennis",
        "rejected, wrong field count: 1", "warning, value in wrong column: 2");
  }

  @Test
  void listsEveryInstalledProviderWithCategoryFeaturesAuthAndSettings() {
    assertThat(run("providers")).isZero();

    assertThat(out.toString()).contains(
        "csv-file - CSV file (CRM)",
        "memory - In-memory store (CRM)",
        "native - Native store (host database) (CRM)",
        "hubspot - HubSpot (CRM)",
        "salesforce - Salesforce (CRM)",
        "  auth: API token (credential accessToken); OAuth 2.0 (authorize https://app.hubspot.com/oauth/authorize, "
            + "token https://api.hubapi.com/oauth/v1/token, scopes crm.objects.contacts.read crm.objects.contacts.write crm.objects.deals.read crm.objects.deals.write)",
        "    tenSecondlyLimit (setting, a whole number above 0, default 100): Requests per rolling 10 seconds",
        "    accessToken (credential, text): A private app's access token",
        "    path (setting, a file path, required): The CSV file",
        "    migrate (setting, true or false, default true): ",
        "  auth: none");
    assertThat(out.toString().indexOf("csv-file - ")).isLessThan(out.toString().indexOf("hubspot - "));
  }

  @Test
  void listsOneProviderByNameAndRefusesAnUnknownOne() {
    assertThat(run("providers", "hubspot")).isZero();
    assertThat(out.toString()).contains("hubspot - HubSpot (CRM)", "features: SEARCH, DELETE, MERGE")
        .doesNotContain("csv-file - ");

    assertThat(run("providers", "hubspott")).isEqualTo(1);
    assertThat(err.toString()).contains("no provider named 'hubspott'", "hubspot");
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

  @Test
  void importsAnExportWhosePhonesAreFragmentsWithoutLettingLaterPeopleOverwriteEarlierOnes() throws Exception {
    StringBuilder csv = new StringBuilder("Index,First Name,Last Name,Phone 1,Email\n");
    for (int i = 0; i < 10_000; i++) {
      String phone = i % 1_000 == 7 ? "-4940" : i % 1_000 == 8 ? "x4940" : String.format("+1 415 %03d %04d", 200 + i / 10_000, i);
      csv.append(i).append(",First").append(i).append(",Last").append(i).append(',').append(phone)
          .append(",person").append(i).append("@example.org\n");
    }
    Path file = dir.resolve("other-generator.csv");
    Files.writeString(file, csv);

    assertThat(run("import", file.toString(), "--jdbc-url", url, "--tenant", "frag", "--no-progress")).isZero();
    assertThat(out.toString()).contains("10000 rows read, 10000 created, 0 updated, 0 rejected");

    assertThat(run("find", "--email", "person9007@example.org", "--jdbc-url", url, "--tenant", "frag")).isZero();
    assertThat(out.toString()).contains("First9007 Last9007", "phone:    -4940");
    assertThat(run("find", "--email", "person7@example.org", "--jdbc-url", url, "--tenant", "frag")).isZero();
    assertThat(out.toString()).contains("First7 Last7");
  }

  @Test
  void showsEveryUpdateWithTheKeyItMatchedByAndCreatesASamePhoneOtherEmailRowAsADuplicateCandidate()
      throws Exception {
    Path file = dir.resolve("updates.csv");
    Files.writeString(file, """
        First Name,Last Name,Phone,Email
        Ada,Lovelace,415-555-0100,ada@example.org
        Ada,King,,ADA@example.org
        Ada,Byron,(415) 555-0100,
        Bea,Other,415.555.0100,bea@example.org
        """);

    assertThat(run("import", file.toString(), "--jdbc-url", url, "--tenant", "upd")).isZero();

    assertThat(out.toString()).contains("4 rows read, 2 created, 2 updated, 0 rejected",
        "updated, matched by email: 1", "updated, matched by phone: 1", "updates.csv:3: customer ",
        "created as duplicate candidates (same phone, other email): 1", "updates.csv:5: customer ");
    assertThat(run("find", "--email", "bea@example.org", "--jdbc-url", url, "--tenant", "upd")).isZero();
    assertThat(out.toString()).contains("Bea Other");
  }

  @Test
  void importsALeadsFileWithAnOverlongNoteRejectingOnlyThatLeadAndStoringNoneOfIt() throws Exception {
    Path file = dir.resolve("leads-long-note.csv");
    Files.writeString(file, "First Name,Last Name,Email 1,Deal Stage,Notes\n"
        + "Ada,Lovelace,ada@example.org,Closed Won,short note\n"
        + "Alan,Turing,alan@example.org,Negotiation," + "n".repeat(65_537) + "\n"
        + "Grace,Hopper,grace@example.org,Negotiation,\n");

    assertThat(run("import", file.toString(), "--jdbc-url", url, "--tenant", "notes")).isZero();

    assertThat(out.toString()).contains("3 rows read, 2 created, 0 updated, 1 rejected; 1 notes, 2 activities",
        "leads-long-note.csv:3: column 'Notes'");
    assertThat(run("find", "--email", "alan@example.org", "--jdbc-url", url, "--tenant", "notes")).isEqualTo(1);
    assertThat(run("find", "--email", "ada@example.org", "--jdbc-url", url, "--tenant", "notes")).isZero();
    assertThat(out.toString()).contains("short note", "Deal stage: Closed Won");
  }

  @Test
  void findsAnEmailPhoneOrCompanyFromARepeatedColumn() throws Exception {
    Path file = dir.resolve("repeated.csv");
    Files.writeString(file, """
        First Name,Email,Phone,Company,Email,Phone,Company
        Ada,ada@example.org,415-555-0100,Engines,ada@work.example,212-555-0111,Royal Society
        """);
    assertThat(run("import", file.toString(), "--jdbc-url", url, "--tenant", "rep")).isZero();
    assertThat(out.toString()).doesNotContain("unknown column");

    assertThat(run("find", "--email", "ADA@work.example", "--jdbc-url", url, "--tenant", "rep")).isZero();
    assertThat(run("find", "--phone", "(212) 555-0111", "--jdbc-url", url, "--tenant", "rep")).isZero();
    assertThat(run("find", "--company", "royal society", "--jdbc-url", url, "--tenant", "rep")).isZero();
    assertThat(out.toString().split("Ada  \\(", -1)).hasSize(4);
  }

  @Test
  void everyCommandTakesNoProgress() {
    for (String[] args : new String[][] {{"demo"}, {"sync-demo"}, {"import", "x.csv"}, {"find", "--email", "a@b.c"},
        {"stats"}, {"emulator", "hubspot"}, {"serve"}}) {
      String[] withFlag = java.util.Arrays.copyOf(args, args.length + 1);
      withFlag[args.length] = "--no-progress";
      Crmkit.commandLine().parseArgs(withFlag);
    }
  }

  @Test
  void drawsNoProgressFramesWhenOutputIsNotATerminal() {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      assertThat(run("demo", "--messages", "20", "--jdbc-url", url, "--tenant", "redirected")).isZero();
    } finally {
      System.setErr(original);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
    assertThat(err.toString()).doesNotContain("\r");
  }
}
