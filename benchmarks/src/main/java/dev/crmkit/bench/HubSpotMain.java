package dev.crmkit.bench;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.internal.HubSpotPush;
import dev.crmkit.bench.internal.Options;
import dev.crmkit.error.ValidationException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HubSpot push benchmark: the customers of {@code customers-10000.csv} pushed into the HubSpot
 * emulator under HubSpot's default limits by crmkit's batch upsert and by a one-call-per-contact
 * baseline; results written to {@code benchmarks/results/<date>-hubspot.{md,json}}. See {@link
 * HubSpotPush} for what is measured and {@code benchmarks/README.md} for the options.
 */
public final class HubSpotMain {
  /** Goal: at most this many API calls per 1,000 records. */
  public static final double CALLS_GOAL = 10.5;
  /** Goal: at least this share of the rate-limit bound. */
  public static final double BOUND_GOAL = 0.9;

  private HubSpotMain() {}

  /**
   * Runs the benchmark.
   *
   * <p>Options: {@code --data DIR} (default {@code ../shared/data}), {@code --out DIR} (default
   * {@code benchmarks/results}), {@code --records N} customers (default 10000), {@code --passes N}
   * pushes of them by crmkit (default 3: one create, two updates), {@code --baseline-records N}
   * (default 500; the baseline runs at 10 records/s).
   *
   * @param args the options
   * @throws Exception when a side fails as a whole
   */
  public static void main(String[] args) throws Exception {
    Path data = Path.of("../shared/data");
    Path out = Path.of("benchmarks/results");
    int records = 10_000;
    int passes = 3;
    int baselineRecords = 500;
    for (int i = 0; i < args.length; i += 2) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw ValidationException.of(option, null, "needs a value");
      }
      String value = args[i + 1];
      switch (option) {
        case "--data" -> data = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--records" -> records = Options.atLeast(option, value, 1);
        case "--passes" -> passes = Options.atLeast(option, value, 1);
        case "--baseline-records" -> baselineRecords = Options.atLeast(option, value, 1);
        default -> throw ValidationException.of("option", option, "unknown; see benchmarks/README.md");
      }
    }
    List<CustomerDraft> drafts = Dataset.load(data, records).subList(0, records);
    System.out.printf("loaded %,d customers from %s%n", drafts.size(), data.toAbsolutePath());
    HubSpotPush push = new HubSpotPush(System.out);
    HubSpotPush.Result crmkit = push.crmkit(withoutCustomFields(drafts), passes);
    HubSpotPush.Result baseline = push.baseline(withoutCustomFields(drafts.subList(0, Math.min(baselineRecords, drafts.size()))));

    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    Files.createDirectories(out);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date.toString());
    root.put("benchmark", "hubspot-push");
    root.put("limits", Map.of("tenSecondly", HubSpotPush.TEN_SECOND_LIMIT, "daily", 250_000, "batchInputs", HubSpotPush.BATCH));
    root.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(),
        "java", System.getProperty("java.version"),
        "jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
    root.put("crmkit", HubSpotPush.toMap(crmkit));
    root.put("baseline", HubSpotPush.toMap(baseline));
    root.put("speedup", Math.round(crmkit.recordsPerSecond() / baseline.recordsPerSecond() * 10) / 10.0);
    Path json = out.resolve(date + "-hubspot.json");
    Path md = out.resolve(date + "-hubspot.md");
    Files.writeString(json, HubSpotPush.json(root) + "\n", StandardCharsets.UTF_8);
    Files.writeString(md, markdown(date, crmkit, baseline), StandardCharsets.UTF_8);
    System.out.print(markdown(date, crmkit, baseline));
    System.out.println("wrote " + md + " and " + json);
  }

  private static List<CustomerDraft> withoutCustomFields(List<CustomerDraft> drafts) {
    // The dataset's ids (customerId) are not HubSpot properties; a real setup maps them with the
    // provider's custom-field settings. Left out so both sides send the same properties.
    return drafts.stream().map(d -> d.toBuilder().customFields(Map.of()).build()).toList();
  }

  static String markdown(LocalDate date, HubSpotPush.Result crmkit, HubSpotPush.Result baseline) {
    StringBuilder b = new StringBuilder();
    b.append("# HubSpot push benchmark, ").append(date).append("\n\n");
    b.append("HubSpot emulator with HubSpot's default private-app limits: ")
        .append(HubSpotPush.TEN_SECOND_LIMIT).append(" calls per rolling ")
        .append(HubSpotPush.WINDOW.toSeconds()).append(" s, 250,000 a day, ")
        .append(HubSpotPush.BATCH).append(" inputs per batch call. Sustained bound: ")
        .append(HubSpotPush.TEN_SECOND_LIMIT * HubSpotPush.BATCH / HubSpotPush.WINDOW.toSeconds())
        .append(" records/s with batches, ")
        .append(HubSpotPush.TEN_SECOND_LIMIT / HubSpotPush.WINDOW.toSeconds())
        .append(" records/s with one call per record.\n\n");
    b.append("| side | records | time | records/s | calls | calls per 1,000 records | 429s | failed records "
        + "| sustained records/s (after the first window) | bound | ratio to bound | least-time ratio |\n");
    b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (HubSpotPush.Result r : List.of(crmkit, baseline)) {
      b.append(String.format(Locale.ROOT, "| %s | %,d | %.2f s | %,.0f | %,d | %.2f | %d | %d | %,.1f | %,.0f | %.3f | %s |%n",
          r.side(), r.records(), r.seconds(), r.recordsPerSecond(), r.calls(), r.callsPerThousand(),
          r.rateLimited(), r.failures(), r.steadyRecordsPerSecond(), r.boundRecordsPerSecond(), r.ratioToBound(),
          Double.isNaN(r.leastTimeRatio()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.leastTimeRatio())));
    }
    b.append(String.format(Locale.ROOT, "%ncrmkit passes (s): %s; the first pass's 100 calls are the window's burst."
            + " crmkit is %.0f× the baseline's records/s overall.%n",
        crmkit.passSeconds().stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).toList(),
        crmkit.recordsPerSecond() / baseline.recordsPerSecond()));
    b.append(String.format(Locale.ROOT, "%nGoals: at most %.1f calls per 1,000 records (%s), at least %.1f of the "
            + "bound (%s), no 429 (%s).%n",
        CALLS_GOAL, crmkit.callsPerThousand() <= CALLS_GOAL ? "met" : "missed",
        BOUND_GOAL, crmkit.ratioToBound() >= BOUND_GOAL ? "met" : "missed",
        crmkit.rateLimited() == 0 ? "met" : "missed"));
    b.append("\nBound: 100 calls per rolling 10 s sustain 1,000 records/s in batches of 100 and 10 records/s one by"
        + " one. The ratio is the sustained rate after the first window's burst over that bound. The least-time ratio"
        + " is floor((calls − 1) / 100) × 10 s, the least time the rolling window allows for all the calls from an"
        + " unused budget, over the measured time; it leaves out the time the last window's calls take.\n");
    b.append("\nCalls by endpoint, crmkit: ").append(crmkit.callsByEndpoint()).append("\n");
    return b.toString();
  }
}
