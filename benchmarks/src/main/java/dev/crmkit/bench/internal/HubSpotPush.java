package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.IntegrationFactory;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.http.ApiRequest;
import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.RateLimitWindow;
import dev.crmkit.http.RateLimiter;
import dev.crmkit.http.StaticToken;
import dev.crmkit.hubspot.HubSpotContactMapping;
import dev.crmkit.testkit.hubspot.HubSpotCounters;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Pushes customers into a {@link HubSpotEmulator} running HubSpot's default private-app limits
 * (100 requests per rolling 10 seconds, 250,000 a day), two ways in one run:
 *
 * <ul>
 *   <li><b>crmkit</b>: the {@code hubspot} provider's {@link CustomerSystem#bulkWrite}, the write
 *       path of the sync engine, which sends batches of 100 through its proactive rate limiter. Pass
 *       1 creates every customer ({@code batch/upsert} by email); each later pass changes every
 *       customer's tags and writes them all again ({@code batch/update} by id).
 *   <li><b>baseline</b>: one {@code POST /crm/v3/objects/contacts} per customer, with the same
 *       properties and the same proactive limiter on the same HTTP runtime: what an integration
 *       without batching does.
 * </ul>
 *
 * <p>Each side gets a fresh emulator (a fresh HubSpot account), so neither uses the other's budget.
 * Calls and 429s are the emulator's own counts.
 *
 * <p>The bound: a rolling limit of {@code L} calls per {@code W} seconds sustains {@code L / W *
 * records per call} records per second (1,000 with batches of 100, 10 with one call per record). A
 * run that starts with an unused budget first gets a burst of {@code L} calls at once, so the
 * reported ratio is the sustained rate after that burst over the bound: for crmkit the passes after
 * the first (whose 100 calls are the burst), for the baseline the records after its first {@code L}.
 * A second figure, the least time the rolling window allows for all the calls ({@code floor((C - 1)
 * / L) * W} seconds for {@code C} calls) over the measured time, is reported beside it; it leaves out
 * the time the last window's calls take, so it reads a little low.
 */
public final class HubSpotPush {
  /** HubSpot's default for private apps on Free and Starter accounts. */
  public static final int TEN_SECOND_LIMIT = 100;
  /** The rolling window of that limit. */
  public static final Duration WINDOW = Duration.ofSeconds(10);
  /** HubSpot's batch input limit. */
  public static final int BATCH = 100;

  /** The outcome of one side of the run. */
  public record Result(
      String side, int passes, int records, long calls, long rateLimited, long failures, double seconds,
      Map<String, Long> callsByEndpoint, List<Double> passSeconds, int steadyRecords, double steadySeconds,
      double boundRecordsPerSecond) {

    /** Records per second over the whole side. */
    public double recordsPerSecond() {
      return records / seconds;
    }

    /** API calls per 1,000 records. */
    public double callsPerThousand() {
      return calls * 1000.0 / records;
    }

    /** The least time the rolling limit allows for {@link #calls}, in seconds; 0 when they fit one window. */
    public double minimumSeconds() {
      return Math.floorDiv(calls - 1, TEN_SECOND_LIMIT) * (double) WINDOW.toSeconds();
    }

    /** {@link #minimumSeconds()} over the measured time; NaN when the calls fit one window. */
    public double leastTimeRatio() {
      double min = minimumSeconds();
      return min == 0 ? Double.NaN : min / seconds;
    }

    /** Records per second after the first window's burst: the sustained rate. */
    public double steadyRecordsPerSecond() {
      return steadyRecords / steadySeconds;
    }

    /** {@link #steadyRecordsPerSecond()} over the sustained bound; the benchmark's ratio. */
    public double ratioToBound() {
      return steadyRecordsPerSecond() / boundRecordsPerSecond;
    }
  }

  private final PrintStream out;

  /** @param out where progress lines go */
  public HubSpotPush(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the crmkit side: {@code passes} upserts of every draft.
   *
   * @param drafts the customers, each with an email
   * @param passes how many times to push them; the first creates
   * @return the measured result
   */
  public Result crmkit(List<CustomerDraft> drafts, int passes) {
    try (HubSpotEmulator emulator = HubSpotEmulator.start();
        IntegrationFactory factory = IntegrationFactory.builder().build()) {
      CustomerSystem system = factory.system(TenantConfig.builder("bench", "hubspot")
          .setting("baseUrl", emulator.baseUrl())
          .credential("accessToken", emulator.accessToken())
          .build());
      List<Double> passSeconds = new ArrayList<>();
      long failures = 0;
      long start = System.nanoTime();
      List<String> ids = new ArrayList<>();
      for (int pass = 1; pass <= passes; pass++) {
        List<CustomerWrite> batch = pass == 1 ? creates(drafts) : retagged(drafts, ids, pass);
        long passStart = System.nanoTime();
        List<UpsertOutcome> outcomes = system.bulkWrite(batch);
        if (pass == 1) {
          outcomes.forEach(o -> ids.add(o.customer() == null ? null : o.customer().id()));
        }
        passSeconds.add((System.nanoTime() - passStart) / 1e9);
        long failed = outcomes.stream().filter(o -> o.error() != null).count();
        failures += failed;
        out.printf("  crmkit pass %d: %,d records in %.2f s, %d failed%n", pass, batch.size(),
            passSeconds.get(passSeconds.size() - 1), failed);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      HubSpotCounters counters = emulator.counters();
      int steadyRecords = passes > 1 ? drafts.size() * (passes - 1) : drafts.size();
      double steadySeconds = passes > 1 ? seconds - passSeconds.get(0) : seconds;
      return new Result("crmkit bulkWrite (batches of 100)", passes, drafts.size() * passes, counters.totalRequests(),
          counters.rateLimitedResponses(), failures, seconds, counters.requestsByEndpoint(), passSeconds,
          steadyRecords, steadySeconds, TEN_SECOND_LIMIT * (double) BATCH / WINDOW.toSeconds());
    }
  }

  /**
   * Runs the baseline side: one create call per draft.
   *
   * @param drafts the customers to create
   * @return the measured result
   */
  public Result baseline(List<CustomerDraft> drafts) {
    HubSpotContactMapping mapping = HubSpotContactMapping.defaults();
    try (HubSpotEmulator emulator = HubSpotEmulator.start()) {
      RateLimiter limiter = RateLimiter.of(Clock.systemUTC(), List.of(
          RateLimitWindow.of("ten-secondly", TEN_SECOND_LIMIT, WINDOW),
          RateLimitWindow.dailyResettingAt(250_000, ZoneOffset.UTC)));
      HttpConnector http = HttpConnector.builder()
          .vendor("hubspot")
          .baseUrl(emulator.baseUrl())
          .auth(StaticToken.of(emulator.accessToken()))
          .rateLimiter(limiter)
          .build();
      long failures = 0;
      long start = System.nanoTime();
      long afterBurst = start;
      int done = 0;
      for (CustomerDraft draft : drafts) {
        try {
          http.send(ApiRequest.post("/crm/v3/objects/contacts", Map.of("properties", mapping.toProperties(draft))));
        } catch (RuntimeException e) {
          failures++;
        }
        if (++done == TEN_SECOND_LIMIT) {
          afterBurst = System.nanoTime();
        }
        if (done % 100 == 0) {
          out.printf("  baseline: %,d of %,d records after %.1f s%n", done, drafts.size(),
              (System.nanoTime() - start) / 1e9);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      HubSpotCounters counters = emulator.counters();
      boolean burstOnly = drafts.size() <= TEN_SECOND_LIMIT;
      int steadyRecords = burstOnly ? drafts.size() : drafts.size() - TEN_SECOND_LIMIT;
      double steadySeconds = burstOnly ? seconds : (System.nanoTime() - afterBurst) / 1e9;
      return new Result("baseline one call per contact", 1, drafts.size(), counters.totalRequests(),
          counters.rateLimitedResponses(), failures, seconds, counters.requestsByEndpoint(), List.of(seconds),
          steadyRecords, steadySeconds, TEN_SECOND_LIMIT / (double) WINDOW.toSeconds());
    }
  }

  private static List<CustomerWrite> creates(List<CustomerDraft> drafts) {
    return drafts.stream().map(CustomerWrite::create).toList();
  }

  private static List<CustomerWrite> retagged(List<CustomerDraft> drafts, List<String> ids, int pass) {
    List<CustomerWrite> out = new ArrayList<>(drafts.size());
    for (int i = 0; i < drafts.size(); i++) {
      if (ids.get(i) != null) {
        Set<String> tags = new TreeSet<>(drafts.get(i).tags());
        tags.add("push-pass-" + pass);
        out.add(CustomerWrite.update(ids.get(i), CustomerUpdate.builder().tags(tags).build()));
      }
    }
    return out;
  }

  /**
   * The result as plain maps and lists for the JSON file.
   *
   * @param r a result
   * @return its fields and derived figures
   */
  public static Map<String, Object> toMap(Result r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("side", r.side());
    m.put("passes", r.passes());
    m.put("records", r.records());
    m.put("seconds", round(r.seconds()));
    m.put("recordsPerSecond", round(r.recordsPerSecond()));
    m.put("calls", r.calls());
    m.put("callsPerThousandRecords", round(r.callsPerThousand()));
    m.put("rateLimited429", r.rateLimited());
    m.put("failedRecords", r.failures());
    m.put("boundRecordsPerSecond", round(r.boundRecordsPerSecond()));
    m.put("steadyRecords", r.steadyRecords());
    m.put("steadySeconds", round(r.steadySeconds()));
    m.put("steadyRecordsPerSecond", round(r.steadyRecordsPerSecond()));
    m.put("ratioToBound", round(r.ratioToBound()));
    m.put("minimumSecondsUnderLimit", round(r.minimumSeconds()));
    m.put("leastTimeRatio", Double.isNaN(r.leastTimeRatio()) ? null : round(r.leastTimeRatio()));
    m.put("passSeconds", r.passSeconds().stream().map(HubSpotPush::round).toList());
    m.put("callsByEndpoint", new LinkedHashMap<>(r.callsByEndpoint()));
    return m;
  }

  static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /**
   * The JSON writer the other result files use.
   *
   * @param value maps, lists, strings, numbers, booleans
   * @return the JSON text
   */
  public static String json(Object value) {
    return Json.write(value);
  }
}
