package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.Channel;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several handlers, each over its own {@link NativeCustomerSystem} on one database (what several JVMs
 * are to the database), handle the same messages at the same time: every message id gets exactly one
 * CREATED or MATCHED, every other delivery is DUPLICATE, and the store holds one activity per message.
 */
class FirstContactAcrossProcessesTest {
  private static final int HANDLERS = 4;
  private static final int MESSAGES = 200;
  private static final int SENDERS = 40;
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir
  Path dir;

  @Test
  void everyMessageIsFirstForExactlyOneHandlerOnH2() throws Exception {
    try (HikariDataSource pool = TestPools.pool(new DriverManagerDataSource(
        "jdbc:h2:file:" + dir.resolve("first-contact") + ";LOCK_TIMEOUT=20000", "sa", ""), "first-contact-h2")) {
      everyMessageIsFirstForExactlyOneHandler(pool);
    }
  }

  @Test
  void everyMessageIsFirstForExactlyOneHandlerOnPostgres() throws Exception {
    try (HikariDataSource pool = TestPools.pool(ServerDatabases.postgres("crmkit_first_contact"), "first-contact-pg")) {
      everyMessageIsFirstForExactlyOneHandler(pool);
    }
  }

  private static void everyMessageIsFirstForExactlyOneHandler(DataSource db) throws Exception {
    NativeSchema.migrate(db);
    String tenant = "shop-" + System.nanoTime();
    List<InboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < MESSAGES; i++) {
      messages.add(new InboundMessage(tenant, Channel.SMS, String.format("+1 415 555 %04d", i % SENDERS), null,
          "message " + i, "SM-" + i, T0.plusSeconds(i)));
    }
    Map<String, List<Outcome>> outcomes = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(HANDLERS);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int h = 0; h < HANDLERS; h++) {
      NativeCustomerSystem system = NativeCustomerSystem.open(db, tenant, Clock.fixed(T0, ZoneOffset.UTC),
          PhoneNumbers.forRegion("US"));
      FirstContactHandler handler = FirstContactHandler.builder(system).build();
      done.add(threads.submit(() -> {
        start.await();
        for (InboundMessage m : messages) {
          FirstContactResult r = handler.handle(m);
          outcomes.computeIfAbsent(m.messageId(), k -> new CopyOnWriteArrayList<>()).add(r.outcome());
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(120, TimeUnit.SECONDS);
    }
    threads.shutdown();

    assertThat(outcomes).hasSize(MESSAGES);
    outcomes.forEach((messageId, seen) -> {
      assertThat(seen).as("outcomes of %s", messageId).hasSize(HANDLERS);
      assertThat(seen.stream().filter(o -> o != Outcome.DUPLICATE).count()).as("first deliveries of %s: %s",
          messageId, seen).isOne();
    });
    long created = outcomes.values().stream().flatMap(List::stream).filter(o -> o == Outcome.CREATED).count();
    assertThat(created).isLessThanOrEqualTo(SENDERS);
    NativeCustomerSystem reader = NativeCustomerSystem.open(db, tenant, Clock.fixed(T0, ZoneOffset.UTC),
        PhoneNumbers.forRegion("US"));
    for (InboundMessage m : messages) {
      assertThat(reader.findActivity("msg:sms:" + m.messageId())).isPresent();
    }
    assertThat(reader.changesSince(null, 1000).changes().stream().map(c -> c.customerId()).distinct().count())
        .isEqualTo(SENDERS);
  }
}
