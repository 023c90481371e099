package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealUpdate;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import dev.crmkit.sync.ConflictResolution;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.spi.SyncCheckpoint;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.spi.SyncSnapshot;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statements each operation prepares (round trips, apart from connection and transaction
 * control), on H2. The table classes behind the public stores must not add any: a change of a count
 * here is a change of the stores' cost, to be made on purpose.
 */
class StatementCountTest {
  @TempDir Path dir;

  /** Statement texts prepared since the last {@link #take}, in order. */
  private final List<String> prepared = new ArrayList<>();
  /** Operation name to the statement texts it prepared, in the order the operations ran. */
  private final Map<String, List<String>> log = new LinkedHashMap<>();

  private DataSource counting(DataSource raw) {
    return (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(raw, method, args);
          return result instanceof Connection c ? watch(c) : result;
        });
  }

  private Connection watch(Connection c) {
    return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
        (proxy, method, args) -> {
          String name = method.getName();
          if (name.equals("prepareStatement") || name.equals("prepareCall")) {
            prepared.add((String) args[0]);
          } else if (name.equals("createStatement")) {
            prepared.add("<statement>");
          }
          return invoke(c, method, args);
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private <T> T take(String operation, Supplier<T> call) {
    prepared.clear();
    T result = call.get();
    log.put(operation, List.copyOf(prepared));
    return result;
  }

  private void take(String operation, Runnable call) {
    take(operation, () -> {
      call.run();
      return null;
    });
  }

  private Map<String, Integer> counts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    log.forEach((operation, statements) -> out.put(operation, statements.size()));
    return out;
  }

  /** Writes every operation's statements to the file named by {@code crmkit.statementLog}, when set. */
  private void dump(String name) throws Exception {
    String file = System.getProperty("crmkit.statementLog");
    if (file == null) {
      return;
    }
    try (PrintWriter w = new PrintWriter(file + "-" + name)) {
      log.forEach((operation, statements) -> {
        w.println("== " + operation);
        statements.forEach(w::println);
      });
    }
  }

  private DataSource database(String name) {
    DataSource raw = new DriverManagerDataSource("jdbc:h2:file:" + dir.resolve(name) + ";LOCK_TIMEOUT=10000", "sa",
        "");
    NativeSchema.migrate(raw);
    return counting(raw);
  }

  @Test
  void nativeStoreOperationsPrepareTheirUsualStatements() throws Exception {
    TickingClock clock = new TickingClock(Instant.parse("2025-03-01T10:00:00Z"));
    NativeCustomerSystem crm = NativeCustomerSystem.open(database("crm"), "tenant-1", clock,
        PhoneNumbers.forRegion("US"));
    Customer ada = take("create", () -> crm.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace")
        .email("ada@example.com").phone("(415) 555-0100").tag("vip").build()));
    Customer ann = take("create again", () -> crm.create(CustomerDraft.builder().firstName("Ada").lastName("Lovelace")
        .email("lovelace@example.com").tag("vip").build()));
    take("get", () -> crm.get(ada.id()));
    take("findByEmail", () -> crm.findByEmail("ada@example.com"));
    take("search", () -> crm.search(CustomerQuery.builder().name("ada").tag("vip").limit(1).build()));
    take("search by phone, deleted too", () -> crm.search(CustomerQuery.builder().phone("415-555-0100")
        .includeDeleted(true).build()));
    take("update", () -> crm.update(ada.id(), CustomerUpdate.builder().company("Engines").build()));
    take("addNote", () -> crm.addNote(ada.id(), NoteDraft.of("called")));
    take("addNote again", () -> crm.addNote(ada.id(), NoteDraft.of("called back")));
    take("listNotes", () -> crm.listNotes(ada.id(), PageRequest.first(1)));
    String noteCursor = crm.listNotes(ada.id(), PageRequest.first(1)).nextCursor();
    take("listNotes after a cursor", () -> crm.listNotes(ada.id(), PageRequest.first(1).at(noteCursor)));
    ActivityDraft call = new ActivityDraft(ActivityType.CALL, Channel.PHONE, "call", null, Map.of("a", "1", "b", "2"),
        "call-1");
    take("addActivity", () -> crm.addActivity(ada.id(), call));
    take("addActivity, same idempotency key", () -> crm.addActivity(ada.id(), call));
    take("logInteraction", () -> crm.logInteraction(ada.id(), ActivityDraft.of(ActivityType.EMAIL, Channel.EMAIL,
        "mail")));
    take("listActivities", () -> crm.listActivities(ada.id(), PageRequest.first(1)));
    String activityCursor = crm.listActivities(ada.id(), PageRequest.first(1)).nextCursor();
    take("listActivities after a cursor", () -> crm.listActivities(ada.id(),
        PageRequest.first(1).at(activityCursor)));
    take("findActivity", () -> crm.findActivity("call-1"));
    OrderDraft order = new OrderDraft("order-1", new Money(new BigDecimal("12.50"), Money.currency("EUR")),
        Instant.parse("2025-03-01T09:00:00Z"));
    take("recordOrder", () -> crm.recordOrder(ada.id(), order));
    take("recordOrder, same order", () -> crm.recordOrder(ada.id(), order));
    take("addNote with a key", () -> crm.addNote(ada.id(), NoteDraft.of("keyed").withIdempotencyKey("note-1")));
    take("addNote, same key", () -> crm.addNote(ada.id(), NoteDraft.of("keyed").withIdempotencyKey("note-1")));
    DealDraft deal = DealDraft.builder("Engine").amount(Money.of("100", "EUR")).customField("a", "1")
        .customField("b", "2").idempotencyKey("deal-1").build();
    Deal created = take("createDeal", () -> crm.createDeal(ada.id(), deal));
    take("createDeal, same key", () -> crm.createDeal(ada.id(), deal));
    take("getDeal", () -> crm.getDeal(created.id()));
    take("updateDeal", () -> crm.updateDeal(created.id(), DealUpdate.builder().stageId("won").customField("a", null)
        .customField("c", "3").build()));
    crm.createDeal(ann.id(), DealDraft.builder("Ann's").build());
    take("listDeals", () -> crm.listDeals(ada.id(), PageRequest.first(1)));
    take("findDuplicates", () -> crm.findDuplicates(10));
    take("merge", () -> crm.merge(ada.id(), ann.id()));
    take("get a merged id", () -> crm.get(ann.id()));
    take("delete", () -> crm.delete(ada.id()));
    take("restore", () -> crm.restore(ada.id()));
    take("changesSince", () -> crm.changesSince(null, 2));
    dump("native");

    assertThat(counts()).containsExactlyEntriesOf(expected(
        "create", 5, "create again", 3, "get", 3, "findByEmail", 3, "search", 2, "search by phone, deleted too", 2,
        "update", 4, "addNote", 3, "addNote again", 3, "listNotes", 4, "listNotes after a cursor", 4,
        "addActivity", 4, "addActivity, same idempotency key", 5, "logInteraction", 6, "listActivities", 5,
        "listActivities after a cursor", 5, "findActivity", 2, "recordOrder", 8, "recordOrder, same order", 3,
        "addNote with a key", 3, "addNote, same key", 4, "createDeal", 4, "createDeal, same key", 5, "getDeal", 2,
        "updateDeal", 5, "listDeals", 5, "findDuplicates", 3, "merge", 13, "get a merged id", 7, "delete", 4,
        "restore", 4, "changesSince", 2));
  }

  @Test
  void syncStoreOperationsPrepareTheirUsualStatements() throws Exception {
    TickingClock clock = new TickingClock(Instant.parse("2025-03-01T10:00:00Z"));
    JdbcSyncStore store = JdbcSyncStore.open(database("sync"), clock);
    IntegrationKey key = new IntegrationKey("tenant-1", "hubspot");
    SyncLease lease = take("acquireLease", () -> store.acquireLease(key, "worker-1", Duration.ofMinutes(1))).get();
    take("acquireLease, held", () -> store.acquireLease(key, "worker-2", Duration.ofMinutes(1)));
    take("renewLease", () -> store.renewLease(key, "worker-1", Duration.ofMinutes(2)));
    String runId = take("startRun", () -> store.startRun(key, "full")).id();
    take("putEvent", () -> store.putEvent(key, event("ev-1")));
    take("putEvent, same event", () -> store.putEvent(key, event("ev-1")));
    store.putEvent(key, event("ev-2"));
    SyncSnapshot snapshot = new SyncSnapshot(Map.of("email", "ada@example.com"), Instant.parse("2025-03-01T10:00:00Z"),
        "v1");
    take("checkpoint", () -> store.checkpoint(key, SyncCheckpoint.builder().fence("worker-1", lease.generation())
        .link("L1", "E1", snapshot).link("L2", "E2", null).cursor(SyncFlow.PULL, "c1").eventDone("ev-1")
        .runProgress(runId, RunCounts.ZERO, List.of(new RecordError("L3", SyncSide.LOCAL, "invalid", "bad email")))
        .build()));
    take("checkpoint again", () -> store.checkpoint(key, SyncCheckpoint.builder().link("L1", "E1", snapshot)
        .unlink("L2").remapLocal("L1", "L9").remapExternal("E1", "E9").cursor(SyncFlow.PULL, "c2").build()));
    take("mappingByLocalId", () -> store.mappingByLocalId(key, "L9"));
    take("mappingsByExternalIds", () -> store.mappingsByExternalIds(key, List.of("E9", "E2", "E3")));
    take("mappingsByLocalIds, none", () -> store.mappingsByLocalIds(key, List.of()));
    take("cursor", () -> store.cursor(key, SyncFlow.PULL));
    take("addRecordErrors", () -> store.addRecordErrors(key, runId, List.of(new RecordError("E4", SyncSide.REMOTE,
        "rejected", "no"))));
    take("recordErrors", () -> store.recordErrors(key, runId));
    take("finishRun", () -> store.finishRun(key, runId, RunStatus.SUCCEEDED, RunCounts.ZERO));
    take("recentRuns", () -> store.recentRuns(key, 5));
    List<FieldConflict> fields = List.of(new FieldConflict("email", "a@example.com", "b@example.com", null));
    String conflictId = take("addConflict", () -> store.addConflict(key, "L9", "E9", fields, "manual")).id();
    take("addConflict, open already", () -> store.addConflict(key, "L9", "E9", fields, "manual"));
    take("openConflicts", () -> store.openConflicts(key, 5));
    take("resolveConflict", () -> store.resolveConflict(key, conflictId, SyncSide.REMOTE, null,
        "ops"));
    take("pendingEvents", () -> store.pendingEvents(key, 5));
    take("markEventFailed", () -> store.markEventFailed(key, "ev-2", "boom"));
    take("replayEvent", () -> store.replayEvent(key, "ev-2"));
    take("replayFailedEvents", () -> store.replayFailedEvents(key));
    take("releaseLease", () -> store.releaseLease(key, "worker-1"));
    dump("sync");

    assertThat(counts()).containsExactlyEntriesOf(expected(
        "acquireLease", 3, "acquireLease, held", 2, "renewLease", 2, "startRun", 1, "putEvent", 1,
        "putEvent, same event", 1, "checkpoint", 13, "checkpoint again", 10, "mappingByLocalId", 1,
        "mappingsByExternalIds", 1, "mappingsByLocalIds, none", 0, "cursor", 1, "addRecordErrors", 2,
        "recordErrors", 2, "finishRun", 3, "recentRuns", 1, "addConflict", 2, "addConflict, open already", 2,
        "openConflicts", 1, "resolveConflict", 3, "pendingEvents", 1, "markEventFailed", 2, "replayEvent", 1,
        "replayFailedEvents", 1, "releaseLease", 1));
  }

  private static ChangeEvent event(String eventId) {
    return new ChangeEvent("hubspot", eventId, ChangeEventType.UPDATED, "contact.propertyChange", "contact", "E1",
        Instant.parse("2025-03-01T09:00:00Z"), "email", "ada@example.com", List.of(), 0, Map.of());
  }

  private static Map<String, Integer> expected(Object... pairs) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      out.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return out;
  }
}
