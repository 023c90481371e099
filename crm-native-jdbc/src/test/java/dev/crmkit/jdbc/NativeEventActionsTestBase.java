package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.ActivityType;
import dev.crmkit.CustomerSystem;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.actions.ActionMapping;
import dev.crmkit.actions.CallCompleted;
import dev.crmkit.actions.CallOutcome;
import dev.crmkit.actions.CustomerRef;
import dev.crmkit.actions.EventActions;
import dev.crmkit.actions.EventOutbox;
import dev.crmkit.actions.EventType;
import dev.crmkit.actions.OutboxEntry;
import dev.crmkit.actions.OutboxStatus;
import dev.crmkit.actions.ProcessingReport;
import dev.crmkit.error.ServerException;
import dev.crmkit.testkit.EventActionsContractTest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event-actions contract (crm-testkit) on the native store with the durable {@link JdbcEventOutbox},
 * and the outbox's own rules: appends in the caller's transaction, exclusive claims, leases that end,
 * fenced completion, parking and replay, unreadable rows, two processors on one outbox. A subclass per
 * database; every test works in fresh tenants of one shared schema.
 */
abstract class NativeEventActionsTestBase extends EventActionsContractTest {
  private static HikariDataSource pool;

  static void open(DataSource raw, String name) {
    pool = TestPools.pool(raw, "actions-" + name);
    NativeSchema.migrate(pool);
  }

  @AfterAll
  static void closePool() {
    if (pool != null) {
      pool.close();
      pool = null;
    }
  }

  @Override
  protected CustomerSystem newSystem(String tenantId, Clock clock) {
    return new NativeCustomerSystemProvider().create(new ProviderContext(
        TenantConfig.builder(tenantId, "native").build(), clock, Map.of(DataSource.class, pool)));
  }

  @Override
  protected EventOutbox newOutbox() {
    return JdbcEventOutbox.open(pool, clock);
  }

  private CallCompleted call(String tenant, String eventId) {
    return new CallCompleted(tenant, eventId, CustomerRef.byPhone("+1 415 555 0199"), START, Duration.ofSeconds(42),
        CallOutcome.COMPLETED, "summary of " + eventId);
  }

  private static long count(String sql, Object... params) throws Exception {
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Tests share one table; each starts with it empty, so counts of claimed events are this test's. */
  @BeforeEach
  void emptyTheOutbox() throws Exception {
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      st.executeUpdate("DELETE FROM crm_event_outbox");
    }
  }

  @Test
  void anEventAppendedInTheCallersTransactionExistsOnlyWhenItCommits() throws Exception {
    String tenant = newTenantId();
    JdbcEventOutbox outbox = JdbcEventOutbox.open(pool, clock);
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      assertThat(outbox.append(c, call(tenant, "tx-rolled-back"))).isTrue();
      c.rollback();
      assertThat(outbox.append(c, call(tenant, "tx-committed"))).isTrue();
      // A duplicate does not abort the transaction: the first append still commits.
      assertThat(outbox.append(c, call(tenant, "tx-committed"))).isFalse();
      c.commit();
      c.setAutoCommit(true);
    }
    assertThat(outbox.find(tenant, "tx-rolled-back")).isEmpty();
    assertThat(outbox.find(tenant, "tx-committed")).get().extracting(OutboxEntry::status).isEqualTo(OutboxStatus.PENDING);
    assertThat(outbox.append(call(tenant, "tx-committed"), START)).isFalse();
    assertThat(outbox.counts(tenant)).containsEntry(OutboxStatus.PENDING, 1L).containsEntry(OutboxStatus.DONE, 0L);
  }

  @Test
  void aClaimIsExclusiveUntilItsLeaseEndsAndOnlyTheHolderCompletesIt() {
    String tenant = newTenantId();
    JdbcEventOutbox outbox = JdbcEventOutbox.open(pool, clock);
    outbox.append(call(tenant, "lease-1"), START);
    Duration lease = Duration.ofMinutes(1);
    // Other tests' tenants share the table: only this tenant's entries count here.
    List<OutboxEntry> first = mine(outbox.claim("w1", 1000, START, lease), tenant);
    assertThat(first).singleElement().satisfies(e -> {
      assertThat(e.status()).isEqualTo(OutboxStatus.IN_PROGRESS);
      assertThat(e.attempts()).isEqualTo(1);
      assertThat(e.lockedBy()).isEqualTo("w1");
      assertThat(e.lockedUntil()).isEqualTo(START.plus(lease));
    });
    assertThat(mine(outbox.claim("w2", 1000, START.plusSeconds(59), lease), tenant)).isEmpty();
    List<OutboxEntry> taken = mine(outbox.claim("w2", 1000, START.plusSeconds(60), lease), tenant);
    assertThat(taken).singleElement().satisfies(e -> {
      assertThat(e.attempts()).isEqualTo(2);
      assertThat(e.lockedBy()).isEqualTo("w2");
    });
    assertThat(outbox.complete(tenant, "lease-1", "w1", "late", START.plusSeconds(61))).isFalse();
    assertThat(outbox.fail(tenant, "lease-1", "w1", "late", null, START.plusSeconds(61))).isFalse();
    assertThat(outbox.complete(tenant, "lease-1", "w2", "written", START.plusSeconds(62))).isTrue();
    OutboxEntry done = outbox.find(tenant, "lease-1").orElseThrow();
    assertThat(done.status()).isEqualTo(OutboxStatus.DONE);
    assertThat(done.outcome()).isEqualTo("written");
    assertThat(done.doneAt()).isEqualTo(START.plusSeconds(62));
    assertThat(done.lockedBy()).isNull();
  }

  private static List<OutboxEntry> mine(List<OutboxEntry> claimed, String tenant) {
    return claimed.stream().filter(e -> e.tenantId().equals(tenant)).toList();
  }

  @Test
  void aRetryableFailureIsRetriedWithBackoffThenSucceeds() {
    String tenant = newTenantId();
    AtomicInteger calls = new AtomicInteger();
    ActionMapping mapping = ActionMapping.defaults().with(EventType.CALL_COMPLETED, (event, ctx) -> {
      if (calls.incrementAndGet() < 3) {
        throw new ServerException("HubSpot answered 503", "hubspot", 503, null, "req-" + calls.get(), null);
      }
      ActionMapping.defaults().actionFor(EventType.CALL_COMPLETED).orElseThrow().perform(event, ctx);
    });
    EventActions actions = EventActions.builder().outbox(newOutbox()).systems(this::system).clock(clock)
        .mapping(mapping).jitter(0).backoff(Duration.ofSeconds(10), 3.0, Duration.ofMinutes(1)).workerId("retry")
        .build();
    actions.submit(call(tenant, "retry-1"));
    assertThat(actions.runOnce().retried()).isEqualTo(1);
    OutboxEntry afterFirst = actions.status(tenant, "retry-1").orElseThrow();
    assertThat(afterFirst.status()).isEqualTo(OutboxStatus.PENDING);
    assertThat(afterFirst.nextAttemptAt()).isEqualTo(START.plusSeconds(10));
    assertThat(afterFirst.lastError()).contains("ServerException").contains("503").contains("req-1");

    clock.advance(Duration.ofSeconds(9));
    assertThat(actions.runOnce().claimed()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(actions.runOnce().retried()).isEqualTo(1);
    assertThat(actions.status(tenant, "retry-1").orElseThrow().nextAttemptAt()).isEqualTo(clock.instant().plusSeconds(30));
    clock.advance(Duration.ofSeconds(30));
    ProcessingReport third = actions.runOnce();
    assertThat(third.done()).isEqualTo(1);
    assertThat(actions.status(tenant, "retry-1").orElseThrow().attempts()).isEqualTo(3);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void threeRetryableFailuresParkTheEventWithItsErrorAndAReplayRunsItAgain() {
    String tenant = newTenantId();
    AtomicInteger calls = new AtomicInteger();
    ActionMapping failing = ActionMapping.defaults().with(EventType.CALL_COMPLETED, (event, ctx) -> {
      calls.incrementAndGet();
      throw new ServerException("down for maintenance", "hubspot", 502, null, null, null);
    });
    EventOutbox outbox = newOutbox();
    EventActions actions = EventActions.builder().outbox(outbox).systems(this::system).clock(clock).mapping(failing)
        .jitter(0).backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(10)).build();
    actions.submit(call(tenant, "park-1"));
    for (int i = 0; i < 3; i++) {
      actions.runOnce();
      clock.advance(Duration.ofSeconds(10));
    }
    assertThat(calls.get()).isEqualTo(3);
    assertThat(actions.failed(tenant, 10)).singleElement().satisfies(e -> {
      assertThat(e.eventId()).isEqualTo("park-1");
      assertThat(e.attempts()).isEqualTo(3);
      assertThat(e.lastError()).startsWith("gave up after 3 attempts: ServerException").contains("down for maintenance");
    });
    assertThat(actions.runOnce().claimed()).isZero();

    EventActions fixed = EventActions.builder().outbox(outbox).systems(this::system).clock(clock).build();
    assertThat(fixed.replay(tenant, "park-1")).isTrue();
    assertThat(fixed.replay(tenant, "park-1")).isFalse();
    assertThat(fixed.runOnce().done()).isEqualTo(1);
    assertThat(fixed.status(tenant, "park-1").orElseThrow().attempts()).isEqualTo(1);
    assertThat(fixed.counts(tenant)).containsEntry(OutboxStatus.DONE, 1L).containsEntry(OutboxStatus.PARKED, 0L);
  }

  @Test
  void aRowWhosePayloadCannotBeReadIsParkedOnceWithAClearError() throws Exception {
    String tenant = newTenantId();
    long now = START.toEpochMilli();
    try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO crm_event_outbox (tenant_id, event_id, event_type, payload, status, attempts, next_attempt_at, "
            + "created_at, updated_at) VALUES (?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)")) {
      String[][] rows = {
          {"bad-1", "CALL_COMPLETED", "v=1&type=CALL_COMPLETED&tenantId=" + tenant + "&eventId=bad-1&duration=%ZZ"},
          {"bad-2", "TELEPATHY", "v=7&type=TELEPATHY&tenantId=" + tenant + "&eventId=bad-2"},
          {"bad-3", "CALL_COMPLETED", "v=1&type=CALL_COMPLETED&tenantId=" + tenant + "&eventId=bad-3"
              + "&customer.phone=%2B14155550100&occurredAt=2026-05-04T10%3A00%3A00Z&duration=forever&outcome=COMPLETED"}};
      for (String[] r : rows) {
        ps.setString(1, tenant);
        ps.setString(2, r[0]);
        ps.setString(3, r[1]);
        ps.setString(4, r[2]);
        ps.setLong(5, now);
        ps.setLong(6, now);
        ps.setLong(7, now);
        ps.executeUpdate();
      }
    }
    EventActions actions = EventActions.builder().outbox(newOutbox()).systems(this::system).clock(clock).build();
    ProcessingReport report = actions.runOnce();
    assertThat(report.parked()).isGreaterThanOrEqualTo(3);
    assertThat(actions.runOnce().claimed()).isZero();
    List<OutboxEntry> parked = actions.failed(tenant, 10);
    assertThat(parked).extracting(OutboxEntry::eventId).containsExactlyInAnyOrder("bad-1", "bad-2", "bad-3");
    assertThat(parked).allSatisfy(e -> {
      assertThat(e.lastError()).contains("unreadable event payload");
      assertThat(e.attempts()).isEqualTo(1);
    });
    assertThat(actions.status(tenant, "bad-2").orElseThrow().lastError()).contains("newer crmkit");
    assertThat(actions.status(tenant, "bad-3").orElseThrow().lastError()).contains("payload.duration").contains("forever");
  }

  @Test
  void twoProcessorsDrainingOneOutboxHandleEachEventOnce() throws Exception {
    String tenant = newTenantId();
    int events = 60;
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    ActionMapping counting = ActionMapping.empty().with(EventType.CALL_COMPLETED, (event, ctx) ->
        handled.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet());
    EventActions feeder = EventActions.builder().outbox(newOutbox()).systems(this::system).clock(clock).build();
    for (int i = 0; i < events; i++) {
      feeder.submit(call(tenant, "drain-" + i));
    }
    List<EventActions> processors = new ArrayList<>();
    for (int p = 0; p < 2; p++) {
      processors.add(EventActions.builder().outbox(JdbcEventOutbox.open(pool, clock)).systems(this::system)
          .clock(clock).mapping(counting).batchSize(3).workerId("drainer-" + p).build());
    }
    ExecutorService threads = Executors.newFixedThreadPool(2);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ProcessingReport>> reports = new ArrayList<>();
    for (EventActions p : processors) {
      reports.add(threads.submit(() -> {
        start.await();
        return p.runOnce();
      }));
    }
    start.countDown();
    int done = 0;
    for (Future<ProcessingReport> r : reports) {
      done += r.get(120, TimeUnit.SECONDS).done();
    }
    threads.shutdown();
    assertThat(handled).hasSize(events);
    assertThat(handled.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    assertThat(done).isGreaterThanOrEqualTo(events);
    assertThat(count("SELECT COUNT(*) FROM crm_event_outbox WHERE tenant_id = ? AND status = 'DONE'", tenant))
        .isEqualTo(events);
  }

  /** What a worker dying mid-way looks like to the code after it: nothing runs, nothing is recorded. */
  private static final class WorkerDied extends Error {
    WorkerDied() {
      super("the worker died after the writes");
    }
  }

  @Test
  void anEventOfAWorkerThatDiedIsTakenOverAfterItsLeaseAndWrittenOnce() {
    String tenant = newTenantId();
    EventOutbox outbox = newOutbox();
    EventActions dying = EventActions.builder().outbox(outbox).systems(this::system).clock(clock)
        .lease(Duration.ofMinutes(5)).workerId("dying")
        .mapping(ActionMapping.defaults().andThen(EventType.CALL_COMPLETED, (event, ctx) -> {
          throw new WorkerDied();
        }))
        .build();
    dying.submit(call(tenant, "died-1"));
    assertThatThrownBy(dying::runOnce).isInstanceOf(WorkerDied.class);
    OutboxEntry held = outbox.find(tenant, "died-1").orElseThrow();
    assertThat(held.status()).isEqualTo(OutboxStatus.IN_PROGRESS);
    assertThat(held.lockedBy()).isEqualTo("dying");

    EventActions survivor = EventActions.builder().outbox(outbox).systems(this::system).clock(clock)
        .workerId("survivor").build();
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(survivor.runOnce().claimed()).isZero();
    clock.advance(Duration.ofMillis(1));
    assertThat(survivor.runOnce().done()).isEqualTo(1);
    OutboxEntry entry = survivor.status(tenant, "died-1").orElseThrow();
    assertThat(entry.status()).isEqualTo(OutboxStatus.DONE);
    assertThat(entry.attempts()).isEqualTo(2);
    CustomerSystem s = system(tenant);
    String customerId = s.findByPhone("+14155550199").orElseThrow().id();
    assertThat(s.listActivities(customerId, PageRequest.first(10)).items())
        .filteredOn(a -> a.type() == ActivityType.CALL).hasSize(1);
  }
}
