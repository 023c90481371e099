package dev.crmkit.jdbc;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.CustomerSystem;
import dev.crmkit.actions.ActionMapping;
import dev.crmkit.actions.EventActions;
import dev.crmkit.actions.EventType;
import dev.crmkit.actions.ProcessingReport;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * A host process that runs event actions on a database, for the tests that start real JVMs
 * ({@link EventActionsAcrossProcessesTest}). Prints {@code WROTE <eventId>} after each event's writes and
 * {@code IDLE} when nothing is due.
 *
 * <p>Arguments: JDBC URL, worker id, mode, lease in seconds. Modes: {@code crash:<n>} runs the default
 * actions and hangs forever right after the n-th event's writes (before the outbox records it), to be
 * killed there; {@code drain} logs each call as an activity without an idempotency key (so a second
 * handling would show as a second activity) and exits when nothing is due.
 */
public final class EventActionsWorker {
  private EventActionsWorker() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String workerId = args[1];
    String mode = args[2];
    Duration lease = Duration.ofSeconds(Long.parseLong(args[3]));
    DataSource db = new DriverManagerDataSource(url, null, null);
    Map<String, CustomerSystem> systems = new ConcurrentHashMap<>();
    AtomicInteger written = new AtomicInteger();
    ActionMapping mapping;
    if (mode.startsWith("crash:")) {
      int crashAfter = Integer.parseInt(mode.substring("crash:".length()));
      mapping = ActionMapping.defaults().andThen(EventType.CALL_COMPLETED, (event, ctx) -> {
        System.out.println("WROTE " + event.eventId());
        System.out.flush();
        if (written.incrementAndGet() == crashAfter) {
          hang();
        }
      });
    } else {
      mapping = ActionMapping.empty().with(EventType.CALL_COMPLETED, (event, ctx) -> {
        ctx.system().addActivity(ctx.customer().id(), new ActivityDraft(ActivityType.CALL, Channel.PHONE,
            event.eventId(), null, Map.of("eventId", event.eventId(), "worker", workerId), null));
        System.out.println("WROTE " + event.eventId());
        System.out.flush();
      });
    }
    EventActions actions = EventActions.builder()
        .outbox(JdbcEventOutbox.open(db))
        .systems(t -> systems.computeIfAbsent(t, x -> NativeCustomerSystem.open(db, x, Clock.systemUTC(),
            PhoneNumbers.forRegion("US"))))
        .mapping(mapping)
        .workerId(workerId)
        .lease(lease)
        .batchSize(5)
        .build();
    while (true) {
      ProcessingReport report = actions.runOnce();
      if (report.claimed() == 0) {
        System.out.println("IDLE");
        System.out.flush();
        return;
      }
    }
  }

  private static void hang() {
    try {
      Thread.sleep(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
