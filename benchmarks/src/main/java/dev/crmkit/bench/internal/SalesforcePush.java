package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerWrite;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.http.ApiRequest;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.StaticToken;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes customers into a {@link SalesforceEmulator} and pulls them back, counting API calls as the
 * emulator counts them (every HTTP request; a composite call is one request and one call of daily
 * usage, whatever its subrequests):
 *
 * <ul>
 *   <li><b>crmkit push</b>: the {@code salesforce} provider's {@link CustomerSystem#bulkWrite} in calls
 *       of {@code perCall} writes: sObject Collections inside composite calls, the companies' Accounts
 *       resolved up front. Collections only: see {@link #COLLECTIONS_ONLY}.
 *   <li><b>baseline</b>: what a hand-written integration without Collections does, on the same HTTP
 *       runtime: per customer one {@code POST /sobjects/Contact}; per distinct company (remembered in a
 *       map, as a competent engineer would) one SOQL query by name and, when there is none, one
 *       {@code POST /sobjects/Account}; {@value #BASELINE_THREADS} threads.
 *   <li><b>crmkit Bulk API 2.0 push</b>: one {@code bulkWrite} of every draft with the provider's default
 *       {@code bulkApiThreshold}: ingest jobs of at most 100 MB of CSV each, counted by {@link #JOB_CREATE}.
 *   <li><b>full pull</b>: the provider's change feed from the start ({@code changesSince(null, 1000)} until
 *       caught up, the sync engine's full pull), in a child JVM with a heap limit ({@link SalesforcePull}), the
 *       emulator in this JVM.
 * </ul>
 */
public final class SalesforcePush {
  /**
   * Settings that keep {@code bulkWrite} on sObject Collections at every size: the provider's
   * {@code bulkApiThreshold} above the largest push (a {@code bulkWrite} of more writes than the threshold goes
   * through Bulk API 2.0 instead).
   */
  public static final Map<String, String> COLLECTIONS_ONLY =
      Map.of(SalesforceCustomerSystemProvider.BULK_API_THRESHOLD, "100000000");
  /** The emulator's endpoint that creates a Bulk API 2.0 ingest job: one per job. */
  public static final String JOB_CREATE = "POST /services/data/vXX.X/jobs/ingest";
  /** The emulator's daily API allocation for these runs, above what the baseline needs. */
  public static final int DAILY_LIMIT = 1_000_000;
  /** Customers per page of the full pull ({@code PageRequest.MAX_LIMIT}). */
  public static final int PULL_PAGE = 1000;
  /**
   * Threads of the baseline: a hand-written integration sending one record per request would send
   * several at once; on the loopback emulator each request also waits on TCP acknowledgements.
   */
  public static final int BASELINE_THREADS = 8;

  /** One push. */
  public record Push(String side, int records, int perCall, int companies, double seconds, long calls,
      long dailyUsage, long failures, long bulkRequests, long jobs, Map<String, Long> callsByEndpoint,
      Map<String, Long> subrequestsByEndpoint) {
    /** API calls per 1,000 records. */
    public double callsPerThousand() {
      return calls * 1000.0 / records;
    }

    /** Daily API usage consumed per 1,000 records. */
    public double usagePerThousand() {
      return dailyUsage * 1000.0 / records;
    }

    /** Records per second. */
    public double recordsPerSecond() {
      return records / seconds;
    }
  }

  /** The full pull in the child JVM. */
  public record Pull(int records, String heapLimit, boolean forked, boolean completed, int exitCode, int pulled,
      int pages, double seconds, long calls, long dailyUsage, long peakHeapUsedBytes, long heapPoolPeaksBytes,
      String failure, int longestCursor, int distinct, int searchPulled, int searchPages, double searchSeconds,
      Map<String, Long> callsByEndpoint) {}

  private final PrintStream out;

  /** @param out where progress lines go */
  public SalesforcePush(PrintStream out) {
    this.out = out;
  }

  /** A fresh emulator (a fresh org) with {@link #DAILY_LIMIT}. */
  public static SalesforceEmulator emulator() {
    return SalesforceEmulator.builder().dailyApiLimit(DAILY_LIMIT).build();
  }

  /**
   * The crmkit side: every draft created by {@code bulkWrite} calls of {@code perCall} writes.
   *
   * @param emulator the org, its counters reset here
   */
  public Push crmkit(SalesforceEmulator emulator, List<CustomerDraft> drafts, int perCall) {
    return crmkit(emulator, drafts, perCall, COLLECTIONS_ONLY, "crmkit bulkWrite, " + perCall + " per call");
  }

  /**
   * The crmkit side with the given provider settings, such as a {@code bulkApiThreshold}.
   *
   * @param emulator the org, its counters reset here
   * @param settings provider settings added to the tenant's
   * @param side the row's label
   */
  public Push crmkit(SalesforceEmulator emulator, List<CustomerDraft> drafts, int perCall, Map<String, String> settings,
      String side) {
    try (IntegrationFactory factory = IntegrationFactory.builder().build()) {
      TenantConfig.Builder config = TenantConfig.builder("bench", "salesforce")
          .setting(SalesforceCustomerSystemProvider.INSTANCE_URL, emulator.baseUrl())
          .credential(SalesforceCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken());
      settings.forEach(config::setting);
      CustomerSystem system = factory.system(config.build());
      emulator.counters().reset();
      int usage = emulator.apiUsage();
      long failures = 0;
      long start = System.nanoTime();
      for (int from = 0; from < drafts.size(); from += perCall) {
        List<CustomerWrite> writes = drafts.subList(from, Math.min(drafts.size(), from + perCall)).stream()
            .map(CustomerWrite::create).toList();
        for (UpsertOutcome o : system.bulkWrite(writes)) {
          if (o.error() != null) {
            if (failures++ == 0) {
              out.println("  first failure: " + o.error());
            }
          }
        }
        if ((from / perCall) % Math.max(1, 10_000 / perCall) == 0) {
          out.printf(Locale.ROOT, "  crmkit (%d per call): %,d of %,d after %.1f s%n", perCall, from + writes.size(),
              drafts.size(), (System.nanoTime() - start) / 1e9);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return result(side, emulator, drafts, perCall, seconds, emulator.apiUsage() - usage, failures);
    }
  }

  /**
   * The baseline: one {@code POST /sobjects/Contact} per draft, one query and maybe one create per
   * distinct company.
   *
   * @param emulator the org, its counters reset here
   */
  public Push baseline(SalesforceEmulator emulator, List<CustomerDraft> drafts) throws Exception {
    HttpConnector http = HttpConnector.builder()
        .vendor("salesforce")
        .baseUrl(emulator.baseUrl())
        .auth(StaticToken.of(emulator.accessToken()))
        .build();
    String data = "/services/data/" + emulator.apiVersion();
    emulator.counters().reset();
    int usage = emulator.apiUsage();
    Map<String, CompletableFuture<String>> accounts = new ConcurrentHashMap<>();
    AtomicLong failures = new AtomicLong();
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(BASELINE_THREADS);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (CustomerDraft d : drafts) {
        tasks.add(pool.submit(() -> {
          try {
            Map<String, Object> contact = new LinkedHashMap<>();
            contact.put("FirstName", d.firstName());
            contact.put("LastName", d.lastName() == null ? "[not provided]" : d.lastName());
            contact.put("Email", d.email());
            contact.put("Phone", d.phone());
            if (d.address() != null) {
              contact.put("MailingCity", d.address().city());
              contact.put("MailingCountry", d.address().country());
            }
            contact.put("Customer_Segment__c", "PROSPECT");
            if (d.company() != null) {
              contact.put("AccountId", account(http, data, accounts, d.company()));
            }
            contact.values().removeIf(v -> v == null);
            http.send(ApiRequest.post(data + "/sobjects/Contact", contact));
          } catch (RuntimeException e) {
            if (failures.getAndIncrement() == 0) {
              out.println("  first baseline failure: " + e);
            }
          }
          if (done.incrementAndGet() % 2000 == 0) {
            out.printf(Locale.ROOT, "  baseline: %,d of %,d after %.1f s%n", done.get(), drafts.size(),
                (System.nanoTime() - start) / 1e9);
          }
        }));
      }
      for (Future<?> task : tasks) {
        task.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return result("baseline: one POST /sobjects/Contact per customer, one query (+ create) per company", emulator,
        drafts, 1, seconds, emulator.apiUsage() - usage, failures.get());
  }

  /** The company's Account id: one query by name, one create when there is none; once per company. */
  private static String account(HttpConnector http, String data, Map<String, CompletableFuture<String>> accounts,
      String company) {
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> known = accounts.putIfAbsent(company, mine);
    if (known != null) {
      return known.join();
    }
    try {
      String soql = "SELECT Id FROM Account WHERE Name = '" + company.replace("\\", "\\\\").replace("'", "\\'")
          + "' LIMIT 1";
      Object rows = http.send(ApiRequest.get(data + "/query").withQuery("q", soql)).json().get("records");
      String id = rows instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> row
          ? (String) row.get("Id")
          : (String) http.send(ApiRequest.post(data + "/sobjects/Account", Map.of("Name", company))).json().get("id");
      mine.complete(id);
      return id;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    }
  }

  /**
   * The full pull of the emulator's customers by {@link SalesforcePull} in a child JVM (same class
   * path, {@code java} of {@code java.home}), or in this JVM when {@code fork} is false.
   *
   * @param heap the child's {@code -Xmx}, such as {@code 256m}
   * @param dir where the child writes its result
   */
  public Pull pull(SalesforceEmulator emulator, int records, boolean fork, String heap, Path dir) throws Exception {
    emulator.counters().reset();
    int usage = emulator.apiUsage();
    Path result = dir.resolve("salesforce-pull.properties");
    Files.deleteIfExists(result);
    int exitCode;
    if (fork) {
      Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
          SalesforcePull.class.getName(), emulator.baseUrl(), emulator.accessToken(), result.toString(),
          Integer.toString(records))
          .inheritIO()
          .start();
      if (!child.waitFor(30, TimeUnit.MINUTES)) {
        child.destroyForcibly();
      }
      exitCode = child.waitFor();
    } else {
      SalesforcePull.main(new String[] {emulator.baseUrl(), emulator.accessToken(), result.toString(),
          Integer.toString(records)});
      exitCode = 0;
    }
    Properties p = new Properties();
    if (Files.exists(result)) {
      try (InputStream in = Files.newInputStream(result)) {
        p.load(in);
      }
    }
    int pulled = Integer.parseInt(p.getProperty("pulled", "0"));
    SalesforceCounters counters = emulator.counters();
    return new Pull(records, fork ? heap : "none", fork, exitCode == 0 && pulled == records
        && p.getProperty("failure", "").isEmpty(), exitCode, pulled, Integer.parseInt(p.getProperty("pages", "0")),
        Double.parseDouble(p.getProperty("seconds", "NaN")), counters.totalRequests(), emulator.apiUsage() - usage,
        Long.parseLong(p.getProperty("peakHeapUsedBytes", "-1")), Long.parseLong(p.getProperty("heapPoolPeaksBytes",
        "-1")), p.getProperty("failure", ""), Integer.parseInt(p.getProperty("longestCursor", "0")),
        Integer.parseInt(p.getProperty("distinct", "0")), Integer.parseInt(p.getProperty("searchPulled", "0")),
        Integer.parseInt(p.getProperty("searchPages", "0")), Double.parseDouble(p.getProperty("searchSeconds", "NaN")),
        new LinkedHashMap<>(counters.requestsByEndpoint()));
  }

  private static Push result(String side, SalesforceEmulator emulator, List<CustomerDraft> drafts, int perCall,
      double seconds, long usage, long failures) {
    SalesforceCounters counters = emulator.counters();
    Set<String> companies = new LinkedHashSet<>();
    drafts.forEach(d -> {
      if (d.company() != null) {
        companies.add(d.company().toLowerCase(Locale.ROOT));
      }
    });
    long bulk = counters.requestsByEndpoint().entrySet().stream().filter(e -> e.getKey().contains("/jobs/"))
        .mapToLong(Map.Entry::getValue).sum();
    return new Push(side, drafts.size(), perCall, companies.size(), seconds, counters.totalRequests(), usage,
        failures, bulk, counters.requests(JOB_CREATE), new LinkedHashMap<>(counters.requestsByEndpoint()),
        new LinkedHashMap<>(counters.subrequestsByEndpoint()));
  }

  /** A push as plain maps for the JSON file. */
  public static Map<String, Object> toMap(Push r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", r.side());
    m.put("records", r.records());
    m.put("writesPerBulkWriteCall", r.perCall());
    m.put("distinctCompanies", r.companies());
    m.put("seconds", round(r.seconds()));
    m.put("recordsPerSecond", round(r.recordsPerSecond()));
    m.put("calls", r.calls());
    m.put("callsPerThousandRecords", round(r.callsPerThousand()));
    m.put("dailyApiUsage", r.dailyUsage());
    m.put("dailyApiUsagePerThousandRecords", round(r.usagePerThousand()));
    m.put("failedRecords", r.failures());
    m.put("bulkApiRequests", r.bulkRequests());
    m.put("bulkApiJobs", r.jobs());
    m.put("callsByEndpoint", r.callsByEndpoint());
    m.put("compositeSubrequestsByEndpoint", r.subrequestsByEndpoint());
    return m;
  }

  /** The pull as plain maps for the JSON file. */
  public static Map<String, Object> toMap(Pull p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", p.records());
    m.put("forked", p.forked());
    m.put("heapLimit", p.heapLimit());
    m.put("completed", p.completed());
    m.put("exitCode", p.exitCode());
    m.put("pulled", p.pulled());
    m.put("pages", p.pages());
    m.put("seconds", round(p.seconds()));
    m.put("calls", p.calls());
    m.put("dailyApiUsage", p.dailyUsage());
    m.put("peakHeapUsedMiB", p.peakHeapUsedBytes() < 0 ? null : mib(p.peakHeapUsedBytes()));
    m.put("heapPoolPeaksMiB", p.heapPoolPeaksBytes() < 0 ? null : mib(p.heapPoolPeaksBytes()));
    m.put("failure", p.failure());
    m.put("longestCursorChars", p.longestCursor());
    m.put("distinctCustomers", p.distinct());
    m.put("searchPulled", p.searchPulled());
    m.put("searchPages", p.searchPages());
    m.put("searchSeconds", Double.isNaN(p.searchSeconds()) ? null : round(p.searchSeconds()));
    m.put("callsByEndpoint", p.callsByEndpoint());
    return m;
  }

  /** Bytes in MiB, one decimal. */
  public static double mib(long bytes) {
    return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
  }

  /** {@code v} rounded to three decimals. */
  public static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
