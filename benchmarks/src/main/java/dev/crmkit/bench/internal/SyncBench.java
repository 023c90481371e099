package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncListener;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One size of the sync benchmark, in a fresh temporary folder and a fresh {@link HubSpotEmulator}
 * (HubSpot's default limits unless turned off): load the customers into the native store on H2 with
 * its bulk upsert (timed, not part of the sync), run one full push of all of them (optionally in a
 * child JVM with a heap limit, see {@link SyncPush#main}), then delta rounds: change a few records
 * locally and time a delta run. Before each delta round the benchmark waits out the rate limit's
 * window, so every round starts with an unused budget, as a scheduled delta sync would.
 */
public final class SyncBench {
  /** Records per sustained second under the bound: 100 calls per 10 s, 100 records per batch call. */
  public static final double BOUND = HubSpotPush.TEN_SECOND_LIMIT * (double) HubSpotPush.BATCH
      / HubSpotPush.WINDOW.toSeconds();

  /**
   * How to run.
   *
   * @param rateLimits HubSpot's default limits on the emulator and in the provider; off for the smoke test
   * @param fork run the full push in a child JVM with {@code heap} as its {@code -Xmx}
   * @param heap the child's {@code -Xmx} value, such as {@code 256m}
   * @param pageSize records per change-feed page
   * @param changes records changed before each delta round
   * @param rounds delta rounds; the median is reported
   */
  public record Settings(boolean rateLimits, boolean fork, String heap, int pageSize, int changes, int rounds) {}

  /**
   * The full push of one size.
   *
   * @param records local customers pushed
   * @param loadSeconds time the native store's bulk upsert took to load them (not part of the sync)
   * @param forked whether the push ran in a child JVM
   * @param heapLimit the child's {@code -Xmx}, or "none" in process
   * @param completed the run finished (child exit 0), succeeded, and every record exists remotely
   * @param exitCode the child's exit code; 0 in process
   * @param status the run's status, or "none" when the child died before reporting
   * @param failure the run's failure message; empty when none
   * @param created records created remotely, as the run counted them
   * @param failed records that failed
   * @param remoteContacts live contacts on the emulator afterwards
   * @param seconds wall time of the run
   * @param calls API calls the emulator counted
   * @param rateLimited 429 responses the emulator sent
   * @param callsByEndpoint calls per endpoint
   * @param steadyRecords records created after the first window's burst of calls
   * @param steadySeconds the time they took
   * @param peakHeapUsedBytes the child's highest heap use, sampled every 5 ms; -1 in process
   * @param heapPoolPeaksBytes the sum of the child's heap pools' peaks; -1 in process
   */
  public record FullPush(int records, double loadSeconds, boolean forked, String heapLimit, boolean completed,
      int exitCode, String status, String failure, int created, int failed, int remoteContacts, double seconds,
      long calls, long rateLimited, Map<String, Long> callsByEndpoint, int steadyRecords, double steadySeconds,
      long peakHeapUsedBytes, long heapPoolPeaksBytes) {

    /** Records per second over the whole run. */
    public double recordsPerSecond() {
      return created / seconds;
    }

    /** API calls per record created. */
    public double callsPerRecord() {
      return created == 0 ? Double.NaN : calls / (double) created;
    }

    /** Records per second after the first window's burst. */
    public double steadyRecordsPerSecond() {
      return steadyRecords / steadySeconds;
    }

    /** {@link #steadyRecordsPerSecond()} over {@link SyncBench#BOUND}. */
    public double ratioToBound() {
      return steadyRecordsPerSecond() / BOUND;
    }
  }

  /**
   * The delta rounds of one size.
   *
   * @param synced records synced before the rounds
   * @param changes records changed locally before each round
   * @param seconds each round's wall time
   * @param calls each round's API calls
   * @param rateLimited each round's 429 responses
   * @param updated each round's records updated remotely
   * @param failed each round's failed records
   * @param processed each round's records read from the change feed
   */
  public record Delta(int synced, int changes, List<Double> seconds, List<Long> calls, List<Long> rateLimited,
      List<Integer> updated, List<Integer> failed, List<Integer> processed) {

    /** The median round's seconds. */
    public double medianSeconds() {
      return median(seconds.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median round's calls. */
    public double medianCalls() {
      return median(calls.stream().mapToDouble(Long::doubleValue).toArray());
    }
  }

  /** One size's results. */
  public record Scale(FullPush push, Delta delta) {}

  private final Settings settings;
  private final PrintStream out;

  /**
   * @param settings how to run
   * @param out where progress lines go
   */
  public SyncBench(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * Runs one size.
   *
   * @param customers the local customers, distinct by email and phone
   * @param fork whether this size's full push runs in a child JVM
   * @return the full push and the delta rounds
   * @throws IOException when the temporary folder or the child's result file fails
   * @throws SQLException when the database fails
   * @throws InterruptedException when interrupted while waiting for the child or the rate window
   */
  public Scale run(List<CustomerDraft> customers, boolean fork) throws IOException, SQLException, InterruptedException {
    Path dir = Files.createTempDirectory("crmkit-bench-sync");
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().rateLimits(settings.rateLimits()).build()) {
      List<String> ids;
      double loadSeconds;
      try (BenchDatabase db = BenchDatabase.h2(dir)) {
        long t0 = System.nanoTime();
        ids = load(SyncPush.local(db.dataSource()), customers);
        loadSeconds = (System.nanoTime() - t0) / 1e9;
      }
      out.printf("  loaded %,d customers into the native store in %.1f s%n", ids.size(), loadSeconds);
      FullPush push = fullPush(dir, emulator, customers.size(), loadSeconds, fork);
      out.printf("  full push of %,d: %s in %.1f s, %,d calls, %d 429s, %,.0f records/s (sustained %,.0f)%n",
          push.records(), push.status(), push.seconds(), push.calls(), push.rateLimited(), push.recordsPerSecond(),
          push.steadyRecordsPerSecond());
      if (!push.completed()) {
        return new Scale(push, null);
      }
      try (BenchDatabase db = BenchDatabase.h2(dir)) {
        return new Scale(push, deltas(db, emulator, ids));
      }
    } finally {
      Options.deleteTree(dir);
    }
  }

  private static List<String> load(NativeCustomerSystem local, List<CustomerDraft> customers) {
    List<String> ids = new ArrayList<>(customers.size());
    for (int i = 0; i < customers.size(); i += Workloads.HOST_CHUNK) {
      for (UpsertOutcome o : local.upsert(customers.subList(i, Math.min(customers.size(), i + Workloads.HOST_CHUNK)))) {
        if (o.customer() == null) {
          throw new IllegalStateException("the native store rejected customer " + (i + o.index()) + ": " + o.error());
        }
        ids.add(o.customer().id());
      }
    }
    return ids;
  }

  private FullPush fullPush(Path dir, HubSpotEmulator emulator, int records, double loadSeconds, boolean fork)
      throws IOException, SQLException, InterruptedException {
    AtomicLong burstEnd = new AtomicLong(Long.MAX_VALUE);
    Thread watcher = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        if (emulator.counters().totalRequests() >= HubSpotPush.TEN_SECOND_LIMIT) {
          burstEnd.set(System.currentTimeMillis());
          return;
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "burst-watcher");
    watcher.setDaemon(true);
    watcher.start();
    Properties p;
    int exitCode = 0;
    try {
      if (fork) {
        Path result = dir.resolve("full-push.properties");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + settings.heap(), "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
            SyncPush.class.getName(), BenchDatabase.h2Url(dir), emulator.baseUrl(), emulator.accessToken(),
            Boolean.toString(settings.rateLimits()), Integer.toString(settings.pageSize()), result.toString())
            .inheritIO()
            .start();
        exitCode = child.waitFor();
        p = new Properties();
        if (Files.exists(result)) {
          try (InputStream in = Files.newInputStream(result)) {
            p.load(in);
          }
        }
      } else {
        try (BenchDatabase db = BenchDatabase.h2(dir)) {
          p = SyncPush.toProperties(SyncPush.fullPush(db.dataSource(), emulator.baseUrl(), emulator.accessToken(),
              settings.rateLimits(), settings.pageSize(), out));
        }
      }
    } finally {
      watcher.interrupt();
      watcher.join();
    }
    HubSpotCounters counters = emulator.counters();
    String status = p.getProperty("status", "none");
    int created = intOf(p, "created");
    int remote = emulator.liveContactCount();
    boolean completed = exitCode == 0 && status.equals("SUCCEEDED") && remote == records;
    double seconds = Double.parseDouble(p.getProperty("seconds", "NaN"));
    long[] pageMillis = longs(p.getProperty("pageMillis", ""));
    long[] pageCreated = longs(p.getProperty("pageCreated", ""));
    int steadyRecords = created;
    double steadySeconds = seconds;
    for (int i = 0; i < pageMillis.length - 1; i++) {
      if (pageMillis[i] >= burstEnd.get()) {
        int last = pageMillis.length - 1;
        steadyRecords = (int) (pageCreated[last] - pageCreated[i]);
        steadySeconds = (pageMillis[last] - pageMillis[i]) / 1000.0;
        break;
      }
    }
    return new FullPush(records, loadSeconds, fork, fork ? settings.heap() : "none", completed, exitCode, status,
        p.getProperty("failure", ""), created, intOf(p, "failed"), remote, seconds, counters.totalRequests(),
        counters.rateLimitedResponses(), new LinkedHashMap<>(counters.requestsByEndpoint()), steadyRecords,
        steadySeconds, Long.parseLong(p.getProperty("peakHeapUsedBytes", "-1")),
        Long.parseLong(p.getProperty("heapPoolPeaksBytes", "-1")));
  }

  private Delta deltas(BenchDatabase db, HubSpotEmulator emulator, List<String> ids) throws InterruptedException {
    List<Double> seconds = new ArrayList<>();
    List<Long> calls = new ArrayList<>();
    List<Long> rateLimited = new ArrayList<>();
    List<Integer> updated = new ArrayList<>();
    List<Integer> failed = new ArrayList<>();
    List<Integer> processed = new ArrayList<>();
    NativeCustomerSystem local = SyncPush.local(db.dataSource());
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      SyncEngine engine = SyncPush.engine(db.dataSource(), factory.system(SyncPush.remoteConfig(emulator.baseUrl(),
          emulator.accessToken(), settings.rateLimits())), settings.pageSize(), SyncListener.NONE);
      for (int round = 1; round <= settings.rounds(); round++) {
        if (settings.rateLimits()) {
          Thread.sleep(HubSpotPush.WINDOW.toMillis() + 1_000);
        }
        int changes = Math.min(settings.changes(), ids.size());
        int step = ids.size() / changes;
        for (int i = 0; i < changes; i++) {
          String id = ids.get((i * step + round - 1) % ids.size());
          local.update(id, CustomerUpdate.builder().firstName("Delta" + round + "-" + i).build());
        }
        HubSpotCounters counters = emulator.counters();
        long calls0 = counters.totalRequests();
        long limited0 = counters.rateLimitedResponses();
        long t0 = System.nanoTime();
        SyncResult r = engine.run(SyncMode.DELTA);
        seconds.add((System.nanoTime() - t0) / 1e9);
        calls.add(counters.totalRequests() - calls0);
        rateLimited.add(counters.rateLimitedResponses() - limited0);
        updated.add(r.updated());
        failed.add(r.failed());
        processed.add(r.processed());
        out.printf("  delta round %d with %,d synced: %d changes, %s, %.2f s, %d calls%n", round, ids.size(), changes,
            r.status(), seconds.get(seconds.size() - 1), calls.get(calls.size() - 1));
      }
    }
    return new Delta(ids.size(), Math.min(settings.changes(), ids.size()), seconds, calls, rateLimited, updated,
        failed, processed);
  }

  /**
   * A result as plain maps and lists for the JSON file.
   *
   * @param s a size's result
   * @return its fields and derived figures
   */
  public static Map<String, Object> toMap(Scale s) {
    FullPush f = s.push();
    Map<String, Object> push = new LinkedHashMap<>();
    push.put("records", f.records());
    push.put("loadSeconds", HubSpotPush.round(f.loadSeconds()));
    push.put("forked", f.forked());
    push.put("heapLimit", f.heapLimit());
    push.put("completed", f.completed());
    push.put("exitCode", f.exitCode());
    push.put("status", f.status());
    push.put("failure", f.failure());
    push.put("created", f.created());
    push.put("failedRecords", f.failed());
    push.put("remoteContacts", f.remoteContacts());
    push.put("seconds", HubSpotPush.round(f.seconds()));
    push.put("recordsPerSecond", HubSpotPush.round(f.recordsPerSecond()));
    push.put("calls", f.calls());
    push.put("callsPerRecord", Double.isNaN(f.callsPerRecord()) ? null : HubSpotPush.round(f.callsPerRecord()));
    push.put("rateLimited429", f.rateLimited());
    push.put("steadyRecords", f.steadyRecords());
    push.put("steadySeconds", HubSpotPush.round(f.steadySeconds()));
    push.put("steadyRecordsPerSecond", HubSpotPush.round(f.steadyRecordsPerSecond()));
    push.put("boundRecordsPerSecond", BOUND);
    push.put("ratioToBound", HubSpotPush.round(f.ratioToBound()));
    push.put("peakHeapUsedMiB", f.peakHeapUsedBytes() < 0 ? null : mib(f.peakHeapUsedBytes()));
    push.put("heapPoolPeaksMiB", f.heapPoolPeaksBytes() < 0 ? null : mib(f.heapPoolPeaksBytes()));
    push.put("callsByEndpoint", f.callsByEndpoint());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fullPush", push);
    Delta d = s.delta();
    if (d != null) {
      Map<String, Object> delta = new LinkedHashMap<>();
      delta.put("synced", d.synced());
      delta.put("changes", d.changes());
      delta.put("medianSeconds", HubSpotPush.round(d.medianSeconds()));
      delta.put("medianCalls", d.medianCalls());
      delta.put("seconds", d.seconds().stream().map(HubSpotPush::round).toList());
      delta.put("calls", d.calls());
      delta.put("rateLimited429", d.rateLimited());
      delta.put("processed", d.processed());
      delta.put("updated", d.updated());
      delta.put("failedRecords", d.failed());
      m.put("delta", delta);
    }
    return m;
  }

  /** Bytes in MiB, one decimal. */
  public static double mib(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n == 0 ? Double.NaN : n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  private static int intOf(Properties p, String name) {
    return Integer.parseInt(p.getProperty(name, "0"));
  }

  private static long[] longs(String csv) {
    return csv.isEmpty() ? new long[0] : Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
  }

}
