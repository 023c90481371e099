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
    assertThat(section("Audit")).contains("30 local, 30 HubSpot, 30 linked pairs equal, 0 parked: both sides equal");
    assertThat(count(section("Run log"), "SUCCEEDED")).isEqualTo(13);
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

  private static int count(String text, String word) {
    Matcher m = Pattern.compile(Pattern.quote(word)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
