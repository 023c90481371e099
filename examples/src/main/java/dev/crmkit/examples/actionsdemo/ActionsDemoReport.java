package dev.crmkit.examples.actionsdemo;

import dev.crmkit.ActivityType;
import dev.crmkit.actions.ProcessingReport;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@link ActionsDemoRunner} did: each phase's submissions and processing, a row per tenant and
 * action (done at the first attempt, done after retries, parked), the parked events with their
 * errors, and what each CRM holds afterwards.
 *
 * @param nativeTenant the native store's tenant
 * @param hubspotTenant the HubSpot tenant
 * @param emulatorUrl where the HubSpot emulator listened
 * @param day the business day replayed
 * @param phases in order
 * @param actions per tenant and event type
 * @param parked events parked at the end, with their last error
 * @param holdings per tenant
 * @param hubspotCalls requests the emulator answered, faults included
 */
public record ActionsDemoReport(String nativeTenant, String hubspotTenant, String emulatorUrl, LocalDate day,
    List<Phase> phases, List<ActionRow> actions, List<Parked> parked, List<Holding> holdings, long hubspotCalls) {

  /**
   * One phase.
   *
   * @param submitted events submitted to both tenants, redeliveries included
   * @param duplicates submissions refused as already in the outbox
   * @param replayed parked events replayed after the phase
   * @param afterReplay processing of the replayed events
   */
  public record Phase(String name, String faults, int submitted, int duplicates, ProcessingReport processing,
      List<String> replayed, ProcessingReport afterReplay) {}

  /** One tenant's events of one type: done at the first attempt, done after a retry or replay, parked. */
  public record ActionRow(String tenant, String eventType, int events, int done, int retried, int failed) {}

  /** An event parked as failed. */
  public record Parked(String tenant, String eventId, String eventType, int attempts, String error) {}

  /** What one CRM holds for the day's people. */
  public record Holding(String tenant, String provider, int customers, List<String> deals, int notes,
      Map<ActivityType, Integer> activities, int orders, List<String> people) {}

  /** Events whose writes completed, over all tenants and types. */
  public int done() {
    return actions.stream().mapToInt(r -> r.done() + r.retried()).sum();
  }

  /** Events parked at the end, over all tenants. */
  public int failed() {
    return actions.stream().mapToInt(ActionRow::failed).sum();
  }

  /** The report as text. */
  public String render() {
    StringBuilder b = new StringBuilder();
    b.append("crmkit actions-demo — ").append(day).append(", a small studio's day of events, delivered through the outbox\n");
    b.append("  native tenant  ").append(nativeTenant).append(" (native store)\n");
    b.append("  hubspot tenant ").append(hubspotTenant).append(" (HubSpot emulator at ").append(emulatorUrl).append(")\n\n");
    b.append("Phases\n");
    for (Phase p : phases) {
      ProcessingReport r = p.processing();
      b.append(String.format(Locale.ROOT, "  %-9s %-52s submitted %2d, duplicates %d; claims %d: done %d, retry scheduled %d, parked %d%n",
          p.name(), "(" + p.faults() + ")", p.submitted(), p.duplicates(), r.claimed(), r.done(), r.retried(), r.parked()));
      if (!p.replayed().isEmpty()) {
        ProcessingReport a = p.afterReplay();
        b.append(String.format(Locale.ROOT, "  %-9s replayed %s once HubSpot was back: done %d, parked %d%n", "",
            String.join(", ", p.replayed()), a.done(), a.parked()));
      }
    }
    b.append("\nPer action (events; done at the first attempt; done after a retry or replay; failed)\n");
    b.append(String.format(Locale.ROOT, "  %-8s %-20s %6s %6s %8s %7s%n", "tenant", "event", "events", "done", "retried", "failed"));
    for (ActionRow r : actions) {
      b.append(String.format(Locale.ROOT, "  %-8s %-20s %6d %6d %8d %7d%n", r.tenant(), r.eventType().toLowerCase(Locale.ROOT),
          r.events(), r.done(), r.retried(), r.failed()));
    }
    b.append("\nParked (visible and replayable with EventActions.failed / replay)\n");
    if (parked.isEmpty()) {
      b.append("  none\n");
    }
    for (Parked p : parked) {
      b.append("  ").append(p.tenant()).append(' ').append(p.eventId()).append(' ')
          .append(p.eventType().toLowerCase(Locale.ROOT)).append(" after ").append(p.attempts())
          .append(p.attempts() == 1 ? " attempt: " : " attempts: ").append(p.error()).append('\n');
    }
    b.append("\nWhat each CRM now holds\n");
    for (Holding h : holdings) {
      b.append("  ").append(h.tenant()).append(" (").append(h.provider()).append("): ").append(h.customers())
          .append(" customers, ").append(h.deals().size()).append(" deals, ").append(h.notes()).append(" notes, ")
          .append(h.orders()).append(" orders; activities ").append(h.activities().isEmpty() ? "none" : h.activities())
          .append('\n');
      h.deals().forEach(d -> b.append("    deal ").append(d).append('\n'));
      h.people().forEach(p -> b.append("    ").append(p).append('\n'));
    }
    b.append(String.format(Locale.ROOT, "%nHubSpot emulator answered %d requests. Events done %d, failed %d.%n",
        hubspotCalls, done(), failed()));
    return b.toString();
  }
}
