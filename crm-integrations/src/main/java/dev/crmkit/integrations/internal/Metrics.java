package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.ConnectionTest;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.SyncResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The integrations layer's Micrometer meters, on the host's {@link MeterRegistry}. Tags are the
 * provider name, the integration id (opaque, never a tenant id, setting or secret) and a low-cardinality
 * outcome; nothing else. Thread-safe.
 *
 * <ul>
 *   <li>{@value #RUNS} counter: sync runs, tags {@code provider}, {@code integration}, {@code status}
 *       ({@code succeeded}, {@code partially_failed}, {@code failed}).
 *   <li>{@value #RECORDS} counter: records the runs touched, tags {@code provider}, {@code integration},
 *       {@code outcome} ({@code created}, {@code updated}, {@code failed}).
 *   <li>{@value #RUN_DURATION} timer: run durations, tags {@code provider}, {@code integration},
 *       {@code status}.
 *   <li>{@value #CONFLICTS} gauge: open conflicts, tags {@code provider}, {@code integration}; set by the
 *       conflict detection job and by {@link #conflicts}.
 *   <li>{@value #WEBHOOK_DELIVERIES} counter: webhook deliveries, tags {@code provider}, {@code integration}
 *       ({@code none} when no integration matched), {@code outcome}.
 *   <li>{@value #CONNECTION_TESTS} counter: connection tests, tags {@code provider}, {@code integration},
 *       {@code outcome} ({@code ok}, or the failure: {@code credentials}, {@code scopes}, {@code network},
 *       {@code rate_limited}, {@code configuration}, {@code server}).
 *   <li>{@value #JOBS} counter and {@value #JOB_DURATION} timer: scheduled job runs on this node, tags
 *       {@code job}, {@code outcome} ({@code succeeded}, {@code failed}, {@code skipped}: another node
 *       had run that period).
 * </ul>
 */
public final class Metrics {
  public static final String RUNS = "crmkit.integration.runs";
  public static final String RECORDS = "crmkit.integration.records";
  public static final String RUN_DURATION = "crmkit.integration.run.duration";
  public static final String CONFLICTS = "crmkit.integration.conflicts";
  public static final String WEBHOOK_DELIVERIES = "crmkit.integration.webhook.deliveries";
  public static final String CONNECTION_TESTS = "crmkit.integration.connection.tests";
  public static final String JOBS = "crmkit.integration.jobs";
  public static final String JOB_DURATION = "crmkit.integration.job.duration";

  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> openConflicts = new ConcurrentHashMap<>();

  public Metrics(MeterRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  /** The registry the meters are on. */
  public MeterRegistry registry() {
    return registry;
  }

  /**
   * Runs a sync and records it: its result, or a failure that stopped it before it had one (credentials,
   * outage). A refusal that is not a run (paused, disconnected, busy, bad input) is not recorded.
   */
  public SyncResult run(TenantIntegration t, Supplier<SyncResult> sync) {
    long start = System.nanoTime();
    try {
      SyncResult result = sync.get();
      run(t.provider(), t.id(), result);
      return result;
    } catch (ConflictException | ValidationException | NotFoundException notARun) {
      throw notARun;
    } catch (CrmException e) {
      if (t.status() != IntegrationStatus.PAUSED && t.status() != IntegrationStatus.DISCONNECTED) {
        runFailed(t.provider(), t.id(), Duration.ofNanos(System.nanoTime() - start));
      }
      throw e;
    }
  }

  /** Runs a connection test and counts its outcome ({@code ok} or the failure) in {@value #CONNECTION_TESTS}. */
  public ConnectionTest test(TenantIntegration t, Supplier<ConnectionTest> test) {
    ConnectionTest result = test.get();
    String outcome = result.ok() ? "ok" : result.failure().name().toLowerCase(Locale.ROOT);
    Counter.builder(CONNECTION_TESTS).description("Connection tests of tenant integrations")
        .tags("provider", t.provider(), "integration", t.id(), "outcome", outcome).register(registry).increment();
    return result;
  }

  /** Records one finished sync run. */
  public void run(String provider, String integrationId, SyncResult result) {
    String status = result.status().name().toLowerCase(Locale.ROOT);
    Counter.builder(RUNS).description("Sync runs of tenant integrations")
        .tags("provider", provider, "integration", integrationId, "status", status)
        .register(registry).increment();
    Timer.builder(RUN_DURATION).description("Sync run durations of tenant integrations")
        .tags("provider", provider, "integration", integrationId, "status", status)
        .register(registry).record(result.duration());
    RunCounts counts = result.counts();
    records(provider, integrationId, "created", counts.created());
    records(provider, integrationId, "updated", counts.updated());
    records(provider, integrationId, "failed", counts.failed());
  }

  /** Records a sync run that failed before it produced a result (credentials, configuration). */
  void runFailed(String provider, String integrationId, Duration duration) {
    Counter.builder(RUNS).description("Sync runs of tenant integrations")
        .tags("provider", provider, "integration", integrationId, "status", "failed")
        .register(registry).increment();
    Timer.builder(RUN_DURATION).description("Sync run durations of tenant integrations")
        .tags("provider", provider, "integration", integrationId, "status", "failed")
        .register(registry).record(duration);
  }

  private void records(String provider, String integrationId, String outcome, int n) {
    Counter c = Counter.builder(RECORDS).description("Records synced by tenant integrations")
        .tags("provider", provider, "integration", integrationId, "outcome", outcome).register(registry);
    if (n > 0) {
      c.increment(n);
    }
  }

  /** Sets the open conflicts of an integration. */
  public void conflicts(String provider, String integrationId, int open) {
    openConflicts.computeIfAbsent(integrationId, id -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder(CONFLICTS, value, AtomicInteger::get).description("Open sync conflicts of tenant integrations")
          .tags("provider", provider, "integration", id).register(registry);
      return value;
    }).set(open);
  }

  /** Records one webhook delivery; {@code integrationId} null when no integration matched. */
  public void webhookDelivery(String provider, String integrationId, String outcome) {
    Counter.builder(WEBHOOK_DELIVERIES).description("Webhook deliveries to tenant integrations")
        .tags("provider", provider, "integration", integrationId == null ? "none" : integrationId,
            "outcome", outcome)
        .register(registry).increment();
  }

  /** Records one run of a scheduled job on this node. */
  public void job(String job, JobLog.Outcome outcome, Duration duration) {
    String o = outcome.name().toLowerCase(Locale.ROOT);
    Counter.builder(JOBS).description("Scheduled integration job runs on this node")
        .tags("job", job, "outcome", o).register(registry).increment();
    Timer.builder(JOB_DURATION).description("Scheduled integration job durations on this node")
        .tags("job", job, "outcome", o).register(registry).record(duration);
  }
}
