package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.ChangeBatch;
import dev.crmkit.Channel;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerDraft;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.identity.PhoneNumbers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The change feed under concurrent writers of one tenant: several threads, each on its own pooled
 * connection, create customers, upsert small batches and log interactions (which renumber the
 * customer), while a reader pages {@code changesSince} all along. The reader must see every committed
 * change exactly once: no write of a customer (named by its updated time, unique per write with a
 * ticking clock) twice, the cursor rising with every page, and, once caught up, the last write it saw
 * of each customer equal to the one stored. A writer whose numbers became visible before an earlier
 * number committed would make the reader's cursor pass that earlier change for good, and the last
 * check fails.
 */
abstract class ChangeFeedConcurrencyContract {
  static final int WRITERS = 6;
  static final int OPERATIONS = 40;

  abstract DataSource createDataSource();

  @Test
  void aReaderPagingDuringConcurrentWritesSeesEveryCommittedChangeExactlyOnce() throws Exception {
    try (HikariDataSource pool = TestPools.pool(createDataSource(), getClass().getSimpleName())) {
      pool.setMaximumPoolSize(WRITERS + 2);
      NativeSchema.migrate(pool);
      String tenant = "feed-" + System.nanoTime();
      // Every clock reading is a new millisecond, so a customer's updated time names one write of it.
      NativeCustomerSystem system = NativeCustomerSystem.open(pool, tenant, new TickingClock(Instant.now()),
          PhoneNumbers.forRegion("US"));
      ExecutorService threads = Executors.newFixedThreadPool(WRITERS + 1);
      AtomicBoolean writing = new AtomicBoolean(true);
      CountDownLatch start = new CountDownLatch(1);
      Set<String> seenChanges = ConcurrentHashMap.newKeySet();
      Map<String, Long> lastSeen = new HashMap<>();
      List<String> violations = new ArrayList<>();
      int[] pages = {0};
      long t0 = System.nanoTime();
      Future<?> reader = threads.submit(() -> {
        start.await();
        String cursor = null;
        long previous = 0;
        boolean caughtUpAfterWriters = false;
        while (!caughtUpAfterWriters) {
          boolean writersDone = !writing.get();
          ChangeBatch batch = system.changesSince(cursor, 7);
          pages[0]++;
          for (CustomerChange change : batch.changes()) {
            long version = change.customer().updatedAt().toEpochMilli();
            if (!seenChanges.add(change.customerId() + "@" + version)) {
              violations.add("seen twice: " + change.customerId() + "@" + version);
            }
            lastSeen.put(change.customerId(), version);
          }
          long next = Long.parseLong(batch.nextCursor());
          if (batch.changes().isEmpty() ? next != previous : next <= previous) {
            violations.add("cursor moved from " + previous + " to " + next + " over " + batch.changes().size());
          }
          previous = next;
          cursor = batch.nextCursor();
          caughtUpAfterWriters = writersDone && !batch.hasMore() && batch.changes().isEmpty();
        }
        return null;
      });
      List<Future<Integer>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(threads.submit(() -> {
          start.await();
          Random random = new Random(writer);
          List<String> own = new ArrayList<>();
          int changes = 0;
          for (int op = 0; op < OPERATIONS; op++) {
            int kind = own.isEmpty() ? 0 : random.nextInt(3);
            String name = "w" + writer + "-" + op;
            if (kind == 0) {
              own.add(system.create(CustomerDraft.builder().firstName(name).email(name + "@feed.example").build()).id());
              changes++;
            } else if (kind == 1) {
              List<CustomerDraft> drafts = new ArrayList<>();
              for (int k = 0; k < 3; k++) {
                drafts.add(CustomerDraft.builder().firstName(name + "-" + k).email(name + "-" + k + "@feed.example")
                    .build());
              }
              for (UpsertOutcome o : system.upsert(drafts)) {
                own.add(o.customer().id());
                changes++;
              }
            } else {
              system.logInteraction(own.get(random.nextInt(own.size())), new ActivityDraft(ActivityType.MESSAGE_RECEIVED,
                  Channel.SMS, "hi", Instant.now(), Map.of(), name));
              changes++;
            }
          }
          return changes;
        }));
      }
      start.countDown();
      int changes = 0;
      for (Future<Integer> f : writers) {
        changes += f.get();
      }
      writing.set(false);
      reader.get();
      double seconds = (System.nanoTime() - t0) / 1e9;
      threads.shutdown();

      Map<String, Long> stored = storedVersions(pool, tenant);
      System.out.printf("%s: %d writers, %d changes, %d customers, %d pages read, %.2f s%n",
          getClass().getSimpleName(), WRITERS, changes, stored.size(), pages[0], seconds);
      assertThat(violations).isEmpty();
      assertThat(lastSeen).isEqualTo(stored);
      assertThat(seenChanges.size()).isLessThanOrEqualTo(changes);
    }
  }

  private static Map<String, Long> storedVersions(DataSource ds, String tenant) throws Exception {
    Map<String, Long> out = new HashMap<>();
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT id, updated_at FROM crm_customers WHERE tenant_id = ?")) {
      ps.setString(1, tenant);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
    return out;
  }
}
