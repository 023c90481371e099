package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.error.AuthenticationException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.integrations.internal.Health;
import dev.crmkit.integrations.internal.IntegrationJobWork;
import dev.crmkit.integrations.internal.JobLog;
import dev.crmkit.integrations.internal.JobWork;
import dev.crmkit.integrations.internal.Metrics;
import dev.crmkit.integrations.internal.Runtime;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.testkit.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the jobs do to the stored integrations, one job run at a time, on H2 with a test clock. */
class IntegrationJobWorkTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> synced = new ArrayList<>();
  private final Map<String, ConnectionTest> tests = new HashMap<>();
  private final Map<String, RunStatus> syncOutcomes = new HashMap<>();
  private final Map<String, CrmException> testFailures = new HashMap<>();
  private DataSource db;
  private Runtime runtime;
  private JobLog log;
  private IntegrationJobWork work;

  @BeforeEach
  void setUp() {
    db = TestDatabases.h2();
    IntegrationSchema.migrate(db);
    runtime = new Runtime(db, IntegrationFactory.builder().build(), TestKeys.random(), clock, meters,
        ConflictStrategy.manual());
    log = new JobLog(db);
    work = new IntegrationJobWork(runtime, new FakeOperations(), new Metrics(meters), log, "node-1",
        Map.of(SyncSchedule.REAL_TIME, Duration.ofMinutes(15), SyncSchedule.HOURLY, Duration.ofHours(1),
            SyncSchedule.DAILY, Duration.ofDays(1)), 3);
  }

  /** Syncs record a run as the service would; connection tests answer from {@link #tests} or throw. */
  private final class FakeOperations implements IntegrationJobWork.Operations {
    @Override
    public SyncResult deltaSync(String tenantId, String integrationId) {
      synced.add(integrationId);
      return run(integrationId, syncOutcomes.getOrDefault(integrationId, RunStatus.SUCCEEDED));
    }

    @Override
    public ConnectionTest testConnection(String tenantId, String integrationId) {
      CrmException failure = testFailures.get(integrationId);
      if (failure != null) {
        throw failure;
      }
      return tests.getOrDefault(integrationId, new ConnectionTest(true, null, null, Duration.ofMillis(5), clock.instant()));
    }
  }

  /** A run in the sync store, as the service's syncNow leaves one, and its result. */
  private SyncResult run(String integrationId, RunStatus status) {
    IntegrationKey key = new IntegrationKey("tenant-" + integrationId, integrationId);
    SyncRun started = runtime.syncStore().startRun(key, "bidirectional/delta");
    clock.advance(Duration.ofSeconds(2));
    RunCounts counts = new RunCounts(3, 1, 2, 0, 0, 0, 0);
    runtime.syncStore().finishRun(key, started.id(), status, counts);
    if (status == RunStatus.FAILED) {
      runtime.recordRun(integrationId, new SyncResult(started.id(), "bidirectional/delta", status, counts, List.of(),
          "outage", started.startedAt(), Duration.ofSeconds(2)));
    }
    return new SyncResult(started.id(), "bidirectional/delta", status, counts, List.of(),
        status == RunStatus.FAILED ? "outage" : null, started.startedAt(), Duration.ofSeconds(2));
  }

  @Test
  void onlyActiveIntegrationsWithAnIntervalAreScheduled() {
    JobFixtures.insert(db, "hourly", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "realtime", IntegrationStatus.ACTIVE, SyncSchedule.REAL_TIME);
    JobFixtures.insert(db, "manual", IntegrationStatus.ACTIVE, SyncSchedule.MANUAL);
    JobFixtures.insert(db, "paused", IntegrationStatus.PAUSED, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "error", IntegrationStatus.ERROR, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "disconnected", IntegrationStatus.DISCONNECTED, SyncSchedule.HOURLY);

    assertThat(work.scheduled()).containsExactlyInAnyOrder(
        new JobWork.Scheduled("hourly", Duration.ofHours(1)), new JobWork.Scheduled("realtime", Duration.ofMinutes(15)));
  }

  @Test
  void aDeltaSyncOfADeletedPausedOrManualIntegrationDoesNothing() {
    JobFixtures.insert(db, "paused", IntegrationStatus.PAUSED, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "manual", IntegrationStatus.ACTIVE, SyncSchedule.MANUAL);
    JobFixtures.insert(db, "active", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);

    assertThat(work.deltaSync("gone")).isEqualTo("skipped: deleted");
    assertThat(work.deltaSync("paused")).isEqualTo("skipped: paused, hourly");
    assertThat(work.deltaSync("manual")).isEqualTo("skipped: active, manual");
    assertThat(work.deltaSync("active")).matches("run \\S+ succeeded: created 1, updated 2, failed 0");
    assertThat(synced).containsExactly("active");
  }

  @Test
  void aFailedDeltaSyncFailsTheJobRun() {
    JobFixtures.insert(db, "active", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    syncOutcomes.put("active", RunStatus.FAILED);

    assertThatThrownBy(() -> work.deltaSync("active")).isInstanceOf(CrmException.class)
        .hasMessageMatching("run \\S+ failed: created 1, updated 2, failed 0 \\(outage\\)");
  }

  @Test
  void healthCheckMarksFailingIntegrationsErrorWithTheReasonAndRecoveredOnesActive() {
    JobFixtures.insert(db, "ok", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "bad", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "throws", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "recovering", IntegrationStatus.ERROR, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "paused", IntegrationStatus.PAUSED, SyncSchedule.HOURLY);
    tests.put("bad", new ConnectionTest(false, ConnectionTest.Failure.CREDENTIALS, "token revoked", Duration.ZERO,
        clock.instant()));
    tests.put("paused", new ConnectionTest(false, ConnectionTest.Failure.NETWORK, "never asked", Duration.ZERO,
        clock.instant()));
    testFailures.put("throws", new AuthenticationException("hubspot: 401 from the account endpoint"));

    assertThat(work.healthCheck()).isEqualTo("checked 4, failing 2, recovered 1");

    assertThat(status("ok")).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(status("bad")).isEqualTo(IntegrationStatus.ERROR);
    assertThat(runtime.byId("bad").orElseThrow().integration().lastError())
        .isEqualTo("health check failed: credentials: token revoked");
    assertThat(runtime.byId("throws").orElseThrow().integration().lastError())
        .startsWith("health check failed: AuthenticationException: hubspot: 401");
    assertThat(status("recovering")).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(runtime.byId("recovering").orElseThrow().integration().lastError()).isNull();
    assertThat(status("paused")).isEqualTo(IntegrationStatus.PAUSED);
  }

  @Test
  void retryRunsAFailedIntegrationAgainAtMostThreeTimesThenLeavesItInError() {
    JobFixtures.insert(db, "flaky", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    JobFixtures.insert(db, "fine", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    syncOutcomes.put("flaky", RunStatus.FAILED);
    run("fine", RunStatus.SUCCEEDED);
    run("flaky", RunStatus.SUCCEEDED);
    run("flaky", RunStatus.FAILED);
    assertThat(status("flaky")).isEqualTo(IntegrationStatus.ERROR);

    List<String> details = new ArrayList<>();
    for (int period = 1; period <= 5; period++) {
      clock.advance(Duration.ofHours(1));
      details.add(work.retryFailed("p" + period));
    }

    assertThat(details).containsExactly("retried 1, gave up on 0 after 3 attempt(s)",
        "retried 1, gave up on 0 after 3 attempt(s)", "retried 1, gave up on 0 after 3 attempt(s)",
        "retried 0, gave up on 1 after 3 attempt(s)", "retried 0, gave up on 1 after 3 attempt(s)");
    assertThat(synced).containsExactly("flaky", "flaky", "flaky");
    assertThat(status("flaky")).isEqualTo(IntegrationStatus.ERROR);
    assertThat(log.runs(IntegrationJobWork.RETRY_SYNC, "flaky@", Instant.EPOCH)).extracting(JobLog.Entry::outcome)
        .containsExactly(JobLog.Outcome.FAILED, JobLog.Outcome.FAILED, JobLog.Outcome.FAILED);
  }

  @Test
  void aRetryThatSucceedsEndsTheRetries() {
    JobFixtures.insert(db, "flaky", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    run("flaky", RunStatus.FAILED);

    assertThat(work.retryFailed("p1")).isEqualTo("retried 1, gave up on 0 after 3 attempt(s)");
    assertThat(work.retryFailed("p1")).as("the same period again").isEqualTo("retried 0, gave up on 0 after 3 attempt(s)");
    assertThat(work.retryFailed("p2")).isEqualTo("retried 0, gave up on 0 after 3 attempt(s)");
    assertThat(synced).containsExactly("flaky");
  }

  @Test
  void cleanupDeletesTheLayersRunsAndJobLogRowsOlderThanTheCutoffOnly() {
    JobFixtures.insert(db, "old", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    run("old", RunStatus.SUCCEEDED);
    IntegrationKey foreign = new IntegrationKey("host", "hosts-own-integration");
    runtime.syncStore().finishRun(foreign, runtime.syncStore().startRun(foreign, "pull/full").id(),
        RunStatus.SUCCEEDED, RunCounts.ZERO);
    log.claim("health-check", "1", "node-1", clock.instant());
    log.finish("health-check", "1", "node-1", JobLog.Outcome.SUCCEEDED, "checked 1", clock.instant());
    log.claim("health-check", "2", "node-1", clock.instant());
    oauthState("abandoned", clock.instant().plus(Duration.ofMinutes(10)));
    clock.advance(Duration.ofDays(31));
    run("old", RunStatus.SUCCEEDED);
    oauthState("in-progress", clock.instant().plus(Duration.ofMinutes(10)));

    String detail = work.cleanup(clock.instant().minus(Duration.ofDays(30)));

    assertThat(detail).startsWith("deleted runs 1 (record errors 0), webhook deliveries 0, job log rows 1, OAuth states 1 before ");
    assertThat(oauthStates()).as("an attempt still in progress stays").containsExactly("in-progress");
    assertThat(runtime.syncStore().recentRuns(new IntegrationKey("tenant-old", "old"), 10)).hasSize(1);
    assertThat(runtime.syncStore().recentRuns(foreign, 10)).as("runs of the host's own integrations stay").hasSize(1);
    assertThat(log.find("health-check", "1")).isNull();
    assertThat(log.find("health-check", "2")).as("a running row stays").isNotNull();
  }

  private void oauthState(String hash, java.time.Instant expiresAt) {
    try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crmkit_oauth_state (state_hash, tenant_id, integration_id, provider, redirect_uri, created_at, "
            + "expires_at) VALUES (?, 'tenant-old', 'old', 'memory', 'https://host.example/callback', ?, ?)")) {
      ps.setString(1, hash);
      ps.setLong(2, expiresAt.minus(Duration.ofMinutes(10)).toEpochMilli());
      ps.setLong(3, expiresAt.toEpochMilli());
      ps.executeUpdate();
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  private List<String> oauthStates() {
    List<String> hashes = new java.util.ArrayList<>();
    try (java.sql.Connection c = db.getConnection(); java.sql.Statement st = c.createStatement();
         java.sql.ResultSet rs = st.executeQuery("SELECT state_hash FROM crmkit_oauth_state ORDER BY state_hash")) {
      while (rs.next()) {
        hashes.add(rs.getString(1));
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
    return hashes;
  }

  @Test
  void conflictDetectionSetsTheOpenConflictsGaugePerIntegration() {
    JobFixtures.insert(db, "a", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);

    assertThat(work.conflictDetection()).isEqualTo("open conflicts 0 in 1 integration(s)");
    assertThat(meters.get(Metrics.CONFLICTS).tag("integration", "a").tag("provider", "memory").gauge().value())
        .isZero();
  }

  @Test
  void healthSummarizesTheLastDaysRunsAndIsTenantScoped() {
    JobFixtures.insert(db, "h", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    run("h", RunStatus.SUCCEEDED);
    clock.advance(Duration.ofDays(2));
    run("h", RunStatus.SUCCEEDED);
    run("h", RunStatus.PARTIALLY_FAILED);
    run("h", RunStatus.FAILED);

    IntegrationHealth health = Health.of(runtime, "tenant-h", "h");

    assertThat(health.runs()).as("the run two days ago is outside the window").isEqualTo(3);
    assertThat(health.failures()).isEqualTo(1);
    assertThat(health.errorRate()).isEqualTo(1.0 / 3);
    assertThat(health.meanDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(health.openConflicts()).isZero();
    assertThat(health.status()).isEqualTo(IntegrationStatus.ERROR);
    assertThat(health.lastError()).contains("outage");
    assertThatThrownBy(() -> Health.of(runtime, "another-tenant", "h")).isInstanceOf(NotFoundException.class);
  }

  @Test
  void healthWithNoRunHasNoMeanAndNoErrorRate() {
    JobFixtures.insert(db, "new", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);

    IntegrationHealth health = Health.of(runtime, "tenant-new", "new");

    assertThat(health).isEqualTo(new IntegrationHealth("new", IntegrationStatus.ACTIVE, 0, 0, null, 0, 0, null, null));
  }

  private IntegrationStatus status(String id) {
    return runtime.byId(id).orElseThrow().integration().status();
  }
}
