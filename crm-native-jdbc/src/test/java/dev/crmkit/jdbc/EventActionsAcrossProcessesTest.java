package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.ActivityType;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.PageRequest;
import dev.crmkit.actions.CallCompleted;
import dev.crmkit.actions.CallOutcome;
import dev.crmkit.actions.CustomerRef;
import dev.crmkit.actions.EventActions;
import dev.crmkit.actions.OutboxEntry;
import dev.crmkit.actions.OutboxStatus;
import dev.crmkit.actions.ProcessingReport;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event actions in real host processes: child JVMs ({@link EventActionsWorker}) on the test's class path
 * share a database with the test.
 *
 * <ul>
 *   <li>A worker killed ({@link Process#destroyForcibly()}) right after one event's writes and before the
 *       outbox recorded them, with more events claimed and not started: a new processor, once the lease
 *       has passed, finishes every event, and each event's writes exist exactly once.
 *   <li>Two worker JVMs drain one outbox at once: each event is handled by exactly one of them (each
 *       handling writes an activity without an idempotency key, so a second handling would show).
 * </ul>
 */
class EventActionsAcrossProcessesTest {
  private static final int PHONES = 4;

  @TempDir
  Path dir;

  /**
   * On SQLite, not H2: an H2 file database killed with {@code destroyForcibly} came back without some of
   * the dead process's last commits (claims and completions), even with {@code WRITE_DELAY=0}, so it cannot
   * show what the outbox does after a crash. SQLite in WAL mode keeps every commit.
   */
  @Test
  void aWorkerKilledMidBatchLosesAndDoublesNothingOnSqlite() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("killed.db") + "?busy_timeout=30000&journal_mode=WAL";
    aWorkerKilledMidBatchLosesAndDoublesNothing(url, new DriverManagerDataSource(url, null, null));
  }

  @Test
  void aWorkerKilledMidBatchLosesAndDoublesNothingOnPostgres() throws Exception {
    ServerDatabases.postgres("crmkit_actions_kill");
    String url = ServerDatabases.postgresUrl("crmkit_actions_kill");
    aWorkerKilledMidBatchLosesAndDoublesNothing(url, new DriverManagerDataSource(url, null, null));
  }

  @Test
  void twoWorkerProcessesDrainingOneOutboxHandleEachEventOnceOnPostgres() throws Exception {
    ServerDatabases.postgres("crmkit_actions_drain");
    String url = ServerDatabases.postgresUrl("crmkit_actions_drain");
    twoWorkerProcessesHandleEachEventOnce(url, new DriverManagerDataSource(url, null, null));
  }

  @Test
  void twoWorkerProcessesDrainingOneOutboxHandleEachEventOnceOnSqlite() throws Exception {
    String url = "jdbc:sqlite:" + dir.resolve("drain.db") + "?busy_timeout=30000&journal_mode=WAL";
    twoWorkerProcessesHandleEachEventOnce(url, new DriverManagerDataSource(url, null, null));
  }

  private static void aWorkerKilledMidBatchLosesAndDoublesNothing(String url, DataSource db) throws Exception {
    NativeSchema.migrate(db);
    String tenant = "killed-" + System.nanoTime();
    EventActions feeder = EventActions.builder().outbox(JdbcEventOutbox.open(db)).systems(t -> null).build();
    List<String> ids = new ArrayList<>();
    Instant t0 = Instant.now().minusSeconds(60);
    for (int i = 0; i < 12; i++) {
      String id = "call-" + i;
      ids.add(id);
      // Due in order, so the worker takes them in batches of five: 0-4, then 5-9.
      feeder.submit(new CallCompleted(tenant, id, CustomerRef.byPhone(phone(i)), t0.plusSeconds(i),
          Duration.ofSeconds(10 + i), CallOutcome.COMPLETED, "call " + i));
    }
    Child worker = Child.start(url, "doomed", "crash:7", 3600);
    List<String> wrote = worker.linesUntil("WROTE call-6");
    assertThat(wrote).containsExactly("WROTE call-0", "WROTE call-1", "WROTE call-2", "WROTE call-3", "WROTE call-4",
        "WROTE call-5", "WROTE call-6");
    worker.kill();

    JdbcEventOutbox outbox = JdbcEventOutbox.open(db);
    Map<OutboxStatus, Long> counts = outbox.counts(tenant);
    assertThat(counts).containsEntry(OutboxStatus.DONE, 6L).containsEntry(OutboxStatus.IN_PROGRESS, 4L)
        .containsEntry(OutboxStatus.PENDING, 2L);
    assertThat(outbox.find(tenant, "call-6").orElseThrow().lockedBy()).isEqualTo("doomed");

    // A host process started after the crash; its clock is past the dead worker's lease.
    Clock later = Clock.offset(Clock.systemUTC(), Duration.ofHours(2));
    NativeCustomerSystem system = NativeCustomerSystem.open(db, tenant, later, PhoneNumbers.forRegion("US"));
    EventActions survivor = EventActions.builder().outbox(outbox).systems(t -> system).clock(later)
        .workerId("survivor").build();
    ProcessingReport report = survivor.runOnce();
    assertThat(report.done()).isEqualTo(6);
    assertThat(outbox.counts(tenant)).containsEntry(OutboxStatus.DONE, 12L);
    assertThat(outbox.find(tenant, "call-6").orElseThrow().attempts()).isEqualTo(2);
    assertThat(outbox.find(tenant, "call-11").orElseThrow().attempts()).isEqualTo(1);

    Map<String, Integer> writes = callsByEvent(system);
    assertThat(writes.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(writes.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    for (int i = 0; i < PHONES; i++) {
      assertThat(system.findByPhone(phone(i))).isPresent();
    }
    system.close();
  }

  private static void twoWorkerProcessesHandleEachEventOnce(String url, DataSource db) throws Exception {
    NativeSchema.migrate(db);
    String tenant = "drain-" + System.nanoTime();
    NativeCustomerSystem system = NativeCustomerSystem.open(db, tenant, Clock.systemUTC(), PhoneNumbers.forRegion("US"));
    // The customers exist up front, so the two workers never race to create one.
    for (int i = 0; i < PHONES; i++) {
      system.create(dev.crmkit.CustomerDraft.builder().phone(phone(i)).build());
    }
    JdbcEventOutbox outbox = JdbcEventOutbox.open(db);
    int events = 80;
    Instant t0 = Instant.now().minusSeconds(600);
    for (int i = 0; i < events; i++) {
      outbox.append(new CallCompleted(tenant, "drain-" + i, CustomerRef.byPhone(phone(i)), t0.plusSeconds(i),
          Duration.ofSeconds(5), CallOutcome.COMPLETED, null), t0.plusSeconds(i));
    }
    Child a = Child.start(url, "worker-a", "drain", 3600);
    Child b = Child.start(url, "worker-b", "drain", 3600);
    List<String> linesA = a.linesUntil("IDLE");
    List<String> linesB = b.linesUntil("IDLE");
    a.awaitExit();
    b.awaitExit();

    assertThat(outbox.counts(tenant)).containsEntry(OutboxStatus.DONE, (long) events);
    Map<String, Integer> writes = callsByEvent(system);
    assertThat(writes).hasSize(events);
    assertThat(writes.values()).allSatisfy(n -> assertThat(n).isEqualTo(1));
    assertThat(linesA.size() + linesB.size() - 2).isEqualTo(events);
    for (int i = 0; i < events; i++) {
      OutboxEntry e = outbox.find(tenant, "drain-" + i).orElseThrow();
      assertThat(e.attempts()).isEqualTo(1);
    }
    system.close();
  }

  private static String phone(int i) {
    return "+1415555" + String.format("%04d", 200 + i % PHONES);
  }

  /** Event id to the number of CALL activities carrying it, over every customer of the tenant. */
  private static Map<String, Integer> callsByEvent(NativeCustomerSystem system) {
    Map<String, Integer> byEvent = new HashMap<>();
    for (int i = 0; i < PHONES; i++) {
      Customer c = system.findByPhone(phone(i)).orElseThrow();
      for (CustomerActivity a : system.listActivities(c.id(), PageRequest.first(500)).items()) {
        if (a.type() == ActivityType.CALL) {
          byEvent.merge(a.metadata().get("eventId"), 1, Integer::sum);
        }
      }
    }
    return byEvent;
  }

  /** A child JVM running {@link EventActionsWorker}, its output read line by line. */
  private static final class Child {
    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private Child(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            lines.add(line);
          }
        } catch (IOException e) {
          lines.add("READ FAILED " + e);
        }
        lines.add("EXITED");
      });
      reader.setDaemon(true);
      reader.start();
    }

    static Child start(String url, String workerId, String mode, int leaseSeconds) throws IOException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          EventActionsWorker.class.getName(), url, workerId, mode, Integer.toString(leaseSeconds));
      pb.redirectErrorStream(true);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      return new Child(pb.start());
    }

    /** The lines up to and including {@code last}; fails when the child exits or stays silent for two minutes. */
    List<String> linesUntil(String last) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        String line = lines.poll(120, TimeUnit.SECONDS);
        if (line == null || line.equals("EXITED")) {
          process.destroyForcibly();
          throw new AssertionError("the worker " + (line == null ? "went silent" : "exited") + " before '" + last
              + "'; its output: " + seen);
        }
        if (line.startsWith("WROTE") || line.equals("IDLE")) {
          seen.add(line);
        }
        if (line.equals(last)) {
          return seen;
        }
      }
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }

    void awaitExit() throws InterruptedException {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("the worker did not exit");
      }
      assertThat(process.exitValue()).isZero();
    }
  }
}
