package dev.crmkit.integrations.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled jobs on db-scheduler over the host database ({@code crmkit_scheduled_tasks}). Each
 * recurring job is one db-scheduler task on an {@link AlignedSchedule}: db-scheduler lets one node
 * pick an execution, and {@link JobLog} makes each period's run happen once even when an execution is
 * scheduled twice. Delta syncs are one-time tasks, one per integration and period
 * ({@code <integration id>@<period start millis>}), scheduled by the delta-sync scheduling job, so the
 * syncs spread over the nodes. An execution whose node died (no heartbeat for
 * {@code heartbeat × missedHeartbeats}) is revived on another node, which takes over its log row.
 */
public final class Jobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Jobs.class);

  public static final String DELTA_SYNC = "delta-sync";
  public static final String DELTA_SYNC_SCHEDULING = "delta-sync-scheduling";
  public static final String HEALTH_CHECK = "health-check";
  public static final String CONFLICT_DETECTION = "conflict-detection";
  public static final String RETRY_FAILED = "retry-failed";
  public static final String LOG_CLEANUP = "log-cleanup";
  static final String TABLE = "crmkit_scheduled_tasks";
  static final String TASK_PREFIX = "crmkit-";

  /** Called on the node that runs a job, after it claimed the run and before the work. */
  @FunctionalInterface
  public interface Listener {
    Listener NONE = (job, instance, periodStart, node) -> {};

    void started(String job, String instance, Instant periodStart, String node);
  }

  /**
   * How the jobs run.
   *
   * @param periods the period of each recurring job, by job name (every job above but {@link #DELTA_SYNC})
   * @param retention how long runs, deliveries and job log rows are kept
   */
  public record Settings(String node, int threads, Duration pollingInterval, Duration heartbeat,
      int missedHeartbeats, Duration shutdownWait, Map<String, Duration> periods, Duration retention) {
    public Settings {
      periods = Map.copyOf(periods);
    }
  }

  private final Settings settings;
  private final JobWork work;
  private final JobLog log;
  private final Metrics metrics;
  private final Clock clock;
  private final Listener listener;
  private final Scheduler scheduler;

  public Jobs(DataSource dataSource, Settings settings, JobWork work, Metrics metrics, Clock clock,
      Listener listener) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.work = Objects.requireNonNull(work, "work");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.log = new JobLog(dataSource);
    OneTimeTask<Void> deltaSync = Tasks.oneTime(TASK_PREFIX + DELTA_SYNC)
        .onDeadExecution(reviveForSamePeriod())
        .execute((instance, ctx) -> deltaSync(instance.getId()));
    List<RecurringTask<Void>> recurring = new ArrayList<>();
    recurring.add(recurring(DELTA_SYNC_SCHEDULING, p -> scheduleDeltaSyncs(deltaSync)));
    recurring.add(recurring(HEALTH_CHECK, p -> work.healthCheck()));
    recurring.add(recurring(CONFLICT_DETECTION, p -> work.conflictDetection()));
    recurring.add(recurring(RETRY_FAILED, work::retryFailed));
    recurring.add(recurring(LOG_CLEANUP, p -> work.cleanup(clock.instant().minus(settings.retention()))));
    this.scheduler = Scheduler.create(dataSource, List.of(deltaSync))
        .startTasks(recurring)
        .tableName(TABLE)
        .schedulerName(new SchedulerName.Fixed(settings.node()))
        .threads(settings.threads())
        .pollingInterval(settings.pollingInterval())
        .heartbeatInterval(settings.heartbeat())
        .missedHeartbeatsLimit(settings.missedHeartbeats())
        .shutdownMaxWait(settings.shutdownWait())
        .alwaysPersistTimestampInUTC()
        .clock(clock::instant)
        .build();
  }

  /** Starts polling; the recurring jobs are created in the table by the first node to start. */
  public void start() {
    scheduler.start();
  }

  /** Stops polling and waits up to the shutdown wait for running jobs. */
  @Override
  public void close() {
    scheduler.stop();
  }

  @FunctionalInterface
  private interface PeriodWork {
    String run(String period);
  }

  private RecurringTask<Void> recurring(String job, PeriodWork body) {
    Duration period = settings.periods().get(job);
    return Tasks.recurring(TASK_PREFIX + job, new AlignedSchedule(period))
        .onDeadExecution(reviveForSamePeriod())
        .execute((instance, ctx) -> {
          Instant start = AlignedSchedule.periodStart(ctx.getExecution().executionTime, period);
          String periodKey = String.valueOf(start.toEpochMilli());
          run(job, periodKey, start, () -> body.run(periodKey));
        });
  }

  /**
   * Revives a dead execution at its own execution time (db-scheduler's default revives it at now):
   * so it runs at once, for the same period, and takes over the dead node's log row.
   */
  private static <T> DeadExecutionHandler<T> reviveForSamePeriod() {
    return (complete, operations) -> {
      LOG.info("crmkit job {} died on node {}; reviving it", complete.getExecution().taskInstance,
          complete.getExecution().pickedBy);
      operations.reschedule(complete, complete.getExecution().executionTime);
    };
  }

  private String scheduleDeltaSyncs(OneTimeTask<Void> deltaSync) {
    SchedulerClient client = scheduler;
    Instant now = clock.instant();
    int scheduled = 0;
    int done = 0;
    for (JobWork.Scheduled s : work.scheduled()) {
      String instance = s.integrationId() + "@" + AlignedSchedule.periodStart(now, s.interval()).toEpochMilli();
      if (log.find(DELTA_SYNC, instance) != null) {
        done++;
      } else if (client.scheduleIfNotExists(deltaSync.instance(instance), now)) {
        scheduled++;
      }
    }
    return "scheduled " + scheduled + ", ran this period " + done;
  }

  private void deltaSync(String instance) {
    int at = instance.lastIndexOf('@');
    String integrationId = instance.substring(0, at);
    Instant periodStart = Instant.ofEpochMilli(Long.parseLong(instance.substring(at + 1)));
    run(DELTA_SYNC, instance, periodStart, () -> work.deltaSync(integrationId));
  }

  private void run(String job, String instance, Instant periodStart, Supplier<String> body) {
    Instant started = clock.instant();
    if (!log.claim(job, instance, settings.node(), started)) {
      metrics.job(job, JobLog.Outcome.SKIPPED, Duration.ZERO);
      return;
    }
    JobLog.Outcome outcome;
    String detail;
    try {
      listener.started(job, instance, periodStart, settings.node());
      detail = body.get();
      outcome = JobLog.Outcome.SUCCEEDED;
    } catch (RuntimeException e) {
      outcome = JobLog.Outcome.FAILED;
      detail = describe(e);
      LOG.warn("crmkit job {} ({}) failed: {}", job, instance, detail);
    }
    Instant finished = clock.instant();
    log.finish(job, instance, settings.node(), outcome, detail, finished);
    metrics.job(job, outcome, Duration.between(started, finished));
  }

  /**
   * A crmkit exception's type and message (they never carry secrets or bound values); of any other
   * exception only its type, as its message may quote anything.
   */
  static String describe(RuntimeException e) {
    String type = e.getClass().getSimpleName();
    return e instanceof dev.crmkit.error.CrmException && e.getMessage() != null ? type + ": " + e.getMessage() : type;
  }
}
