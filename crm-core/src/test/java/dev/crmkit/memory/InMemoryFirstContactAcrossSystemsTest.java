package dev.crmkit.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Interaction;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.inbound.InboundMessage;
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
import org.junit.jupiter.api.Test;

/** Memory systems sharing one store behave as native systems sharing one database: one first delivery. */
class InMemoryFirstContactAcrossSystemsTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private final TenantStore store = new TenantStore();

  private InMemoryCustomerSystem system() {
    return new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder("shop", "memory").build(),
        Clock.fixed(T0, ZoneOffset.UTC), Map.of()), store);
  }

  @Test
  void logInteractionSaysWhetherItLoggedOrFoundTheEarlierOne() {
    InMemoryCustomerSystem a = system();
    InMemoryCustomerSystem b = system();
    Customer ada = a.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    ActivityDraft draft = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "hi", T0, Map.of(), "k-1");

    Interaction first = a.logInteraction(ada.id(), draft);
    Interaction again = b.logInteraction(ada.id(), draft);

    assertThat(first.duplicate()).isFalse();
    assertThat(again.duplicate()).isTrue();
    assertThat(again.activity()).isEqualTo(first.activity());
    assertThat(again.customer().lastContactAt()).isEqualTo(T0);
  }

  @Test
  void ofCallsRacingWithOneKeyOnSystemsSharingAStoreExactlyOneLogs() throws Exception {
    int racers = 8;
    Customer ada = system().create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    for (int k = 0; k < 20; k++) {
      ActivityDraft draft = new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "hi", T0, Map.of(), "k-" + k);
      List<Boolean> fresh = new CopyOnWriteArrayList<>();
      List<Thread> threads = new ArrayList<>();
      // Hold the store until every racer waits for it, so they all start deciding at once.
      synchronized (store) {
        for (int r = 0; r < racers; r++) {
          InMemoryCustomerSystem mine = system();
          Thread t = new Thread(() -> fresh.add(!mine.logInteraction(ada.id(), draft).duplicate()));
          threads.add(t);
          t.start();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threads.stream().anyMatch(t -> t.getState() != Thread.State.BLOCKED) && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      for (Thread t : threads) {
        t.join(10_000);
      }
      assertThat(fresh).as("k-%s", k).hasSize(racers);
      assertThat(fresh.stream().filter(b -> b).count()).as("k-%s: %s", k, fresh).isOne();
    }
  }

  @Test
  void everyMessageIsFirstForExactlyOneOfSeveralHandlers() throws Exception {
    int handlers = 4;
    List<InboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      messages.add(new InboundMessage("shop", Channel.SMS, String.format("+1 415 555 %04d", i % 40), null, "m", "SM-" + i,
          T0.plusSeconds(i)));
    }
    Map<String, List<Outcome>> outcomes = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(handlers);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int h = 0; h < handlers; h++) {
      FirstContactHandler handler = FirstContactHandler.builder(system()).build();
      done.add(threads.submit(() -> {
        start.await();
        for (InboundMessage m : messages) {
          outcomes.computeIfAbsent(m.messageId(), k -> new CopyOnWriteArrayList<>()).add(handler.handle(m).outcome());
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    threads.shutdown();

    assertThat(outcomes).hasSize(200);
    outcomes.forEach((id, seen) -> assertThat(seen.stream().filter(o -> o != Outcome.DUPLICATE).count())
        .as("first deliveries of %s: %s", id, seen).isOne());
  }
}
