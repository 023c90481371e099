package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConflictException;
import dev.crmkit.sync.SyncEngine;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies webhook inboxes soon after deliveries were stored, off the thread that answers the vendor
 * (HubSpot gives up on a delivery after 5 seconds, Salesforce after 60): at most one drain per
 * integration at a time, and deliveries that arrive while it runs coalesce into one more drain. The
 * work is bounded: the default executor has {@value #THREADS} daemon threads and a queue of {@value
 * #QUEUE} integrations; a drain that does not fit, or finds the integration's lease held by a running
 * sync, is skipped, and its events wait in the inbox for the next delivery's drain (the integration's
 * scheduled delta sync reads the same changes from the vendor's change feed either way). Thread-safe.
 */
public final class InboxDrains implements AutoCloseable {
  /** Threads of the default executor. */
  public static final int THREADS = 2;
  /** Integrations the default executor queues at most. */
  public static final int QUEUE = 256;
  private static final Logger LOG = LoggerFactory.getLogger(InboxDrains.class);
  private static final int IDLE = 0;
  private static final int RUNNING = 1;
  private static final int RUNNING_AGAIN = 2;

  private final Executor executor;
  private final ThreadPoolExecutor owned;
  private final Map<String, AtomicInteger> states = new ConcurrentHashMap<>();

  /** Drains on {@value #THREADS} daemon threads of its own, shut down by {@link #close()}. */
  public InboxDrains() {
    AtomicInteger n = new AtomicInteger();
    this.owned = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
      Thread t = new Thread(r, "crmkit-webhook-drain-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    owned.allowCoreThreadTimeOut(true);
    this.executor = owned;
  }

  /** @param executor runs the drains, such as {@code Runnable::run} to drain before the answer (tests) */
  public InboxDrains(Executor executor) {
    this.executor = Objects.requireNonNull(executor, "executor");
    this.owned = null;
  }

  /**
   * Drains an integration's inbox soon: now when no drain of it runs, else once more after the
   * running one.
   *
   * @param integrationId the integration
   * @param engine builds its sync engine, on the drain's thread
   */
  public void drainSoon(String integrationId, Supplier<SyncEngine> engine) {
    AtomicInteger state = states.computeIfAbsent(integrationId, k -> new AtomicInteger());
    while (true) {
      int s = state.get();
      if (s == IDLE) {
        if (state.compareAndSet(IDLE, RUNNING)) {
          break;
        }
      } else if (s == RUNNING_AGAIN || state.compareAndSet(RUNNING, RUNNING_AGAIN)) {
        return;
      }
    }
    try {
      executor.execute(() -> run(integrationId, state, engine));
    } catch (RejectedExecutionException e) {
      state.set(IDLE);
      LOG.warn("webhook inbox drain of integration {} skipped: the drain queue is full; its events wait in the inbox",
          integrationId);
    }
  }

  private static void run(String integrationId, AtomicInteger state, Supplier<SyncEngine> engine) {
    do {
      state.set(RUNNING);
      try {
        engine.get().drainInbox();
      } catch (ConflictException e) {
        LOG.debug("webhook inbox drain of integration {} skipped: a sync run holds its lease", integrationId);
      } catch (RuntimeException e) {
        LOG.warn("webhook inbox drain of integration {} failed: {}", integrationId, e.toString());
      }
    } while (!state.compareAndSet(RUNNING, IDLE));
  }

  /** Stops the own executor, letting running drains finish; an injected executor is the host's to stop. */
  @Override
  public void close() {
    if (owned != null) {
      owned.shutdown();
    }
  }
}
