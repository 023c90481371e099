package dev.crmkit.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.examples.Crmkit;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SyncDemoCommandTest {
  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("crmkit").toAbsolutePath() + ";AUTO_SERVER=FALSE";
  }

  /** The text of one section of the report, from its title to the next blank line. */
  private String section(String title) {
    String text = out.toString();
    int from = text.indexOf("\n" + title + "\n");
    assertThat(from).as("section " + title).isNotNegative();
    int to = text.indexOf("\n\n", from + 1);
    return text.substring(from + 1, to < 0 ? text.length() : to);
  }

  @Test
  void syncsBothWaysMeetsConflictsUnderEveryStrategyAndEndsWithBothSidesEqual() {
    int exit = run("sync-demo", "--customers", "40", "--no-rate-limits", "--no-progress", "--jdbc-url", url(),
        "--tenant", "sync");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("tenant sync", "40 customers imported (0 rows rejected)",
        "signed webhooks to: http://127.0.0.1:");
    assertThat(section("Full push")).containsPattern("bidirectional/full +SUCCEEDED")
        .contains("created   40", "errors 0");
    for (String strategy : new String[] {"last-write-wins", "local-master", "external-master", "manual",
        "field-level merge"}) {
      String round = section("Strategy " + strategy);
      assertThat(round).as(strategy).contains("conflicts met: 2", "0 refused", "into the inbox",
          "inbox       webhook", "delta       bidirectional/delta", "deleted  2");
    }
    assertThat(section("Strategy local-master")).containsPattern("firstName .*\\[local\\]\" \\(local\\)")
        .doesNotContain("(remote)");
    assertThat(section("Strategy external-master")).containsPattern("firstName .*\\[hubspot\\]\" \\(remote\\)")
        .doesNotContain("(local)");
    String merge = section("Strategy field-level merge");
    assertThat(merge).containsPattern("firstName .*\\[local\\]\" \\(local\\)")
        .containsPattern("lastName .*\\[hubspot\\]\" \\(remote\\)");
    String manual = section("Strategy manual");
    assertThat(manual).contains("(parked for a person)", "conflict queue: 2 open", "by choosing REMOTE",
        "by choosing MERGED firstName=").containsPattern("\\[agreed\\]\" \\(merged\\)");
    assertThat(section("Kill and resume")).contains("local: lastName of ",
        "killed      delta run died right after its first HubSpot batch write")
        .containsPattern("resumed     bidirectional/delta SUCCEEDED .*errors 0");
    assertThat(section("Run log")).containsPattern("bidirectional/delta RUNNING");
    assertThat(section("Audit")).contains("30 local, 30 HubSpot, 30 linked pairs equal, 0 parked: both sides equal");
    assertThat(count(section("Run log"), "SUCCEEDED")).isEqualTo(14);
  }

  @Test
  void syncsWithSalesforceThroughOutboundMessagesUnderEveryStrategyAndEndsWithBothSidesEqual() {
    int exit = run("sync-demo", "--remote", "salesforce", "--customers", "40", "--no-progress", "--jdbc-url", url(),
        "--tenant", "sf");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("tenant sf", "40 customers imported (0 rows rejected)",
        "Salesforce emulator: http://127.0.0.1:", "outbound messages to: http://127.0.0.1:")
        .containsPattern("/salesforce/outbound\n").doesNotContain("HubSpot", "hubspot");
    String fullPush = section("Full push");
    assertThat(fullPush).containsPattern("bidirectional/full +SUCCEEDED").contains("created   40", "errors 0");
    // Creates go in sObject Collections of up to 200, so 40 customers cost a handful of calls, not 40.
    assertThat(number(fullPush, "(\\d+) Salesforce calls")).isBetween(1L, 100L);
    long fullPushUsage = number(fullPush, "daily API usage (\\d+)/100000");
    assertThat(fullPushUsage).isEqualTo(number(fullPush, "(\\d+) Salesforce calls"));
    long lastUsage = fullPushUsage;
    for (String strategy : new String[] {"last-write-wins", "local-master", "external-master", "manual",
        "field-level merge"}) {
      String round = section("Strategy " + strategy);
      assertThat(round).as(strategy).contains("outbound messages: 1 POSTs (0 refused)", "into the inbox",
          "inbox       webhook", "delta       bidirectional/delta", "deleted  2", "0 × REQUEST_LIMIT_EXCEEDED")
          .containsPattern("Salesforce: FirstName of .*; LastName of ")
          .containsPattern("Salesforce: deleted .*; merged .* into ")
          .doesNotContain("echoes");
      // The daily usage Sforce-Limit-Info reports grows by the calls each step made (and by the conflict
      // decisions' writes between rounds).
      Matcher usage = Pattern.compile("(\\d+) Salesforce calls.*daily API usage (\\d+)/100000").matcher(round);
      assertThat(usage.find()).as(strategy).isTrue();
      long inboxUsage = Long.parseLong(usage.group(2));
      assertThat(inboxUsage).as(strategy).isGreaterThanOrEqualTo(lastUsage + Long.parseLong(usage.group(1)));
      assertThat(usage.find()).as(strategy).isTrue();
      lastUsage = Long.parseLong(usage.group(2));
      assertThat(lastUsage).as(strategy).isEqualTo(inboxUsage + Long.parseLong(usage.group(1)));
    }
    assertThat(section("Strategy local-master")).contains("conflicts met: 2")
        .containsPattern("firstName .*\\[local\\]\" \\(local\\)").doesNotContain("(remote)");
    assertThat(section("Strategy external-master")).contains("conflicts met: 2")
        .containsPattern("firstName .*salesforce \"[^\"]*\\[salesforce\\]\" +-> \"[^\"]*\\[salesforce\\]\" "
            + "\\(remote\\)")
        .doesNotContain("(local)");
    assertThat(section("Strategy field-level merge")).contains("conflicts met: 2")
        .containsPattern("firstName .*\\[local\\]\" \\(local\\)")
        .containsPattern("lastName .*\\[salesforce\\]\" \\(remote\\)");
    assertThat(section("Strategy manual")).contains("(parked for a person)", "conflict queue: 2 open",
        "by choosing REMOTE", "by choosing MERGED firstName=").containsPattern("\\[agreed\\]\" \\(merged\\)");
    assertThat(section("Settle")).contains("synced    0", "0 refused");
    // The killed run's write reached Salesforce; the resumed run finds both sides equal and writes nothing more.
    String resume = section("Kill and resume");
    assertThat(resume).contains("local: lastName of ",
        "killed      delta run died right after its first Salesforce batch write")
        .containsPattern("resumed     bidirectional/delta SUCCEEDED synced +0 .*errors 0");
    assertThat(number(resume, "killed .*daily API usage (\\d+)/100000")).isGreaterThan(lastUsage);
    assertThat(section("Run log")).containsPattern("bidirectional/delta RUNNING");
    assertThat(section("Audit"))
        .contains("30 local, 30 Salesforce, 30 linked pairs equal, 0 parked: both sides equal");
    assertThat(count(section("Run log"), "SUCCEEDED")).isEqualTo(14);
  }

  @Test
  void refusesAnUnknownRemoteNamingTheAllowedValues() {
    assertThat(run("sync-demo", "--remote", "zoho", "--jdbc-url", url())).isEqualTo(2);

    assertThat(err.toString()).contains("--remote", "expected one of hubspot, salesforce but was 'zoho'");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theRemoteIsCaseSensitiveAsTheProviderNamesAre() {
    assertThat(run("sync-demo", "--remote", "Salesforce", "--jdbc-url", url())).isEqualTo(2);

    assertThat(err.toString()).contains("expected one of hubspot, salesforce but was 'Salesforce'");
  }

  @Test
  void helpNamesTheRemotesAndTheDefault() {
    assertThat(run("sync-demo", "--help")).isZero();

    assertThat(out.toString())
        .contains("--remote=hubspot|salesforce", "The vendor CRM to sync with: hubspot or salesforce")
        .containsPattern("\\(default:\\s+hubspot\\)");
  }

  @Test
  void refusesTooFewCustomersNamingTheOption() {
    assertThat(run("sync-demo", "--customers", "10", "--jdbc-url", url())).isEqualTo(1);

    assertThat(err.toString()).contains("customers", "10", "35 to 1000");
  }

  @Test
  void theDemoEndsPointingToTheSyncDemo() {
    assertThat(run("demo", "--no-progress", "--messages", "10", "--no-extras", "--jdbc-url", url())).isZero();

    assertThat(out.toString()).endsWith(DemoCommand.NEXT + System.lineSeparator());
  }

  private static long number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex + " in " + text).isTrue();
    return Long.parseLong(m.group(1));
  }

  private static int count(String text, String word) {
    Matcher m = Pattern.compile(Pattern.quote(word)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
