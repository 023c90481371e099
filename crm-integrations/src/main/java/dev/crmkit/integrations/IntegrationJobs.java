package dev.crmkit.integrations;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.integrations.internal.IntegrationJobWork;
import dev.crmkit.integrations.internal.JobLog;
import dev.crmkit.integrations.internal.Jobs;
import dev.crmkit.sync.SyncMode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The integrations layer's background jobs, clustered over the host database with
 * <a href="https://github.com/kagkarlsson/db-scheduler">db-scheduler</a>: start one per host JVM on the
 * same database, and each job runs once per period across all of them.
 *
 * <table>
 *   <caption>The jobs</caption>
 *   <tr><th>{@link Job}</th><th>default period</th><th>what it does</th></tr>
 *   <tr><td>{@link Job#DELTA_SYNC_SCHEDULING}</td><td>1 min</td><td>for every ACTIVE integration whose
 *       {@link SyncSchedule} has an interval (REAL_TIME 15 min, HOURLY 1 h, DAILY 24 h), schedules one delta
 *       sync per interval period (periods aligned to the epoch, UTC); any node runs it, once. MANUAL, PAUSED,
 *       ERROR and DISCONNECTED integrations are not synced; a deleted integration's pending sync does
 *       nothing.</td></tr>
 *   <tr><td>{@link Job#HEALTH_CHECK}</td><td>5 min</td><td>tests the connection of every ACTIVE and ERROR
 *       integration: a failure sets ERROR with the reason as last error, a success sets an ERROR one back
 *       to ACTIVE.</td></tr>
 *   <tr><td>{@link Job#CONFLICT_DETECTION}</td><td>1 h</td><td>counts each integration's open conflicts
 *       into the {@code crmkit.integration.conflicts} gauge.</td></tr>
 *   <tr><td>{@link Job#RETRY_FAILED}</td><td>1 h</td><td>runs a delta sync again for every ACTIVE or ERROR,
 *       not MANUAL integration whose last run failed, at most {@link Builder#maxRetries} times since its
 *       last successful run; then it stays ERROR until a person acts.</td></tr>
 *   <tr><td>{@link Job#LOG_CLEANUP}</td><td>1 day</td><td>deletes the layer's sync runs (with their record
 *       errors), webhook deliveries and job log rows older than {@link Builder#retention} (30 days).</td></tr>
 * </table>
 *
 * <p>Every run is logged in {@code crmkit_job_run} (job, instance, node, started and finished at,
 * outcome, attempts, detail) and counted in the {@code crmkit.integration.jobs} meter of the service's
 * registry. A node killed mid-run stops heartbeating; after {@code heartbeat × missedHeartbeats} another
 * node revives the run for the same period and completes it. As with any lease, a node that stalls longer
 * than that (a long GC pause) may find its run taken over while it still works: keep the heartbeat
 * generous.
 *
 * <p>Databases: PostgreSQL, MariaDB/MySQL and H2 as db-scheduler supports them. SQLite is refused
 * ({@link ConfigurationException}): db-scheduler 16 has no SQLite support, and a SQLite file is not shared
 * by host nodes anyway. Tables: {@code crmkit_scheduled_tasks} (db-scheduler's) and
 * {@code crmkit_job_run}, installed by {@link IntegrationSchema#migrate}.
 *
 * <p>Thread-safe. {@link #start()} once, {@link #close()} on shutdown, before closing the service.
 * See {@code docs/jobs-and-metrics.md} in this module for the meters and the cluster guarantees.
 */
public final class IntegrationJobs implements AutoCloseable {
  /** The jobs, by the name the job log and the metrics use. */
  public enum Job {
    /** Schedules the per-integration delta syncs; default every minute. */
    DELTA_SYNC_SCHEDULING(Jobs.DELTA_SYNC_SCHEDULING, Duration.ofMinutes(1)),
    /** Tests connections; default every 5 minutes. */
    HEALTH_CHECK(Jobs.HEALTH_CHECK, Duration.ofMinutes(5)),
    /** Counts open conflicts; default hourly. */
    CONFLICT_DETECTION(Jobs.CONFLICT_DETECTION, Duration.ofHours(1)),
    /** Retries failed runs; default hourly. */
    RETRY_FAILED(Jobs.RETRY_FAILED, Duration.ofHours(1)),
    /** Deletes old runs, deliveries and job log rows; default daily (midnight UTC). */
    LOG_CLEANUP(Jobs.LOG_CLEANUP, Duration.ofDays(1));

    private final String logName;
    private final Duration defaultPeriod;

    Job(String logName, Duration defaultPeriod) {
      this.logName = logName;
      this.defaultPeriod = defaultPeriod;
    }

    /** The job's name in {@code crmkit_job_run.job} and the {@code job} tag, such as {@code "health-check"}. */
    public String logName() {
      return logName;
    }

    /** The period when the builder sets none. */
    public Duration defaultPeriod() {
      return defaultPeriod;
    }
  }

  private final Jobs jobs;
  private boolean started;
  private boolean closed;

  private IntegrationJobs(Builder b) {
    Map<String, Duration> periods = new LinkedHashMap<>();
    for (Job j : Job.values()) {
      periods.put(j.logName(), b.periods.getOrDefault(j, j.defaultPeriod()));
    }
    Map<SyncSchedule, Duration> intervals = new EnumMap<>(SyncSchedule.class);
    for (SyncSchedule s : SyncSchedule.values()) {
      s.interval().ifPresent(i -> intervals.put(s, b.syncIntervals.getOrDefault(s, i)));
    }
    IntegrationService service = b.service;
    Jobs.Settings settings = new Jobs.Settings(b.node, b.threads, b.pollingInterval, b.heartbeat,
        b.missedHeartbeats, b.shutdownWait, periods, b.retention);
    IntegrationJobWork work = new IntegrationJobWork(service.runtime(), new IntegrationJobWork.Operations() {
      @Override
      public dev.crmkit.sync.SyncResult deltaSync(String tenantId, String integrationId) {
        return service.syncNow(tenantId, integrationId, SyncMode.DELTA);
      }

      @Override
      public ConnectionTest testConnection(String tenantId, String integrationId) {
        return service.testConnection(tenantId, integrationId);
      }
    }, service.metrics(), new JobLog(b.dataSource), b.node, intervals, b.maxRetries);
    this.jobs = new Jobs(b.dataSource, settings, work, service.metrics(), service.runtime().clock(), b.listener);
  }

  /**
   * A builder.
   *
   * @param service the integrations the jobs work on; its clock times the jobs and its registry gets the
   *     job meters
   * @param dataSource the host database holding {@code crmkit_scheduled_tasks} (usually the service's)
   * @throws NullPointerException naming a null argument
   */
  public static Builder builder(IntegrationService service, DataSource dataSource) {
    return new Builder(service, dataSource);
  }

  /**
   * Starts polling for due jobs on this node; the first node to start creates the recurring jobs.
   *
   * @throws IllegalStateException when started before or closed
   */
  public synchronized void start() {
    if (closed || started) {
      throw new IllegalStateException(closed ? "jobs are closed" : "jobs are started already");
    }
    started = true;
    jobs.start();
  }

  /**
   * Stops polling and waits up to {@link Builder#shutdownWait} for the jobs running on this node; a job
   * still running then is revived by another node. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (started) {
        jobs.close();
      }
    }
  }

  /** Builds {@link IntegrationJobs}; every setter validates at once. Not thread-safe. */
  public static final class Builder {
    /** Longest node name: {@code crmkit_scheduled_tasks.picked_by} holds 100 characters. */
    public static final int MAX_NODE = 100;

    private final IntegrationService service;
    private final DataSource dataSource;
    private String node = defaultNode();
    private int threads = 4;
    private Duration pollingInterval = Duration.ofSeconds(10);
    private Duration heartbeat = Duration.ofSeconds(30);
    private int missedHeartbeats = 4;
    private Duration shutdownWait = Duration.ofSeconds(30);
    private Duration retention = Duration.ofDays(30);
    private int maxRetries = 3;
    private final Map<Job, Duration> periods = new EnumMap<>(Job.class);
    private final Map<SyncSchedule, Duration> syncIntervals = new EnumMap<>(SyncSchedule.class);
    private Jobs.Listener listener = Jobs.Listener.NONE;

    private Builder(IntegrationService service, DataSource dataSource) {
      this.service = Objects.requireNonNull(service, "service");
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * This node's name in the job log and in db-scheduler's {@code picked_by}; unique per JVM. Default the
     * host name and the process id ({@code "app-1-4242"}).
     *
     * @throws IllegalArgumentException when blank or longer than {@value #MAX_NODE} characters
     */
    public Builder node(String v) {
      Objects.requireNonNull(v, "node");
      if (v.isBlank() || v.length() > MAX_NODE) {
        throw new IllegalArgumentException("node must be 1 to " + MAX_NODE + " characters, not blank: '" + v + "'");
      }
      node = v;
      return this;
    }

    /**
     * How many jobs this node runs at once; default 4.
     *
     * @throws IllegalArgumentException when not 1 to 64
     */
    public Builder threads(int v) {
      if (v < 1 || v > 64) {
        throw new IllegalArgumentException("threads must be 1 to 64: " + v);
      }
      threads = v;
      return this;
    }

    /**
     * How often this node looks for due jobs; default 10 s. A job runs up to this late.
     *
     * @throws IllegalArgumentException when under 100 ms
     */
    public Builder pollingInterval(Duration v) {
      pollingInterval = atLeast("pollingInterval", v, Duration.ofMillis(100));
      return this;
    }

    /**
     * How often a node records that its running jobs are alive; default 30 s. A running job whose node
     * missed {@link #missedHeartbeats} heartbeats is dead and runs again on another node.
     *
     * @throws IllegalArgumentException when under 1 s
     */
    public Builder heartbeat(Duration v) {
      heartbeat = atLeast("heartbeat", v, Duration.ofSeconds(1));
      return this;
    }

    /**
     * Missed heartbeats after which a running job is dead; default 4 (so 2 min with the default heartbeat).
     *
     * @throws IllegalArgumentException when under 4 (db-scheduler's minimum) or over 100
     */
    public Builder missedHeartbeats(int v) {
      if (v < 4 || v > 100) {
        throw new IllegalArgumentException("missedHeartbeats must be 4 to 100: " + v);
      }
      missedHeartbeats = v;
      return this;
    }

    /**
     * How long {@link IntegrationJobs#close()} waits for running jobs; default 30 s.
     *
     * @throws IllegalArgumentException when negative
     */
    public Builder shutdownWait(Duration v) {
      shutdownWait = atLeast("shutdownWait", v, Duration.ZERO);
      return this;
    }

    /**
     * A job's period; defaults in {@link Job#defaultPeriod()}. Periods are aligned to the epoch (UTC): an
     * hourly job runs on the hour.
     *
     * @throws IllegalArgumentException when under 1 s
     */
    public Builder period(Job job, Duration v) {
      Objects.requireNonNull(job, "job");
      periods.put(job, atLeast("period of " + job, v, Duration.ofSeconds(1)));
      return this;
    }

    /**
     * The delta-sync interval of a schedule; defaults in {@link SyncSchedule#interval()}.
     *
     * @throws IllegalArgumentException for {@link SyncSchedule#MANUAL}, or when under 1 s
     */
    public Builder syncInterval(SyncSchedule schedule, Duration v) {
      Objects.requireNonNull(schedule, "schedule");
      if (schedule.interval().isEmpty()) {
        throw new IllegalArgumentException("schedule " + schedule + " has no interval: it never syncs on its own");
      }
      syncIntervals.put(schedule, atLeast("syncInterval of " + schedule, v, Duration.ofSeconds(1)));
      return this;
    }

    /**
     * How long the log cleanup keeps runs, webhook deliveries and job log rows; default 30 days.
     *
     * @throws IllegalArgumentException when under 1 hour
     */
    public Builder retention(Duration v) {
      retention = atLeast("retention", v, Duration.ofHours(1));
      return this;
    }

    /**
     * How many times the retry job runs an integration again after a failed run; default 3.
     *
     * @throws IllegalArgumentException when not 0 to 20
     */
    public Builder maxRetries(int v) {
      if (v < 0 || v > 20) {
        throw new IllegalArgumentException("maxRetries must be 0 to 20: " + v);
      }
      maxRetries = v;
      return this;
    }

    /** For tests: called on the node that runs a job, after it claimed the run. */
    Builder listener(Jobs.Listener v) {
      listener = Objects.requireNonNull(v, "listener");
      return this;
    }

    /**
     * The jobs, not started. Opens one connection to check the database.
     *
     * @throws ConfigurationException when the database is SQLite, which db-scheduler does not support
     */
    public IntegrationJobs build() {
      requireSupportedDatabase(dataSource);
      return new IntegrationJobs(this);
    }

    private static Duration atLeast(String name, Duration v, Duration min) {
      Objects.requireNonNull(v, name);
      if (v.compareTo(min) < 0) {
        throw new IllegalArgumentException(name + " must be at least " + min + ": " + v);
      }
      return v;
    }

    private static String defaultNode() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        host = "node";
      }
      String pid = "-" + ProcessHandle.current().pid();
      return (host.length() + pid.length() > MAX_NODE ? host.substring(0, MAX_NODE - pid.length()) : host) + pid;
    }

    private static void requireSupportedDatabase(DataSource dataSource) {
      try (Connection c = dataSource.getConnection()) {
        String product = c.getMetaData().getDatabaseProductName();
        if (product != null && product.toLowerCase(Locale.ROOT).startsWith("sqlite")) {
          throw new ConfigurationException("integration jobs need PostgreSQL, MariaDB/MySQL or H2: db-scheduler "
              + "does not support SQLite (and host nodes cannot share a SQLite file); run the service without "
              + "IntegrationJobs and call syncNow from the host's own scheduler");
        }
      } catch (SQLException e) {
        throw new ConfigurationException("integration jobs: opening a connection failed with SQLState "
            + e.getSQLState() + " (database message withheld)");
      }
    }
  }
}
