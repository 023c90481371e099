package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.integrations.ConnectionTest;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.SyncSchedule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The jobs' work on the stored integrations: delta syncs by schedule, health checks, open-conflict
 * counts, retries of failed runs and the retention cleanup. The sync and the connection test are the
 * service's ({@link Operations}); this class decides which integrations they run for and what their
 * outcome changes. Thread-safe.
 */
public final class IntegrationJobWork implements JobWork {
  /** The log name of one retry of one integration, instance {@code <integration id>@<period>}. */
  public static final String RETRY_SYNC = "retry-sync";
  /** How many open conflicts per integration the conflict detection counts at most (the sync store's page limit). */
  public static final int CONFLICT_COUNT_LIMIT = 1_000;
  /** How far back the retry job looks for an integration's last successful run. */
  private static final int RUN_LOOKBACK = 50;

  /** The service operations the jobs run. */
  public interface Operations {
    SyncResult deltaSync(String tenantId, String integrationId);

    ConnectionTest testConnection(String tenantId, String integrationId);
  }

  private final Runtime runtime;
  private final Operations operations;
  private final Metrics metrics;
  private final JobLog log;
  private final String node;
  private final Map<SyncSchedule, Duration> intervals;
  private final int maxRetries;

  /**
   * @param intervals the delta-sync interval of each schedule that has one
   * @param maxRetries how many times the retry job runs an integration again after a failed run
   */
  public IntegrationJobWork(Runtime runtime, Operations operations, Metrics metrics, JobLog log, String node,
      Map<SyncSchedule, Duration> intervals, int maxRetries) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.operations = Objects.requireNonNull(operations, "operations");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.log = Objects.requireNonNull(log, "log");
    this.node = Objects.requireNonNull(node, "node");
    this.intervals = Map.copyOf(intervals);
    this.maxRetries = maxRetries;
  }

  @Override
  public List<Scheduled> scheduled() {
    List<Scheduled> out = new ArrayList<>();
    for (StoredIntegration s : runtime.all()) {
      interval(s.integration()).ifPresent(i -> out.add(new Scheduled(s.id(), i)));
    }
    return out;
  }

  /** The delta-sync interval when the integration syncs on its own: ACTIVE and not MANUAL. */
  private Optional<Duration> interval(TenantIntegration t) {
    if (t.status() != IntegrationStatus.ACTIVE) {
      return Optional.empty();
    }
    return Optional.ofNullable(intervals.get(t.schedule()));
  }

  @Override
  public String deltaSync(String integrationId) {
    Optional<StoredIntegration> stored = runtime.byId(integrationId);
    if (stored.isEmpty()) {
      return "skipped: deleted";
    }
    TenantIntegration t = stored.get().integration();
    if (interval(t).isEmpty()) {
      return "skipped: " + t.status().name().toLowerCase(Locale.ROOT) + ", " + t.schedule().name().toLowerCase(Locale.ROOT);
    }
    try {
      return sync(t);
    } catch (ConflictException busy) {
      // The engine's lease: a run of the last period (or a syncNow) still syncs it, and covers this one.
      return "skipped: " + busy.getMessage();
    }
  }

  /** Runs a delta sync; a failed run fails the job run too, so the job metrics count it. */
  private String sync(TenantIntegration t) {
    SyncResult r = operations.deltaSync(t.tenantId(), t.id());
    String detail = "run " + r.runId() + " " + r.status().name().toLowerCase(Locale.ROOT) + ": created "
        + r.counts().created() + ", updated " + r.counts().updated() + ", failed " + r.counts().failed();
    if (r.status() == RunStatus.FAILED) {
      throw new CrmException(detail + " (" + r.failure() + ")");
    }
    return detail;
  }

  @Override
  public String healthCheck() {
    int checked = 0;
    int failing = 0;
    int recovered = 0;
    for (StoredIntegration s : runtime.all()) {
      TenantIntegration t = s.integration();
      if (t.status() != IntegrationStatus.ACTIVE && t.status() != IntegrationStatus.ERROR) {
        continue;
      }
      checked++;
      String failure;
      try {
        ConnectionTest test = operations.testConnection(t.tenantId(), t.id());
        failure = test.ok() ? null : test.failure().name().toLowerCase(Locale.ROOT) + ": " + test.message();
      } catch (CrmException e) {
        failure = Jobs.describe(e);
      }
      if (failure != null) {
        failing++;
        runtime.setStatus(t.id(), IntegrationStatus.ERROR, "health check failed: " + failure);
      } else if (t.status() == IntegrationStatus.ERROR) {
        recovered++;
        runtime.setStatus(t.id(), IntegrationStatus.ACTIVE, null);
      }
    }
    return "checked " + checked + ", failing " + failing + ", recovered " + recovered;
  }

  @Override
  public String conflictDetection() {
    int integrations = 0;
    int open = 0;
    for (StoredIntegration s : runtime.all()) {
      TenantIntegration t = s.integration();
      int n = runtime.syncStore().openConflicts(Runtime.key(t), CONFLICT_COUNT_LIMIT).size();
      metrics.conflicts(t.provider(), t.id(), n);
      integrations++;
      open += n;
    }
    return "open conflicts " + open + " in " + integrations + " integration(s)";
  }

  @Override
  public String retryFailed(String period) {
    int retried = 0;
    int gaveUp = 0;
    for (StoredIntegration s : runtime.all()) {
      TenantIntegration t = s.integration();
      boolean runsOnItsOwn = t.schedule() != SyncSchedule.MANUAL
          && (t.status() == IntegrationStatus.ACTIVE || t.status() == IntegrationStatus.ERROR);
      if (!runsOnItsOwn) {
        continue;
      }
      List<SyncRun> runs = runtime.syncStore().recentRuns(Runtime.key(t), RUN_LOOKBACK);
      if (runs.isEmpty() || runs.get(0).status() != RunStatus.FAILED) {
        continue;
      }
      Instant since = runs.stream().filter(r -> r.status() != RunStatus.FAILED && r.status() != RunStatus.RUNNING)
          .map(SyncRun::startedAt).findFirst().orElse(Instant.EPOCH);
      int attempts = log.runs(RETRY_SYNC, t.id() + "@", since).size();
      if (attempts >= maxRetries) {
        gaveUp++;
        if (t.status() != IntegrationStatus.ERROR) {
          runtime.setStatus(t.id(), IntegrationStatus.ERROR, t.lastError());
        }
        continue;
      }
      String instance = t.id() + "@" + period;
      if (!log.claim(RETRY_SYNC, instance, node, runtime.clock().instant())) {
        continue;
      }
      retried++;
      try {
        log.finish(RETRY_SYNC, instance, node, JobLog.Outcome.SUCCEEDED, sync(t), runtime.clock().instant());
      } catch (CrmException e) {
        log.finish(RETRY_SYNC, instance, node, JobLog.Outcome.FAILED, Jobs.describe(e), runtime.clock().instant());
      }
    }
    return "retried " + retried + ", gave up on " + gaveUp + " after " + maxRetries + " attempt(s)";
  }

  @Override
  public String cleanup(Instant cutoff) {
    long before = cutoff.toEpochMilli();
    int errors = update("DELETE FROM crm_sync_record_errors WHERE EXISTS (SELECT 1 FROM crm_sync_runs r "
        + "WHERE r.tenant_id = crm_sync_record_errors.tenant_id AND r.integration = crm_sync_record_errors.integration "
        + "AND r.id = crm_sync_record_errors.run_id AND r.finished_at < ? AND " + OURS + ")", before);
    int runs = update("DELETE FROM crm_sync_runs WHERE finished_at < ? AND EXISTS (SELECT 1 FROM crmkit_integration i "
        + "WHERE i.id = crm_sync_runs.integration AND i.tenant_id = crm_sync_runs.tenant_id)", before);
    int deliveries = update("DELETE FROM crmkit_webhook_delivery WHERE received_at < ?", before);
    // OAuth connects that were never completed (startOAuth also deletes those a day past expiry).
    int states = update("DELETE FROM crmkit_oauth_state WHERE expires_at < ?", before);
    int jobRuns = log.deleteFinishedBefore(cutoff);
    return "deleted runs " + runs + " (record errors " + errors + "), webhook deliveries " + deliveries
        + ", job log rows " + jobRuns + ", OAuth states " + states + " before " + cutoff;
  }

  /** Only the runs of the layer's integrations: the sync store may hold a host's own integrations too. */
  private static final String OURS = "EXISTS (SELECT 1 FROM crmkit_integration i WHERE i.id = r.integration "
      + "AND i.tenant_id = r.tenant_id)";

  private int update(String sql, long param) {
    try (Connection c = runtime.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, param);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw JobLog.failed("cleaning up old runs", e);
    }
  }
}
