package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.bench.MessageStream;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.jdbc.NativeCustomerSystem;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.sql.DataSource;

/**
 * One run of each workload on each side. Only the work between the two clock readings is timed:
 * opening the system or baseline, generating messages and the first-contact runs' initial import
 * happen before it.
 */
public final class Workloads {
  /** Drafts per {@code upsert} call, as a host importing a file would send them. */
  public static final int HOST_CHUNK = 1_000;
  /** The region phones are read in. */
  public static final String REGION = "US";
  /** The seed of every message stream, so every run handles the same messages. */
  public static final long SEED = 20_260_105L;
  /** The thread counts of the first-contact runs, one run each, in this order, on one tenant. */
  public static final List<Integer> THREADS = List.of(1, 8);

  private Workloads() {}

  /**
   * One timed run.
   *
   * @param seconds wall time of the timed region
   * @param tally outcome name to count (created, updated, rejected; or MATCHED, CREATED, DUPLICATE)
   */
  public record Run(double seconds, Map<String, Long> tally) {}

  /** crmkit bulk import: {@code upsert} in host chunks of {@value #HOST_CHUNK}. */
  public static Run crmkitImport(DataSource ds, String tenantId, List<CustomerDraft> drafts) {
    NativeCustomerSystem system = NativeCustomerSystem.open(ds, tenantId, Clock.systemUTC(),
        PhoneNumbers.forRegion(REGION));
    Map<String, Long> tally = new TreeMap<>();
    long t0 = System.nanoTime();
    for (int i = 0; i < drafts.size(); i += HOST_CHUNK) {
      for (UpsertOutcome o : system.upsert(drafts.subList(i, Math.min(drafts.size(), i + HOST_CHUNK)))) {
        tally.merge(o.status().name().toLowerCase(Locale.ROOT), 1L, Long::sum);
      }
    }
    long t1 = System.nanoTime();
    return new Run((t1 - t0) / 1e9, tally);
  }

  /** The hand-written multi-row upsert of the same drafts into the baseline's tables. */
  public static Run baselineImport(DataSource ds, String dialect, String tenantId, List<CustomerDraft> drafts)
      throws SQLException {
    ImportBaseline baseline = new ImportBaseline(ds, dialect, tenantId, Clock.systemUTC(),
        PhoneNumbers.forRegion(REGION));
    long t0 = System.nanoTime();
    int rows = baseline.run(drafts);
    long t1 = System.nanoTime();
    return new Run((t1 - t0) / 1e9, Map.of("upserted", (long) rows));
  }

  /** PostgreSQL's {@code COPY} of the same drafts into the baseline's tables, for reference. */
  public static Run copyImport(DataSource ds, String tenantId, List<CustomerDraft> drafts) throws SQLException {
    ImportBaseline baseline = new ImportBaseline(ds, "postgresql", tenantId, Clock.systemUTC(),
        PhoneNumbers.forRegion(REGION));
    long t0 = System.nanoTime();
    int rows = baseline.copy(drafts);
    long t1 = System.nanoTime();
    return new Run((t1 - t0) / 1e9, Map.of("copied", (long) rows));
  }

  /** Handles one message on one side. */
  @FunctionalInterface
  interface Handler {
    String handle(InboundMessage m) throws Exception;
  }

  /**
   * crmkit first contact: imports the drafts (untimed, with crmkit, on {@code setup}), then times
   * {@link FirstContactHandler#handle} over a message stream per entry of {@link #THREADS} on {@code ds},
   * one handler shared by the threads.
   */
  public static List<Run> crmkitFirstContact(DataSource setup, DataSource ds, String tenantId,
      List<CustomerDraft> drafts, int messages) throws Exception {
    crmkitImport(setup, tenantId, drafts);
    PhoneNumbers phones = PhoneNumbers.forRegion(REGION);
    NativeCustomerSystem system = NativeCustomerSystem.open(ds, tenantId, Clock.systemUTC(), phones);
    FirstContactHandler handler = FirstContactHandler.builder(system).defaultRegion(REGION).build();
    return firstContactRuns(tenantId, drafts, messages, m -> handler.handle(m).outcome().name());
  }

  /**
   * Hand-written first contact: imports the drafts (untimed, with the multi-row upsert, then {@code
   * ANALYZE}) into the baseline's tables, then times the minimal transaction over the same streams.
   */
  public static List<Run> baselineFirstContact(DataSource setup, DataSource ds, String dialect, String tenantId,
      List<CustomerDraft> drafts, int messages) throws Exception {
    new ImportBaseline(setup, dialect, tenantId, Clock.systemUTC(), PhoneNumbers.forRegion(REGION)).run(drafts);
    analyze(setup, dialect);
    FirstContactBaseline baseline = new FirstContactBaseline(ds, dialect, tenantId, Clock.systemUTC(),
        PhoneNumbers.forRegion(REGION));
    return firstContactRuns(tenantId, drafts, messages, m -> baseline.handle(m).name());
  }

  private static List<Run> firstContactRuns(String tenantId, List<CustomerDraft> drafts, int messages,
      Handler handler) throws Exception {
    PhoneNumbers phones = PhoneNumbers.forRegion(REGION);
    List<Run> runs = new ArrayList<>();
    for (int k = 0; k < THREADS.size(); k++) {
      List<InboundMessage> stream = MessageStream.generate(tenantId, drafts, phones, messages, SEED + k);
      runs.add(handleAll(stream, THREADS.get(k), handler));
    }
    return runs;
  }

  /** Handles the stream on {@code threads} threads taking the next message in turn; timed. */
  static Run handleAll(List<InboundMessage> stream, int threads, Handler handler) throws Exception {
    Map<String, LongAdder> tally = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = next.getAndIncrement(); i < stream.size(); i = next.getAndIncrement()) {
            tally.computeIfAbsent(handler.handle(stream.get(i)), x -> new LongAdder()).increment();
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      long t1 = System.nanoTime();
      Map<String, Long> out = new TreeMap<>();
      tally.forEach((k, v) -> out.put(k, v.sum()));
      return new Run((t1 - t0) / 1e9, out);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Refreshes the planner's statistics of the baseline's tables, as an engineer would after a load. */
  private static void analyze(DataSource ds, String dialect) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String table : BaselineTables.TABLES) {
        s.execute(dialect.equals("postgresql") ? "ANALYZE " + table : "ANALYZE TABLE " + table);
      }
    }
  }
}
