package dev.crmkit.examples.syncdemo;

import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.SyncAudit;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one sync demo run did, as values a test can assert on; {@link #render()} prints it.
 *
 * @param tenantId the local tenant; never null
 * @param customersImported customers imported into the native store before the sync
 * @param rowsRejected rows of the sample the import rejected
 * @param remote the vendor side: its name, its real-time channel, the emulator's and the endpoint's URLs
 * @param fullPush the first full sync
 * @param rounds one per conflict strategy, in the order run
 * @param resume a delta run killed right after its first remote write, and the run that resumed it
 * @param settle the last webhook flush, drain and delta that leave nothing pending
 * @param audit the final comparison of both sides
 * @param runLog the integration's run log from the sync store, oldest first
 * @param total wall time of the whole run
 */
public record SyncDemoReport(
    String tenantId, int customersImported, int rowsRejected, RemoteInfo remote, Step fullPush,
    List<Round> rounds, Resume resume, Round settle, SyncAudit.Report audit, List<SyncRun> runLog, Duration total) {

  /** How many record errors the report lists per step. */
  public static final int EXAMPLES = 3;

  public SyncDemoReport {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(fullPush, "fullPush");
    rounds = List.copyOf(rounds);
    Objects.requireNonNull(resume, "resume");
    Objects.requireNonNull(settle, "settle");
    Objects.requireNonNull(audit, "audit");
    runLog = List.copyOf(runLog);
    Objects.requireNonNull(total, "total");
  }

  /**
   * The vendor side of the run, as the report names it.
   *
   * @param name the vendor's name, such as {@code HubSpot} or {@code Salesforce}
   * @param channel its real-time channel, such as {@code signed webhooks} or {@code outbound messages}
   * @param deliveries what one flush of the channel is called in a round's line, such as {@code webhooks}
   * @param limitedAnswer the vendor's rate-limit answer, such as {@code 429} or {@code REQUEST_LIMIT_EXCEEDED}
   * @param marksOwnWrites whether the vendor's events say which came from the demo's own API writes, so the
   *     endpoint drops them (HubSpot's {@code changeSource}); without it every event goes into the inbox and
   *     the engine recognises echoes by its snapshots
   * @param emulatorUrl the emulator's base URL
   * @param endpointUrl the host endpoint's URL the emulator posted to
   */
  public record RemoteInfo(String name, String channel, String deliveries, String limitedAnswer,
      boolean marksOwnWrites, String emulatorUrl, String endpointUrl) {
    public RemoteInfo {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(channel, "channel");
      Objects.requireNonNull(deliveries, "deliveries");
      Objects.requireNonNull(limitedAnswer, "limitedAnswer");
      Objects.requireNonNull(emulatorUrl, "emulatorUrl");
      Objects.requireNonNull(endpointUrl, "endpointUrl");
    }
  }

  /**
   * An org's daily API usage, as Salesforce reports it on every answer in {@code Sforce-Limit-Info:
   * api-usage=used/max} (a rolling 24 hours).
   *
   * @param used requests counted
   * @param max the org's allocation
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/headers_api_usage.htm">Salesforce: Limit Info header</a>
   */
  public record DailyApiUsage(long used, long max) {}

  /**
   * One engine call (a run or an inbox drain) and what it cost on the vendor side.
   *
   * @param label what it was, such as {@code "full push"}
   * @param result what the engine reported
   * @param calls vendor API requests made meanwhile
   * @param rateLimited of those, answered with the vendor's rate-limit error
   * @param daily the daily API usage the vendor reported after the call; {@code null} when it reports none
   *     (HubSpot in this demo)
   */
  public record Step(String label, SyncResult result, long calls, long rateLimited, DailyApiUsage daily) {}

  /**
   * One flush of the real-time channel: the emulator's POSTs into the endpoint.
   *
   * @param posts POSTs made (each up to 100 events)
   * @param rejectedPosts POSTs the endpoint did not accept (a bad signature or another org would show here)
   * @param events events verified and parsed
   * @param echoes events of the demo's own API writes ({@code changeSource INTEGRATION} with its app id),
   *     dropped at the endpoint; 0 when the vendor does not mark them
   * @param queued events put in the inbox
   * @param duplicates events the inbox held already
   */
  public record Webhooks(int posts, int rejectedPosts, int events, int echoes, int queued, int duplicates) {}

  /**
   * One field of a conflict.
   *
   * @param field the field, as the sync mapping names it
   * @param base the value at the last sync
   * @param local the local value
   * @param remote the vendor's value
   * @param result the value both sides got; {@code null} while parked
   * @param winner {@code local}, {@code remote}, {@code merged}, {@code parked} or, after a person
   *     decided, the decision
   */
  public record FieldOutcome(String field, String base, String local, String remote, String result, String winner) {}

  /**
   * One conflict met: a pair changed on both sides since the last sync.
   *
   * @param customer the customer's email (or local id)
   * @param fields the synced fields that differed between the sides
   * @param parked whether the strategy left it for a person
   */
  public record Conflict(String customer, List<FieldOutcome> fields, boolean parked) {
    public Conflict {
      fields = List.copyOf(fields);
    }
  }

  /**
   * A person's decision on a parked conflict.
   *
   * @param customer the customer's email
   * @param decision such as {@code "REMOTE"} or {@code "MERGED firstName=..."}
   * @param fields the fields after the decision was written
   */
  public record Decision(String customer, String decision, List<FieldOutcome> fields) {
    public Decision {
      fields = List.copyOf(fields);
    }
  }

  /**
   * A run killed mid-way and resumed: customers edited locally, a delta run whose process dies right after
   * its first remote batch write reached the vendor (before the engine recorded it), then a new run.
   *
   * @param changes what was changed locally, one line
   * @param killed how the killed run died
   * @param killedCalls vendor API requests the killed run made, its last write included
   * @param killedDaily the daily API usage the vendor reported by then; {@code null} when it reports none
   * @param resumed the run after the kill
   */
  public record Resume(String changes, String killed, long killedCalls, DailyApiUsage killedDaily, Step resumed) {
    public Resume {
      Objects.requireNonNull(changes, "changes");
      Objects.requireNonNull(killed, "killed");
      Objects.requireNonNull(resumed, "resumed");
    }
  }

  /**
   * One round: changes on both sides, real-time deliveries, inbox drain, delta run, under one strategy.
   *
   * @param strategy the strategy's name
   * @param changes what was changed on which side, one line each
   * @param webhooks the flush of the real-time channel into the endpoint
   * @param steps the drain and the delta run
   * @param conflicts conflicts the strategy met, in order
   * @param queue conflicts open in the queue after the round (manual only)
   * @param decisions decisions taken on parked conflicts (manual only)
   */
  public record Round(String strategy, List<String> changes, Webhooks webhooks, List<Step> steps,
      List<Conflict> conflicts, List<Conflict> queue, List<Decision> decisions) {
    public Round {
      changes = List.copyOf(changes);
      steps = List.copyOf(steps);
      conflicts = List.copyOf(conflicts);
      queue = List.copyOf(queue);
      decisions = List.copyOf(decisions);
    }
  }

  /** The report as text, as {@code crmkit sync-demo} prints it. */
  public String render() {
    StringBuilder s = new StringBuilder();
    s.append("crmkit sync demo — tenant ").append(tenantId).append('\n');
    s.append(String.format(Locale.ROOT, "  native store: %d customers imported (%d rows rejected)%n",
        customersImported, rowsRejected));
    s.append("  ").append(remote.name()).append(" emulator: ").append(remote.emulatorUrl()).append('\n');
    s.append("  ").append(remote.channel()).append(" to: ").append(remote.endpointUrl()).append('\n');
    s.append("\nFull push\n");
    appendStep(s, fullPush);
    for (Round r : rounds) {
      s.append("\nStrategy ").append(r.strategy()).append('\n');
      appendRound(s, r);
    }
    s.append("\nKill and resume\n");
    s.append("  ").append(resume.changes()).append('\n');
    s.append(String.format(Locale.ROOT, "  %-11s %s; %d %s calls", "killed", resume.killed(), resume.killedCalls(),
        remote.name()));
    if (resume.killedDaily() != null) {
      s.append(String.format(Locale.ROOT, "; daily API usage %d/%d", resume.killedDaily().used(),
          resume.killedDaily().max()));
    }
    s.append('\n');
    appendStep(s, resume.resumed());
    s.append("\nSettle\n");
    appendRound(s, settle);
    s.append("\nAudit\n");
    s.append(String.format(Locale.ROOT, "  %d local, %d %s, %d linked pairs equal, %d parked: %s%n",
        audit.localRecords(), audit.remoteRecords(), remote.name(), audit.linkedPairs(), audit.parked(),
        audit.converged() ? "both sides equal" : audit.problems().size() + " differences"));
    audit.problems().forEach(p -> s.append("    ").append(p).append('\n'));
    s.append("\nRun log\n");
    for (SyncRun run : runLog) {
      s.append(String.format(Locale.ROOT, "  %-20s %-19s %-18s %5d processed %5d created %4d updated %3d deleted "
              + "%3d conflicts %3d errors %7.2f s%n",
          run.startedAt().toString().substring(0, 19), run.kind(), run.status(), run.counts().processed(),
          run.counts().created(), run.counts().updated(), run.counts().deleted(), run.counts().conflicts(),
          run.counts().failed(), run.duration().orElse(Duration.ZERO).toMillis() / 1000.0));
    }
    s.append(String.format(Locale.ROOT, "%ntotal %.2f s%n", total.toMillis() / 1000.0));
    return s.toString();
  }

  private void appendRound(StringBuilder s, Round r) {
    r.changes().forEach(c -> s.append("  ").append(c).append('\n'));
    Webhooks w = r.webhooks();
    s.append(String.format(Locale.ROOT, "  %s: %d POSTs (%d refused), %d events verified, ", remote.deliveries(),
        w.posts(), w.rejectedPosts(), w.events()));
    if (remote.marksOwnWrites()) {
      s.append(String.format(Locale.ROOT, "%d echoes of our own writes dropped, ", w.echoes()));
    }
    s.append(String.format(Locale.ROOT, "%d into the inbox (%d duplicates)%n", w.queued(), w.duplicates()));
    r.steps().forEach(step -> appendStep(s, step));
    if (!r.conflicts().isEmpty()) {
      s.append("  conflicts met: ").append(r.conflicts().size()).append('\n');
      r.conflicts().forEach(c -> appendConflict(s, c));
    }
    if (!r.queue().isEmpty()) {
      s.append("  conflict queue: ").append(r.queue().size()).append(" open\n");
      r.queue().forEach(c -> appendConflict(s, c));
    }
    for (Decision d : r.decisions()) {
      s.append("    resolved ").append(d.customer()).append(" by choosing ").append(d.decision()).append('\n');
      d.fields().forEach(f -> appendField(s, f));
    }
  }

  private void appendStep(StringBuilder s, Step step) {
    SyncResult r = step.result();
    s.append(String.format(Locale.ROOT, "  %-11s %-19s %-9s synced %4d (created %4d, updated %3d, deleted %2d), "
            + "conflicts %d, errors %d, skipped %4d; %6.2f s; %4d %s calls, %d × %s",
        step.label(), r.kind(), r.status(), r.synced(), r.created(), r.updated(), r.deleted(), r.conflicts(),
        r.failed(), r.skipped(), r.duration().toMillis() / 1000.0, step.calls(), remote.name(), step.rateLimited(),
        remote.limitedAnswer()));
    if (step.daily() != null) {
      s.append(String.format(Locale.ROOT, "; daily API usage %d/%d", step.daily().used(), step.daily().max()));
    }
    s.append('\n');
    if (r.failure() != null) {
      s.append("    stopped: ").append(r.failure()).append('\n');
    }
    for (RecordError e : r.errors().stream().limit(EXAMPLES).toList()) {
      s.append("    error: ").append(e.side()).append(' ').append(e.recordId()).append(": ").append(e.message())
          .append('\n');
    }
    if (r.errors().size() > EXAMPLES) {
      s.append("    ... ").append(r.errors().size() - EXAMPLES).append(" more errors\n");
    }
  }

  private void appendConflict(StringBuilder s, Conflict c) {
    s.append("    ").append(c.customer()).append(c.parked() ? "  (parked for a person)" : "").append('\n');
    c.fields().forEach(f -> appendField(s, f));
  }

  private void appendField(StringBuilder s, FieldOutcome f) {
    s.append(String.format(Locale.ROOT, "      %-10s base %-22s local %-22s %s %-22s -> %s%n", f.field(),
        quote(f.base()), quote(f.local()), remote.name().toLowerCase(Locale.ROOT), quote(f.remote()),
        f.result() == null ? f.winner() : quote(f.result()) + " (" + f.winner() + ")"));
  }

  private static String quote(String v) {
    return v == null ? "-" : "\"" + v + "\"";
  }
}
