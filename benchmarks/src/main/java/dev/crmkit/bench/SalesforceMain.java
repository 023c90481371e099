package dev.crmkit.bench;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.internal.HubSpotPush;
import dev.crmkit.bench.internal.Options;
import dev.crmkit.bench.internal.SalesforcePush;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Salesforce benchmark: customers pushed into the Salesforce emulator by crmkit's {@code bulkWrite}
 * (sObject Collections in composite calls) at two sizes, beside a one-request-per-record baseline in
 * the same run; the large size once more through Bulk API 2.0; and a full pull of the large size through
 * the change feed in a child JVM with a heap limit; results written
 * to {@code benchmarks/results/<date>-salesforce.{md,json}}. See {@link SalesforcePush} for what is
 * measured and {@code benchmarks/README.md} for the options.
 */
public final class SalesforceMain {
  /** Goal: at most this many API calls per 1,000 records through Collections. */
  public static final double CALLS_GOAL = 5.5;
  /** Writes per {@code bulkWrite} call of the main pushes. */
  public static final int PER_CALL = 1000;
  /**
   * The sync engine's default page and remote batch size ({@code SyncEngine.DEFAULT_PAGE_SIZE},
   * {@code DEFAULT_REMOTE_BATCH_SIZE}), the writes per {@code bulkWrite} call when an engine built with the
   * defaults pushes. An engine built with {@code pageSize(1000).remoteBatchSize(1000)} sends {@link #PER_CALL}.
   */
  public static final int ENGINE_PAGE = 100;

  private SalesforceMain() {}

  /**
   * Runs the benchmark.
   *
   * <p>Options: {@code --data DIR} (default {@code ../shared/data}), {@code --out DIR} (default
   * {@code benchmarks/results}), {@code --small N} (default 10000), {@code --large N} (default
   * 100000), {@code --baseline-records N} (default: the small size), {@code --heap SIZE} (default
   * {@code 256m}), {@code --fork on|off} (default on), {@code --bulk-threshold N} (the Bulk run's
   * {@code bulkApiThreshold}; default: the provider's, 2,000).
   *
   * @param args the options
   * @throws Exception when a side fails as a whole
   */
  public static void main(String[] args) throws Exception {
    Path data = Path.of("../shared/data");
    Path out = Path.of("benchmarks/results");
    int small = 10_000;
    int large = 100_000;
    int baselineRecords = -1;
    String heap = "256m";
    boolean fork = true;
    Integer bulkThreshold = null;
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw ValidationException.of(option, null, "needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--data" -> data = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--small" -> small = Options.atLeast(option, value, 1);
        case "--large" -> large = Options.atLeast(option, value, 1);
        case "--baseline-records" -> baselineRecords = Options.atLeast(option, value, 1);
        case "--bulk-threshold" -> bulkThreshold = Options.atLeast(option, value, 1);
        case "--heap" -> {
          if (!value.matches("\\d+[kmgKMG]?")) {
            throw ValidationException.of(option, value, "must be a -Xmx size such as 256m");
          }
          heap = value;
        }
        case "--fork" -> {
          if (!value.equals("on") && !value.equals("off")) {
            throw ValidationException.of(option, value, "must be on or off");
          }
          fork = value.equals("on");
        }
        default -> throw ValidationException.of("option", option, "unknown; see benchmarks/README.md");
      }
    }
    if (baselineRecords < 0) {
      baselineRecords = small;
    }
    int rows = Math.min(10_000, Math.max(small, large));
    List<CustomerDraft> base = Dataset.load(data, rows).subList(0, rows);
    System.out.printf("loaded %,d customers from %s%n", base.size(), data.toAbsolutePath());
    Map<String, Object> results = run(base, small, large, baselineRecords, heap, fork, bulkThreshold, out,
        System.out);
    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    Files.createDirectories(out);
    Path json = out.resolve(date + "-salesforce.json");
    Path md = out.resolve(date + "-salesforce.md");
    results.put("date", date.toString());
    Files.writeString(json, HubSpotPush.json(results) + "\n", StandardCharsets.UTF_8);
    String text = markdown(date, results);
    Files.writeString(md, text, StandardCharsets.UTF_8);
    System.out.print(text);
    System.out.println("wrote " + md + " and " + json);
  }

  /**
   * Runs every side and returns the results as plain maps (the JSON file's content).
   *
   * @param base the dataset's customers; {@link Dataset#derive} makes the sizes from them
   * @param bulkThreshold the Bulk run's {@code bulkApiThreshold}, or null for the provider's default
   * @param dir where the child JVM writes its result
   */
  static Map<String, Object> run(List<CustomerDraft> base, int small, int large, int baselineRecords, String heap,
      boolean fork, Integer bulkThreshold, Path dir, java.io.PrintStream log) throws Exception {
    SalesforcePush push = new SalesforcePush(log);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("benchmark", "salesforce-push-pull");
    root.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(),
        "java", System.getProperty("java.version"),
        "jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
    root.put("emulator", Map.of("dailyApiLimit", SalesforcePush.DAILY_LIMIT, "collectionSize", 200,
        "compositeCollectionsOrQueries", 5));
    root.put("collectionsOnlySettings", SalesforcePush.COLLECTIONS_ONLY);
    Map<String, String> bulkSettings = bulkThreshold == null ? Map.of()
        : Map.of(SalesforceCustomerSystemProvider.BULK_API_THRESHOLD, bulkThreshold.toString());
    root.put("bulkSettings", bulkSettings);
    List<SalesforcePush.Push> pushes = new ArrayList<>();
    List<CustomerDraft> smallDrafts = salesforceable(Dataset.derive(base, small));
    try (SalesforceEmulator emulator = SalesforcePush.emulator()) {
      pushes.add(push.crmkit(emulator, smallDrafts, PER_CALL, SalesforcePush.COLLECTIONS_ONLY, "crmkit bulkWrite, "
          + PER_CALL + " per call (= sync engine with pageSize and remoteBatchSize " + PER_CALL + ")"));
    }
    try (SalesforceEmulator emulator = SalesforcePush.emulator()) {
      pushes.add(push.crmkit(emulator, smallDrafts, ENGINE_PAGE, SalesforcePush.COLLECTIONS_ONLY, "crmkit bulkWrite, "
          + ENGINE_PAGE + " per call (= sync engine defaults)"));
    }
    try (SalesforceEmulator emulator = SalesforcePush.emulator()) {
      pushes.add(push.baseline(emulator, smallDrafts.subList(0, Math.min(baselineRecords, smallDrafts.size()))));
    }
    smallDrafts = null;
    List<CustomerDraft> largeDrafts = salesforceable(Dataset.derive(base, large));
    SalesforcePush.Pull pull;
    try (SalesforceEmulator emulator = SalesforcePush.emulator()) {
      pushes.add(push.crmkit(emulator, largeDrafts, PER_CALL));
      log.printf("full pull of %,d in %s%n", large, fork ? "a child JVM, -Xmx" + heap : "this JVM");
      pull = push.pull(emulator, large, fork, heap, dir);
    }
    try (SalesforceEmulator emulator = SalesforcePush.emulator()) {
      log.printf("Bulk API 2.0: one bulkWrite of %,d%n", large);
      pushes.add(push.crmkit(emulator, largeDrafts, large, bulkSettings, "crmkit bulkWrite through Bulk API 2.0, one "
          + "call of all writes"));
    }
    root.put("pushes", pushes.stream().map(SalesforcePush::toMap).toList());
    root.put("fullPull", SalesforcePush.toMap(pull));
    SalesforcePush.Push main = pushes.get(0);
    SalesforcePush.Push big = pushes.get(3);
    SalesforcePush.Push bulk = pushes.get(4);
    SalesforcePush.Push baseline = pushes.get(2);
    Map<String, Object> goals = new LinkedHashMap<>();
    goals.put("callsPerThousandAtMost", CALLS_GOAL);
    goals.put("smallCallsGoalMet", main.callsPerThousand() <= CALLS_GOAL);
    goals.put("largeCallsGoalMet", big.callsPerThousand() <= CALLS_GOAL);
    goals.put("pullCompletedWithinHeap", pull.completed());
    goals.put("searchPullCompletedWithinHeap", pull.exitCode() == 0 && pull.searchPulled() == large);
    goals.put("bulkPathMeasured", bulk.jobs() > 0);
    goals.put("bulkJobs", bulk.jobs());
    goals.put("bulkCallsPerThousand", SalesforcePush.round(bulk.callsPerThousand()));
    goals.put("bulkFailedRecords", bulk.failures());
    goals.put("engineDefaultPageCallsGoalMet", pushes.get(1).callsPerThousand() <= CALLS_GOAL);
    root.put("goals", goals);
    root.put("callsRatioBaselineToCrmkit", Math.round(baseline.callsPerThousand() / main.callsPerThousand() * 10) / 10.0);
    return root;
  }

  /**
   * The drafts without what Salesforce's Contact has no place for in the default mapping (tags and
   * custom fields: the provider rejects them, and the baseline could not send them either).
   */
  static List<CustomerDraft> salesforceable(List<CustomerDraft> drafts) {
    return drafts.stream().map(d -> d.toBuilder().tags(java.util.Set.of()).customFields(Map.of()).build()).toList();
  }

  @SuppressWarnings("unchecked")
  static String markdown(LocalDate date, Map<String, Object> r) {
    StringBuilder b = new StringBuilder();
    b.append("# Salesforce benchmark, ").append(date).append("\n\n");
    b.append("Salesforce emulator (crm-testkit), a fresh org per push, daily API allocation ")
        .append(String.format(Locale.ROOT, "%,d", SalesforcePush.DAILY_LIMIT))
        .append(". Calls are the emulator's HTTP requests; a composite call is one request and one call of daily"
            + " usage, whatever its subrequests. The Collections rows run with `bulkApiThreshold` above the largest"
            + " push (`SalesforcePush.COLLECTIONS_ONLY`), so they stay on sObject Collections; the Bulk row runs with "
            + bulkSettingText(r) + ". Customers: the dataset's rows repeated with unique emails and phones"
            + " (`Dataset.derive`), without tags and custom fields.\n\n");
    b.append("| side | records | writes per bulkWrite | distinct companies | time | records/s | calls | calls per 1,000"
        + " | daily usage per 1,000 | failed | Bulk API requests | Bulk API jobs |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Object o : (List<Object>) r.get("pushes")) {
      Map<String, Object> p = (Map<String, Object>) o;
      b.append(String.format(Locale.ROOT, "| %s | %,d | %s | %,d | %.2f s | %,.0f | %,d | %.2f | %.2f | %d | %d | %d |%n",
          p.get("side"), p.get("records"), p.get("writesPerBulkWriteCall"), p.get("distinctCompanies"),
          p.get("seconds"), p.get("recordsPerSecond"), p.get("calls"), p.get("callsPerThousandRecords"),
          p.get("dailyApiUsagePerThousandRecords"), p.get("failedRecords"), p.get("bulkApiRequests"),
          p.get("bulkApiJobs")));
    }
    Map<String, Object> pull = (Map<String, Object>) r.get("fullPull");
    b.append(String.format(Locale.ROOT, "%nFull pull of %,d customers through the change feed (`changesSince(null, "
            + "%d)`, then each batch's cursor until `hasMore` is false: the sync engine's full pull) in %s: "
            + "completed %s, %,d changes (%,d distinct customers) in %d calls of changesSince, %.2f s, %,d API calls (daily usage %,d), "
            + "peak heap used %s MiB (heap pools' peaks summed: %s MiB), longest cursor %,d characters%s.%n",
        pull.get("records"), SalesforcePush.PULL_PAGE, Boolean.TRUE.equals(pull.get("forked"))
            ? "a child JVM with -Xmx" + pull.get("heapLimit") : "this JVM", pull.get("completed"), pull.get("pulled"),
        pull.get("distinctCustomers"), pull.get("pages"), pull.get("seconds"), pull.get("calls"),
        pull.get("dailyApiUsage"), pull.get("peakHeapUsedMiB"), pull.get("heapPoolPeaksMiB"),
        pull.get("longestCursorChars"),
        String.valueOf(pull.get("failure")).isEmpty() ? "" : ", failure: " + pull.get("failure")));
    b.append(String.format(Locale.ROOT, "%nThen, in the same child JVM, the same customers through `search` (%d per "
            + "page): %,d in %d pages, %s s. The pull's API calls and peak heap above cover both reads; by endpoint, "
            + "`queryAll` is the change feed and `query` the search.%n", SalesforcePush.PULL_PAGE,
        pull.get("searchPulled"), pull.get("searchPages"), pull.get("searchSeconds")));
    Map<String, Object> goals = (Map<String, Object>) r.get("goals");
    b.append(String.format(Locale.ROOT, "%nGoals: at most %.1f calls per 1,000 records through Collections: small "
            + "size %s, large size %s (at the sync engine's default page of %d: %s); the Bulk 2.0 path for the large "
            + "size: %s, %d job(s), %.2f calls per 1,000, %d failed; full pull within the heap limit: change feed %s, "
            + "search %s.%n",
        CALLS_GOAL, met(goals.get("smallCallsGoalMet")), met(goals.get("largeCallsGoalMet")), ENGINE_PAGE,
        met(goals.get("engineDefaultPageCallsGoalMet")),
        Boolean.TRUE.equals(goals.get("bulkPathMeasured")) ? "measured" : "not taken (no job created)",
        goals.get("bulkJobs"), goals.get("bulkCallsPerThousand"), goals.get("bulkFailedRecords"),
        met(goals.get("pullCompletedWithinHeap")), met(goals.get("searchPullCompletedWithinHeap"))));
    b.append(String.format(Locale.ROOT, "%nThe baseline uses %.1f× crmkit's calls per 1,000 records.%n",
        r.get("callsRatioBaselineToCrmkit")));
    b.append("\nWhat the Collections figures assume: `bulkWrite` calls of 1,000 writes. A composite call carries five "
        + "collections of 200, so a call of 1,000 new customers with new companies costs four calls (Account names,"
        + " Account creates, Contacts, read-back). The sync engine sends its writes per page in batches of its "
        + "`remoteBatchSize`; both default to 100, where the same four steps cost about four calls per 100 (the row"
        + " with 100 per call). A host syncing with Salesforce builds the engine with `SyncEngine.builder()"
        + ".pageSize(1000).remoteBatchSize(1000)` to get the 1,000-per-call row.\n");
    b.append("\nThe Bulk row: one `bulkWrite` of every record, above `bulkApiThreshold`: the companies' Accounts"
        + " resolved up front in composite calls, one ingest job per 100 MB of CSV (create, upload, close, status"
        + " polls with backoff, three result files), then the saved records read back by `Id IN` queries of 300 ids,"
        + " five per composite call.\n");
    b.append("\nBaseline: per customer one `POST /sobjects/Contact`; per distinct company one SOQL query by name"
        + " and one `POST /sobjects/Account` when none is found, the ids kept in a map (no Account pre-created)."
        + " Same HTTP runtime, " + SalesforcePush.BASELINE_THREADS + " threads, no rate limiter. On the loopback"
        + " emulator a single request takes tens of milliseconds of mostly idle wait, so compare calls and daily usage;"
        + " times are indicative only.\n");
    b.append("\nCalls and subrequests by endpoint, per push:\n\n");
    for (Object o : (List<Object>) r.get("pushes")) {
      Map<String, Object> p = (Map<String, Object>) o;
      b.append("- ").append(p.get("side")).append(", ").append(String.format(Locale.ROOT, "%,d", p.get("records")))
          .append(": calls ").append(p.get("callsByEndpoint")).append("; composite subrequests ")
          .append(p.get("compositeSubrequestsByEndpoint")).append("\n");
    }
    b.append("- full pull: calls ").append(pull.get("callsByEndpoint")).append("\n");
    return b.toString();
  }

  @SuppressWarnings("unchecked")
  private static String bulkSettingText(Map<String, Object> r) {
    Map<String, Object> settings = (Map<String, Object>) r.get("bulkSettings");
    return settings == null || settings.isEmpty() ? "the provider's default `bulkApiThreshold` (2,000)"
        : "`bulkApiThreshold` " + settings.get(SalesforceCustomerSystemProvider.BULK_API_THRESHOLD);
  }

  private static String met(Object ok) {
    return Boolean.TRUE.equals(ok) ? "met" : "missed";
  }
}
