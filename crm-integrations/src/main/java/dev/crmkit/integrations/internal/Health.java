package dev.crmkit.integrations.internal;

import dev.crmkit.integrations.IntegrationHealth;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncRun;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An integration's health summary, from its run log in the last {@link #WINDOW} and its open conflicts.
 * Counts at most {@link #MAX_RUNS} runs and {@link IntegrationJobWork#CONFLICT_COUNT_LIMIT} conflicts.
 */
public final class Health {
  /** The window the run counts, the mean duration and the error rate cover: 24 hours. */
  public static final Duration WINDOW = Duration.ofHours(24);
  /** The most runs counted in the window (the sync store's page limit). */
  public static final int MAX_RUNS = 1_000;

  private Health() {}

  /** The summary of a tenant's integration; {@link dev.crmkit.error.NotFoundException} for another tenant's. */
  public static IntegrationHealth of(Runtime runtime, String tenantId, String integrationId) {
    TenantIntegration t = runtime.require(tenantId, integrationId);
    Instant since = runtime.clock().instant().minus(WINDOW);
    List<SyncRun> finished = runtime.syncStore().recentRuns(Runtime.key(t), MAX_RUNS).stream()
        .filter(r -> r.status() != RunStatus.RUNNING && r.finishedAt() != null && !r.startedAt().isBefore(since))
        .toList();
    int failures = (int) finished.stream().filter(r -> r.status() == RunStatus.FAILED).count();
    Duration mean = finished.isEmpty() ? null : finished.stream()
        .map(r -> Duration.between(r.startedAt(), r.finishedAt()))
        .reduce(Duration.ZERO, Duration::plus).dividedBy(finished.size());
    int open = runtime.syncStore().openConflicts(Runtime.key(t), IntegrationJobWork.CONFLICT_COUNT_LIMIT).size();
    double errorRate = finished.isEmpty() ? 0 : (double) failures / finished.size();
    return new IntegrationHealth(t.id(), t.status(), finished.size(), failures, mean, open, errorRate,
        t.lastSyncAt(), t.lastError());
  }
}
