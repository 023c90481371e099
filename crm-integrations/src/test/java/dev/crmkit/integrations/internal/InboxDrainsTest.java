package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ConflictException;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.InMemorySyncStore;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.SyncEngine;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class InboxDrainsTest {
  private static final IntegrationKey KEY = new IntegrationKey("tenant-a", "int-a");
  private final InMemorySyncStore store = new InMemorySyncStore();
  private final List<Runnable> queued = new ArrayList<>();
  private final InboxDrains drains = new InboxDrains(queued::add);

  private SyncEngine engine() {
    TenantConfig config = TenantConfig.builder("tenant-a", "memory").build();
    return SyncEngine.builder()
        .local(new InMemoryCustomerSystem(new ProviderContext(config, Clock.systemUTC(), Map.of())))
        .remote(new InMemoryCustomerSystem(new ProviderContext(config, Clock.systemUTC(), Map.of())))
        .store(store).key(KEY).mapping(FieldMapping.defaults()).strategy(ConflictStrategy.manual()).build();
  }

  private int webhookRuns() {
    return (int) store.recentRuns(KEY, 100).stream().filter(r -> r.kind().equals("webhook")).count();
  }

  @Test
  void deliveriesWhileADrainIsQueuedCoalesceIntoThatDrain() {
    drains.drainSoon("int-a", this::engine);
    drains.drainSoon("int-a", this::engine);
    drains.drainSoon("int-a", this::engine);

    assertThat(queued).hasSize(1);
    queued.remove(0).run();
    assertThat(webhookRuns()).isEqualTo(1);
  }

  @Test
  void deliveriesDuringARunningDrainCauseExactlyOneMoreAfterIt() {
    AtomicInteger built = new AtomicInteger();
    Supplier<SyncEngine> engine = () -> {
      if (built.incrementAndGet() == 1) {
        drains.drainSoon("int-a", this::engine);
        drains.drainSoon("int-a", this::engine);
      }
      return engine();
    };
    drains.drainSoon("int-a", engine);

    queued.remove(0).run();

    assertThat(queued).as("the second drain ran in the same task").isEmpty();
    assertThat(built).hasValue(2);
    assertThat(webhookRuns()).isEqualTo(2);
    drains.drainSoon("int-a", this::engine);
    assertThat(queued).as("idle again: a new delivery queues a new drain").hasSize(1);
  }

  @Test
  void integrationsDrainIndependently() {
    drains.drainSoon("int-a", this::engine);
    drains.drainSoon("int-b", this::engine);

    assertThat(queued).hasSize(2);
  }

  @Test
  void aLeaseHeldByARunningSyncOrAFailureLeavesTheIntegrationReadyForTheNextDrain() {
    drains.drainSoon("int-a", () -> {
      throw new ConflictException(null, "lease", null, "a sync run holds the lease");
    });
    queued.remove(0).run();
    drains.drainSoon("int-a", () -> {
      throw new IllegalStateException("remote down");
    });
    queued.remove(0).run();

    drains.drainSoon("int-a", this::engine);
    queued.remove(0).run();
    assertThat(webhookRuns()).isEqualTo(1);
  }

  @Test
  void aDrainTheExecutorRejectsIsSkippedAndTheNextDeliveryTriesAgain() {
    AtomicInteger rejections = new AtomicInteger(1);
    List<Runnable> accepted = new ArrayList<>();
    InboxDrains full = new InboxDrains(task -> {
      if (rejections.getAndDecrement() > 0) {
        throw new RejectedExecutionException("queue full");
      }
      accepted.add(task);
    });

    full.drainSoon("int-a", this::engine);
    full.drainSoon("int-a", this::engine);

    assertThat(accepted).hasSize(1);
  }

  @Test
  void theOwnExecutorDrainsOnADaemonThreadAndStopsOnClose() throws Exception {
    try (InboxDrains own = new InboxDrains()) {
      java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
      List<Thread> threads = new ArrayList<>();
      own.drainSoon("int-a", () -> {
        threads.add(Thread.currentThread());
        done.countDown();
        return engine();
      });
      assertThat(done.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(threads).singleElement().satisfies(t -> {
        assertThat(t.isDaemon()).isTrue();
        assertThat(t.getName()).startsWith("crmkit-webhook-drain-");
      });
    }
  }
}
