package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.CustomerDraft;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.http.RetryPolicy;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.integrations.internal.JobLog;
import dev.crmkit.integrations.internal.Jobs;
import dev.crmkit.integrations.internal.Metrics;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The service's metrics and health against crm-testkit's HubSpot emulator, the jobs on one node (H2),
 * and the jobs builder's checks.
 */
class IntegrationJobsTest {
  private static final String TENANT = "acme";
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private DataSource db;
  private HubSpotEmulator hubspot;
  private IntegrationFactory factory;
  private IntegrationService service;

  @BeforeEach
  void start() {
    db = TestDatabases.h2();
    IntegrationSchema.migrate(db);
    hubspot = HubSpotEmulator.builder().rateLimits(false).build();
    factory = IntegrationFactory.builder().resource(RetryPolicy.class, RetryPolicy.none()).build();
    service = IntegrationService.builder().dataSource(db).factory(factory).keyRing(TestKeys.random())
        .meterRegistry(meters).build();
    NativeCustomerSystem local = NativeCustomerSystem.open(db, TENANT, Clock.systemUTC(), PhoneNumbers.forRegion("US"));
    local.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace").email("ada@example.com").build());
    local.create(CustomerDraft.builder().firstName("Alan").lastName("Turing").email("alan@example.com").build());
  }

  @AfterEach
  void stop() {
    service.close();
    factory.close();
    hubspot.close();
  }

  private TenantIntegration connect(SyncSchedule schedule, String token) {
    return service.create(TENANT, new IntegrationDraft("hubspot", "HubSpot", SyncFlow.BIDIRECTIONAL, schedule,
        Map.of("baseUrl", hubspot.baseUrl(), "proactiveRateLimiting", "false"), Map.of("accessToken", token)));
  }

  @Test
  void syncNowCountsRunsRecordsAndDurationsByProviderAndIntegration() {
    TenantIntegration t = connect(SyncSchedule.MANUAL, hubspot.accessToken());
    hubspot.faults().failNext(50, 503);
    SyncResult failed = service.syncNow(TENANT, t.id(), SyncMode.FULL);
    hubspot.faults().clear();
    SyncResult ok = service.syncNow(TENANT, t.id(), SyncMode.FULL);

    assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
    assertThat(ok.status()).isEqualTo(RunStatus.SUCCEEDED);
    assertThat(ok.created()).isEqualTo(2);
    assertThat(counter(Metrics.RUNS, t, "status", "succeeded")).isEqualTo(1);
    assertThat(counter(Metrics.RUNS, t, "status", "failed")).isEqualTo(1);
    assertThat(counter(Metrics.RECORDS, t, "outcome", "created")).isEqualTo(ok.created() + failed.created());
    assertThat(counter(Metrics.RECORDS, t, "outcome", "updated")).isEqualTo(ok.updated() + failed.updated());
    var timer = meters.get(Metrics.RUN_DURATION).tags("provider", "hubspot", "integration", t.id(), "status", "succeeded")
        .timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.NANOSECONDS)).isEqualTo(ok.duration().toNanos());

    IntegrationHealth health = service.health(TENANT, t.id());
    assertThat(health.status()).isEqualTo(IntegrationStatus.ACTIVE);
    assertThat(health.runs()).isEqualTo(2);
    assertThat(health.failures()).isEqualTo(1);
    assertThat(health.errorRate()).isEqualTo(0.5);
    assertThat(health.meanDuration()).isNotNull().isPositive();
    assertThat(health.openConflicts()).isZero();
    assertThat(health.lastSyncAt()).isNotNull();
    assertThat(health.lastError()).isNull();
  }

  @Test
  void connectionTestsAreCountedByOutcome() {
    TenantIntegration good = connect(SyncSchedule.MANUAL, hubspot.accessToken());
    TenantIntegration bad = connect(SyncSchedule.MANUAL, "wrong-token");

    service.testConnection(TENANT, good.id());
    service.testConnection(TENANT, bad.id());

    assertThat(counter(Metrics.CONNECTION_TESTS, good, "outcome", "ok")).isEqualTo(1);
    assertThat(counter(Metrics.CONNECTION_TESTS, bad, "outcome", "credentials")).isEqualTo(1);
  }

  @Test
  void noMeterIsTaggedWithTheTenantOrASecret() {
    TenantIntegration t = connect(SyncSchedule.MANUAL, hubspot.accessToken());
    service.testConnection(TENANT, t.id());
    service.syncNow(TENANT, t.id(), SyncMode.FULL);

    List<String> values = new ArrayList<>();
    for (Meter m : meters.getMeters()) {
      m.getId().getTags().stream().map(Tag::getValue).forEach(values::add);
    }
    assertThat(values).isNotEmpty().doesNotContain(TENANT, hubspot.accessToken(), hubspot.baseUrl());
  }

  @Test
  void aRefusedSyncIsNotARun() {
    TenantIntegration t = connect(SyncSchedule.MANUAL, hubspot.accessToken());
    service.disable(TENANT, t.id());

    assertThatThrownBy(() -> service.syncNow(TENANT, t.id(), SyncMode.FULL)).isInstanceOf(ConflictException.class);
    assertThat(meters.find(Metrics.RUNS).counters()).isEmpty();
  }

  @Test
  void jobsOnOneNodeSyncByScheduleCheckHealthAndStopSyncingADeletedIntegration() throws Exception {
    TenantIntegration t = connect(SyncSchedule.HOURLY, hubspot.accessToken());
    TenantIntegration manual = connect(SyncSchedule.MANUAL, hubspot.accessToken());
    try (IntegrationJobs jobs = everySecond(service, db, "solo")) {
      jobs.start();
      await(() -> syncsRun(t.id()) >= 2 && jobRuns(Jobs.HEALTH_CHECK) >= 1, Duration.ofSeconds(20));
      service.delete(TENANT, t.id(), false);
      int afterDelete = deltaSyncs(t.id()) + 1; // one may have been scheduled before the delete
      Thread.sleep(2_500);
      assertThat(deltaSyncs(t.id())).isLessThanOrEqualTo(afterDelete);
    }
    assertThat(deltaSyncs(manual.id())).isZero();
    assertThat(meters.get(Metrics.JOBS).tags("job", Jobs.HEALTH_CHECK, "outcome", "succeeded").counter().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(meters.get(Metrics.RUNS).tags("provider", "hubspot", "integration", t.id(), "status", "succeeded")
        .counter().count()).isGreaterThanOrEqualTo(2);
    assertThat(new JobLog(db).runs(Jobs.HEALTH_CHECK, "", java.time.Instant.EPOCH))
        .allSatisfy(e -> assertThat(e.detail()).matches("checked \\d+, failing 0, recovered 0"));
  }

  @Test
  void jobsRunOnMariaDb() throws Exception {
    DataSource maria = TestDatabases.mariadb();
    IntegrationSchema.migrate(maria);
    JobFixtures.insert(maria, "m1", IntegrationStatus.ACTIVE, SyncSchedule.HOURLY);
    IntegrationService onMaria = IntegrationService.builder().dataSource(maria).factory(factory)
        .keyRing(TestKeys.random()).build();
    try (IntegrationJobs jobs = everySecond(onMaria, maria, "maria")) {
      jobs.start();
      await(() -> count(maria, "SELECT COUNT(*) FROM crmkit_job_run WHERE job = ? AND outcome = 'SUCCEEDED'",
          Jobs.DELTA_SYNC) >= 2 && count(maria, "SELECT COUNT(*) FROM crmkit_job_run WHERE job = ? "
          + "AND outcome = 'SUCCEEDED'", Jobs.HEALTH_CHECK) >= 2, Duration.ofSeconds(20));
    }
    assertThat(count(maria, "SELECT COUNT(*) FROM crmkit_job_run WHERE outcome = ?", "FAILED")).isZero();
  }

  @Test
  void theBuilderRefusesBadSettingsNamingThem() {
    IntegrationJobs.Builder b = IntegrationJobs.builder(service, db);
    assertThatThrownBy(() -> IntegrationJobs.builder(null, db)).isInstanceOf(NullPointerException.class)
        .hasMessage("service");
    assertThatThrownBy(() -> IntegrationJobs.builder(service, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("dataSource");
    assertThatThrownBy(() -> b.node(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node");
    assertThatThrownBy(() -> b.node("n".repeat(101))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("node must be 1 to 100");
    assertThatThrownBy(() -> b.threads(0)).isInstanceOf(IllegalArgumentException.class).hasMessage("threads must be 1 to 64: 0");
    assertThatThrownBy(() -> b.pollingInterval(Duration.ofMillis(10))).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("pollingInterval must be at least PT0.1S: PT0.01S");
    assertThatThrownBy(() -> b.heartbeat(Duration.ofMillis(500))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("heartbeat must be at least PT1S");
    assertThatThrownBy(() -> b.missedHeartbeats(3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("missedHeartbeats must be 4 to 100: 3");
    assertThatThrownBy(() -> b.period(IntegrationJobs.Job.HEALTH_CHECK, Duration.ofMillis(999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("period of HEALTH_CHECK must be at least PT1S");
    assertThatThrownBy(() -> b.syncInterval(SyncSchedule.MANUAL, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MANUAL has no interval");
    assertThatThrownBy(() -> b.retention(Duration.ofMinutes(59))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("retention must be at least PT1H");
    assertThatThrownBy(() -> b.maxRetries(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxRetries must be 0 to 20: -1");
    assertThatThrownBy(() -> b.shutdownWait(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.period(IntegrationJobs.Job.LOG_CLEANUP, null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void jobsRefuseSqliteAndStartOnlyOnce() {
    DataSource sqlite = TestDatabases.sqlite();
    IntegrationSchema.migrate(sqlite);
    assertThatThrownBy(() -> IntegrationJobs.builder(service, sqlite).build()).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("db-scheduler does not support SQLite");

    IntegrationJobs jobs = IntegrationJobs.builder(service, db).shutdownWait(Duration.ZERO).build();
    jobs.start();
    assertThatThrownBy(jobs::start).isInstanceOf(IllegalStateException.class).hasMessage("jobs are started already");
    jobs.close();
    jobs.close();
    assertThatThrownBy(jobs::start).isInstanceOf(IllegalStateException.class).hasMessage("jobs are closed");
  }

  /** Jobs polling every 100 ms, every job and the HOURLY schedule every second. */
  private static IntegrationJobs everySecond(IntegrationService service, DataSource ds, String node) {
    IntegrationJobs.Builder b = IntegrationJobs.builder(service, ds).node(node).pollingInterval(Duration.ofMillis(100))
        .syncInterval(SyncSchedule.HOURLY, Duration.ofSeconds(1)).shutdownWait(Duration.ofSeconds(5));
    for (IntegrationJobs.Job job : IntegrationJobs.Job.values()) {
      b.period(job, Duration.ofSeconds(1));
    }
    return b.build();
  }

  private double counter(String name, TenantIntegration t, String tag, String value) {
    return meters.get(name).tags("provider", t.provider(), "integration", t.id(), tag, value).counter().count();
  }

  private int deltaSyncs(String integrationId) throws SQLException {
    return count(db, "SELECT COUNT(*) FROM crmkit_job_run WHERE job = 'delta-sync' AND instance LIKE ?", integrationId + "@%");
  }

  /** Delta syncs that ran a sync (not skipped as busy or deleted). */
  private int syncsRun(String integrationId) throws SQLException {
    return count(db, "SELECT COUNT(*) FROM crmkit_job_run WHERE job = 'delta-sync' AND detail LIKE 'run %' "
        + "AND instance LIKE ?", integrationId + "@%");
  }

  private int jobRuns(String job) throws SQLException {
    return count(db, "SELECT COUNT(*) FROM crmkit_job_run WHERE job = ? AND outcome = 'SUCCEEDED'", job);
  }

  private static int count(DataSource ds, String sql, String param) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void await(Check check, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(50);
    }
  }
}
