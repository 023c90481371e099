package dev.crmkit.integrations;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.integrations.internal.Jobs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * One host node of the multi-JVM job tests, run in a child JVM: an {@link IntegrationService} and its
 * {@link IntegrationJobs} on a shared PostgreSQL with short periods, recording each run it starts into
 * {@code job_observation} (job, instance, period start, node, phase). Arguments: JDBC URL, node name,
 * period in milliseconds, the job to make slow ({@code -} for none) and how long it sleeps in
 * milliseconds. Runs until killed.
 */
public final class JobNode {
  static final String OBSERVATIONS = "CREATE TABLE job_observation (job VARCHAR(64) NOT NULL, "
      + "instance VARCHAR(200) NOT NULL, period_start BIGINT NOT NULL, node VARCHAR(100) NOT NULL, "
      + "phase VARCHAR(16) NOT NULL, at_millis BIGINT NOT NULL)";

  private JobNode() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String node = args[1];
    Duration period = Duration.ofMillis(Long.parseLong(args[2]));
    String slowJob = args[3];
    long slowMillis = Long.parseLong(args[4]);
    DataSource ds = pool(url, 6);
    IntegrationService service = IntegrationService.builder().dataSource(ds)
        .factory(IntegrationFactory.builder().build()).keyRing(TestKeys.random())
        .meterRegistry(new SimpleMeterRegistry()).build();
    IntegrationJobs.Builder jobs = IntegrationJobs.builder(service, ds).node(node).threads(3)
        .pollingInterval(Duration.ofMillis(200)).heartbeat(Duration.ofSeconds(1)).missedHeartbeats(4)
        .shutdownWait(Duration.ofSeconds(5)).syncInterval(SyncSchedule.REAL_TIME, period)
        .listener((job, instance, periodStart, n) -> {
          observe(ds, job, instance, periodStart, n, "started");
          if (job.equals(slowJob)) {
            sleep(slowMillis);
            observe(ds, job, instance, periodStart, n, "completed");
          }
        });
    for (IntegrationJobs.Job job : IntegrationJobs.Job.values()) {
      jobs.period(job, period);
    }
    jobs.build().start();
    System.out.println("node " + node + " started");
    Thread.currentThread().join();
  }

  /** A small connection pool on the URL; close it after use. */
  static HikariDataSource pool(String url, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    return new HikariDataSource(config);
  }

  private static void observe(DataSource ds, String job, String instance, Instant periodStart, String node,
      String phase) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO job_observation VALUES (?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, job);
      ps.setString(2, instance);
      ps.setLong(3, periodStart.toEpochMilli());
      ps.setString(4, node);
      ps.setString(5, phase);
      ps.setLong(6, System.currentTimeMillis());
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
