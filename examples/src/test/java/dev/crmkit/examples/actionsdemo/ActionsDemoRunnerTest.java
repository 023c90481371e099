package dev.crmkit.examples.actionsdemo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.ActivityType;
import dev.crmkit.examples.Crmkit;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.ActionRow;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.Holding;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.Parked;
import dev.crmkit.examples.cli.StoreSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ActionsDemoRunnerTest {
  @TempDir Path dir;

  private String url() {
    return "jdbc:h2:file:" + dir.resolve("crmkit").toAbsolutePath() + ";AUTO_SERVER=FALSE";
  }

  private ActionsDemoReport run(String tenant) {
    try (StoreSession session = StoreSession.open(url(), null, null, tenant, "US")) {
      return new ActionsDemoRunner().run(tenant, session.system(), session.dataSource());
    }
  }

  @Test
  void everyEventLandsOnceInBothCrmsExceptTheOneForNobody() {
    ActionsDemoReport report = run("studio");

    // 17 events a day per tenant plus 3 redeliveries each, refused by the outbox.
    assertThat(report.phases()).extracting(ActionsDemoReport.Phase::duplicates).containsExactly(4, 0, 2);
    Map<String, ActionRow> hubspot = rows(report, "hubspot");
    Map<String, ActionRow> nativeRows = rows(report, "native");
    assertThat(nativeRows.values()).allSatisfy(r -> assertThat(r.retried()).as(r.eventType()).isZero());
    assertThat(nativeRows.values().stream().mapToInt(ActionRow::events).sum()).isEqualTo(17);
    assertThat(hubspot.values().stream().mapToInt(ActionRow::events).sum()).isEqualTo(17);
    // HubSpot failed at first (two 503s) and was down in the afternoon: those events needed retries or a replay.
    assertThat(hubspot.values().stream().mapToInt(ActionRow::retried).sum()).isGreaterThanOrEqualTo(4);
    assertThat(report.failed()).isEqualTo(2);
    assertThat(report.parked()).extracting(Parked::eventId).containsExactly("c-1610", "c-1610");
    assertThat(report.parked()).allSatisfy(p -> assertThat(p.error()).contains("cust-deleted-last-week"));
    assertThat(report.phases().get(2).replayed()).contains("a-1500", "c-1530", "o-1645");

    for (Holding h : report.holdings()) {
      assertThat(h.customers()).as(h.tenant()).isEqualTo(5);
      assertThat(h.deals()).as(h.tenant()).hasSize(3);
      assertThat(h.notes()).as(h.tenant()).isEqualTo(2);
      assertThat(h.activities()).as(h.tenant())
          .containsEntry(ActivityType.MESSAGE_RECEIVED, 4)
          .containsEntry(ActivityType.MEETING, 3)
          .containsEntry(ActivityType.CALL, 3);
    }
    Holding nativeHolding = report.holdings().get(0);
    assertThat(nativeHolding.orders()).as("ORD-5001 redelivered counts once").isEqualTo(3);
    assertThat(nativeHolding.people()).anyMatch(p -> p.contains("Ana Ruiz") && p.contains("VIP") && p.contains("Ruiz Events"));
    assertThat(report.holdings().get(1).people())
        .anyMatch(p -> p.contains("Ana Ruiz") && p.contains("VIP") && p.contains("Ruiz Events"));
  }

  @Test
  void runsFromTheCommandLine() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Crmkit.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit = cli.execute("actions-demo", "--jdbc-url", url(), "--tenant", "cli");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("native tenant  cli (native store)", "hubspot tenant cli-hubspot",
        "Per action", "What each CRM now holds", "c-1610");
  }

  private static Map<String, ActionRow> rows(ActionsDemoReport report, String tenant) {
    List<ActionRow> rows = report.actions().stream().filter(r -> r.tenant().equals(tenant)).toList();
    return rows.stream().collect(Collectors.toMap(ActionRow::eventType, r -> r));
  }
}
