package dev.crmkit.bench.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.CustomerSystem;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
import dev.crmkit.hubspot.HubSpotFieldMappings;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.JdbcSyncStore;
import dev.crmkit.jdbc.NativeCustomerSystem;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncListener;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The sync engine as the benchmark sets it up, and its full push: local side the native store and
 * {@link JdbcSyncStore} in one database, remote side the {@code hubspot} provider pointed at an
 * emulator, flow {@link SyncFlow#PUSH}, the default HubSpot field mapping (orders and revenue to two
 * custom properties), last write wins. {@link #main} runs one full push in its own JVM, so the
 * benchmark can give it a heap limit and read its peak heap; the emulator stays in the parent JVM.
 */
public final class SyncPush {
  /** The local tenant and the remote tenant's id. */
  public static final String TENANT = "bench-sync";
  /** The integration the engine syncs. */
  public static final IntegrationKey KEY = new IntegrationKey(TENANT, "hubspot");

  /** Pages between progress lines. */
  static final int PROGRESS_PAGES = 100;

  private SyncPush() {}

  /**
   * What one run did, as the engine reported it, and when each page was checkpointed.
   *
   * @param result the engine's result
   * @param seconds wall time of {@link SyncEngine#run}
   * @param pageMillis epoch milliseconds of each page's checkpoint
   * @param pageCreated records created so far at each of those checkpoints
   */
  public record Outcome(SyncResult result, double seconds, List<Long> pageMillis, List<Integer> pageCreated) {}

  /**
   * The remote system's configuration: the emulator's URL and token, HubSpot's default limits kept by
   * the provider's proactive limiter unless {@code rateLimits} is off.
   */
  static TenantConfig remoteConfig(String baseUrl, String accessToken, boolean rateLimits) {
    return TenantConfig.builder(TENANT, HubSpotCustomerSystemProvider.NAME)
        .setting(HubSpotCustomerSystemProvider.BASE_URL, baseUrl)
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, accessToken)
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, Boolean.toString(rateLimits))
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.ORDERS_FIELD,
            "crmkit_orders_count")
        .setting(HubSpotCustomerSystemProvider.CUSTOM_FIELD_PREFIX + HubSpotFieldMappings.REVENUE_FIELD,
            "total_revenue")
        .build();
  }

  /** The local store of the benchmark's tenant on {@code ds}. */
  static NativeCustomerSystem local(DataSource ds) {
    return NativeCustomerSystem.open(ds, TENANT, Clock.systemUTC(), PhoneNumbers.forRegion(Workloads.REGION));
  }

  /** The engine between the native store on {@code ds} and {@code remote}. */
  static SyncEngine engine(DataSource ds, CustomerSystem remote, int pageSize, SyncListener listener) {
    return SyncEngine.builder()
        .local(local(ds))
        .remote(remote)
        .store(JdbcSyncStore.open(ds, Clock.systemUTC()))
        .key(KEY)
        .flow(SyncFlow.PUSH)
        .mapping(HubSpotFieldMappings.defaults())
        .strategy(ConflictStrategy.lastWriteWins())
        .pageSize(pageSize)
        .listener(listener)
        .leaseOwner("bench-" + ProcessHandle.current().pid())
        .build();
  }

  /**
   * Runs one full push of every local record of the tenant on {@code ds} to the emulator.
   *
   * @param ds the database holding the native store and the sync state
   * @param baseUrl the emulator's base URL
   * @param accessToken the emulator's token
   * @param rateLimits whether the provider keeps HubSpot's limits proactively
   * @param pageSize records per change-feed page
   * @param progress where a line goes every {@value #PROGRESS_PAGES} pages
   * @return what the run did
   */
  static Outcome fullPush(DataSource ds, String baseUrl, String accessToken, boolean rateLimits, int pageSize,
      PrintStream progress) {
    List<Long> pageMillis = new ArrayList<>();
    List<Integer> pageCreated = new ArrayList<>();
    long begin = System.currentTimeMillis();
    SyncListener pages = new SyncListener() {
      @Override
      public void pageCommitted(IntegrationKey key, String runId, RunCounts countsSoFar) {
        long now = System.currentTimeMillis();
        pageMillis.add(now);
        pageCreated.add(countsSoFar.created());
        if (pageMillis.size() % PROGRESS_PAGES == 0) {
          progress.printf("  full push: %,d created after %.1f s%n", countsSoFar.created(), (now - begin) / 1000.0);
        }
      }
    };
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      SyncEngine engine = engine(ds, factory.system(remoteConfig(baseUrl, accessToken, rateLimits)), pageSize, pages);
      long start = System.nanoTime();
      SyncResult result = engine.run(SyncMode.FULL);
      return new Outcome(result, (System.nanoTime() - start) / 1e9, pageMillis, pageCreated);
    }
  }

  /**
   * Runs {@link #fullPush} in this JVM and writes what it did, with the heap's peak, as a properties
   * file. Arguments: the H2 URL, the emulator's base URL, its token, {@code true|false} for the rate
   * limits, the page size, the result file. Exits 0 when the run finished (whatever its status).
   *
   * @param args the six arguments
   * @throws IOException when the result file cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 6) {
      throw new IllegalArgumentException("usage: SyncPush <h2 url> <base url> <token> <rate limits> <page size> <out>");
    }
    HeapSampler heap = HeapSampler.start();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[0]);
    config.setUsername("sa");
    config.setPassword("");
    config.setMaximumPoolSize(4);
    config.setPoolName("bench-sync-child");
    Outcome o;
    try (HikariDataSource ds = new HikariDataSource(config)) {
      o = fullPush(ds, args[1], args[2], Boolean.parseBoolean(args[3]), Integer.parseInt(args[4]),
          System.out);
    }
    Properties p = toProperties(o);
    p.setProperty("peakHeapUsedBytes", Long.toString(heap.stop()));
    p.setProperty("heapPoolPeaksBytes", Long.toString(HeapSampler.poolPeaks()));
    p.setProperty("maxHeapBytes", Long.toString(Runtime.getRuntime().maxMemory()));
    try (OutputStream out = Files.newOutputStream(Path.of(args[5]))) {
      p.store(out, "crmkit sync benchmark: one full push");
    }
  }

  static Properties toProperties(Outcome o) {
    Properties p = new Properties();
    SyncResult r = o.result();
    p.setProperty("status", r.status().name());
    p.setProperty("processed", Integer.toString(r.processed()));
    p.setProperty("created", Integer.toString(r.created()));
    p.setProperty("updated", Integer.toString(r.updated()));
    p.setProperty("failed", Integer.toString(r.failed()));
    p.setProperty("failure", r.failure() == null ? "" : r.failure());
    p.setProperty("seconds", Double.toString(o.seconds()));
    p.setProperty("pageMillis", join(o.pageMillis()));
    p.setProperty("pageCreated", join(o.pageCreated()));
    return p;
  }

  private static String join(List<?> values) {
    StringBuilder b = new StringBuilder();
    for (Object v : values) {
      b.append(b.length() == 0 ? "" : ",").append(v);
    }
    return b.toString();
  }

  /** The highest heap use seen, polled every 5 ms, and the heap pools' own peaks. */
  static final class HeapSampler {
    private final AtomicLong max = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    private HeapSampler() {
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      var memory = ManagementFactory.getMemoryMXBean();
      thread = new Thread(() -> {
        while (running) {
          max.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
          try {
            Thread.sleep(5);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "heap-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    static HeapSampler start() {
      return new HeapSampler();
    }

    long stop() {
      running = false;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return max.get();
    }

    /** The sum of each heap pool's peak; an upper bound, as the pools peak at different times. */
    static long poolPeaks() {
      long sum = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
          sum += pool.getPeakUsage().getUsed();
        }
      }
      return sum;
    }
  }
}
