package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.integrations.internal.Jobs;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Jobs on a cluster: host JVMs on one PostgreSQL, each running the integration jobs. Each job must run
 * once per period across the nodes, the work must spread over more than one node, and a run whose JVM
 * is killed mid-way (kill -9) must be completed once by another node.
 */
class ThreeJvmJobsTest {
  private static final Duration PERIOD = Duration.ofSeconds(2);
  private final List<Process> nodes = new ArrayList<>();
  private final List<AutoCloseable> pools = new ArrayList<>();

  @AfterEach
  void stopNodes() throws Exception {
    for (Process p : nodes) {
      p.destroyForcibly();
    }
    for (Process p : nodes) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (AutoCloseable pool : pools) {
      pool.close();
    }
  }

  @Test
  void eachJobRunsOncePerPeriodAcrossThreeJvms() throws Exception {
    String url = TestDatabases.postgresUrl("crmkit_jobs_three");
    DataSource ds = prepare(url);
    JobFixtures.insert(ds, "int-a", IntegrationStatus.ACTIVE, SyncSchedule.REAL_TIME);
    JobFixtures.insert(ds, "int-b", IntegrationStatus.ACTIVE, SyncSchedule.REAL_TIME);
    JobFixtures.insert(ds, "int-manual", IntegrationStatus.ACTIVE, SyncSchedule.MANUAL);
    JobFixtures.insert(ds, "int-paused", IntegrationStatus.PAUSED, SyncSchedule.REAL_TIME);
    for (int i = 1; i <= 3; i++) {
      start(url, "node-" + i, PERIOD, "-", 0);
    }
    awaitStarted(Duration.ofSeconds(30));
    Thread.sleep(PERIOD.multipliedBy(7).toMillis());
    for (Process p : nodes) {
      p.destroy();
    }

    Map<String, Map<Long, Integer>> perPeriod = new TreeMap<>();
    Map<String, Integer> perNode = new TreeMap<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT job, instance, period_start, node FROM job_observation "
            + "WHERE phase = 'started'")) {
      while (rs.next()) {
        String job = rs.getString(1);
        String key = job.equals(Jobs.DELTA_SYNC) ? job + " " + rs.getString(2).replaceAll("@.*", "") : job;
        perPeriod.computeIfAbsent(key, k -> new TreeMap<>()).merge(rs.getLong(3), 1, Integer::sum);
        perNode.merge(rs.getString(4), 1, Integer::sum);
      }
    }
    StringBuilder report = new StringBuilder("three JVMs, period " + PERIOD.toMillis() + " ms\n");
    perPeriod.forEach((job, counts) -> report.append(String.format("%-28s periods %d, runs per period %s, "
        + "periods skipped %d%n", job, counts.size(), counts.values(), skipped((TreeMap<Long, Integer>) counts))));
    report.append("runs per node ").append(perNode).append('\n');
    report.append("job log outcomes ").append(rows(ds, "SELECT job, outcome, COUNT(*) FROM crmkit_job_run "
        + "GROUP BY job, outcome ORDER BY job, outcome")).append('\n');
    System.out.print(report);
    Files.writeString(Path.of("target", "jobs-three-jvm.txt"), report.toString());

    assertThat(perPeriod).containsOnlyKeys(Jobs.DELTA_SYNC_SCHEDULING, Jobs.HEALTH_CHECK, Jobs.CONFLICT_DETECTION,
        Jobs.RETRY_FAILED, Jobs.LOG_CLEANUP, Jobs.DELTA_SYNC + " int-a", Jobs.DELTA_SYNC + " int-b");
    perPeriod.forEach((job, counts) -> {
      assertThat(counts.values()).as("runs per period of %s", job).containsOnly(1);
      assertThat(counts).as("periods of %s", job).hasSizeGreaterThanOrEqualTo(5);
    });
    assertThat(perNode).as("nodes that ran jobs").hasSizeGreaterThan(1);
  }

  @Test
  void aRunKilledMidwayIsCompletedOnceByAnotherNode() throws Exception {
    String url = TestDatabases.postgresUrl("crmkit_jobs_kill");
    DataSource ds = prepare(url);
    Duration period = Duration.ofSeconds(3);
    start(url, "node-1", period, Jobs.HEALTH_CHECK, 6_000);
    start(url, "node-2", period, Jobs.HEALTH_CHECK, 6_000);
    awaitStarted(Duration.ofSeconds(30));

    String[] first = awaitString(ds, "SELECT node, instance FROM job_observation WHERE job = 'health-check' "
        + "AND phase = 'started' ORDER BY at_millis", Duration.ofSeconds(20)).split(" ");
    String victim = first[0];
    String instance = first[1];
    Process killed = nodes.get(victim.equals("node-1") ? 0 : 1);
    killed.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    long killedAt = System.currentTimeMillis();

    String thatRun = "job = 'health-check' AND instance = '" + instance + "'";
    String outcome = awaitString(ds, "SELECT outcome FROM crmkit_job_run WHERE " + thatRun
        + " AND outcome <> 'RUNNING'", Duration.ofSeconds(40));
    long revivedAfter = System.currentTimeMillis() - killedAt;
    String survivor = victim.equals("node-1") ? "node-2" : "node-1";
    assertThat(outcome).isEqualTo("SUCCEEDED");
    assertThat(rows(ds, "SELECT node, phase FROM job_observation WHERE " + thatRun + " ORDER BY at_millis"))
        .containsExactly(victim + " started", survivor + " started", survivor + " completed");
    assertThat(rows(ds, "SELECT node, attempts FROM crmkit_job_run WHERE " + thatRun))
        .containsExactly(survivor + " 2");
    String report = "kill -9 of " + victim + " mid-run: " + survivor + " completed the run "
        + revivedAfter + " ms after the kill (heartbeat 1 s, dead after 4 missed)\n";
    System.out.print(report);
    Files.writeString(Path.of("target", "jobs-kill-nine.txt"), report);
  }

  private DataSource prepare(String url) throws SQLException {
    DataSource ds = JobNode.pool(url, 2);
    pools.add((AutoCloseable) ds);
    IntegrationSchema.migrate(ds);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(JobNode.OBSERVATIONS);
    }
    return ds;
  }

  private void start(String url, String node, Duration period, String slowJob, long slowMillis) throws IOException {
    Files.createDirectories(Path.of("target"));
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        JobNode.class.getName(), url, node, String.valueOf(period.toMillis()), slowJob, String.valueOf(slowMillis));
    pb.redirectErrorStream(true);
    pb.redirectOutput(new File("target", "job-" + node + ".log"));
    nodes.add(pb.start());
  }

  /**
   * Periods between a job's first and last run in which it did not run: fixed-rate jobs skip a period
   * they were too late for (a loaded machine), they never run it twice.
   */
  private static long skipped(TreeMap<Long, Integer> counts) {
    return (counts.lastKey() - counts.firstKey()) / PERIOD.toMillis() + 1 - counts.size();
  }

  /** Waits until every node printed that its jobs started: a loaded machine starts JVMs slowly. */
  private void awaitStarted(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 1; i <= nodes.size(); i++) {
      Path log = Path.of("target", "job-node-" + i + ".log");
      while (!(Files.exists(log) && Files.readString(log).contains(" started"))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("node-" + i + " did not start in " + timeout + ": see " + log);
        }
        Thread.sleep(100);
      }
    }
  }

  private static String awaitString(DataSource ds, String sql, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<String> r = rows(ds, sql);
      if (!r.isEmpty()) {
        return r.get(0);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("nothing after " + timeout + ": " + sql);
  }

  private static List<String> rows(DataSource ds, String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? " " : "").append(rs.getString(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }
}
