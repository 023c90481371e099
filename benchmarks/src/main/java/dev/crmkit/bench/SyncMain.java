package dev.crmkit.bench;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.internal.HubSpotPush;
import dev.crmkit.bench.internal.Options;
import dev.crmkit.bench.internal.SyncBench;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.SyncEngine;
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
 * The sync engine benchmark: customers derived from the two sample files in the native store on H2,
 * pushed by the {@link SyncEngine} into the HubSpot emulator under HubSpot's default limits; a full
 * push of the large size (in a child JVM with a heap limit) and delta runs after a few local changes
 * at a small and a large size. Results go to {@code benchmarks/results/<date>-sync.{md,json}}. See
 * {@link SyncBench} for what is measured and {@code benchmarks/README.md} for the options.
 */
public final class SyncMain {
  /** Goal: a delta at the large size takes at most this many times the small size's. */
  public static final double DELTA_RATIO_GOAL = 2.0;

  private SyncMain() {}

  /**
   * Runs the benchmark.
   *
   * <p>Options: {@code --data DIR} (default {@code ../shared/data}), {@code --out DIR} (default
   * {@code benchmarks/results}), {@code --records N} the large size (default 100000), {@code --small N}
   * the small size (default 10000, or {@code --records} when smaller), {@code --changes N} records
   * changed per delta round (default 100), {@code --rounds N} delta rounds per size (default 3),
   * {@code --heap SIZE} the child JVM's
   * {@code -Xmx} (default {@code 256m}), {@code --page-size N} (default the engine's), {@code
   * --rate-limits on|off} (default on), {@code --fork on|off} run the large full push in a child JVM
   * (default on).
   *
   * @param args the options
   * @throws ValidationException naming an option that is unknown or has a bad value
   * @throws Exception when a run fails as a whole
   */
  public static void main(String[] args) throws Exception {
    Path data = Path.of("../shared/data");
    Path out = Path.of("benchmarks/results");
    int records = 100_000;
    Integer small = null;
    int changes = 100;
    int rounds = 3;
    String heap = "256m";
    int pageSize = SyncEngine.DEFAULT_PAGE_SIZE;
    boolean rateLimits = true;
    boolean fork = true;
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
        case "--small" -> small = Options.atLeast(option, value, 1);
        case "--changes" -> changes = Options.atLeast(option, value, 1);
        case "--rounds" -> rounds = Options.atLeast(option, value, 1);
        case "--heap" -> heap = heap(value);
        case "--page-size" -> pageSize = Options.atLeast(option, value, 1);
        case "--rate-limits" -> rateLimits = onOff(option, value);
        case "--fork" -> fork = onOff(option, value);
        default -> throw ValidationException.of("option", option, "unknown; see benchmarks/README.md");
      }
    }
    if (small == null) {
      small = Math.min(10_000, records);
    } else if (small > records) {
      throw ValidationException.of("--small", Integer.toString(small), "must not exceed --records " + records);
    }
    List<CustomerDraft> customers = Dataset.derive(Dataset.load(data, 10_000), records);
    System.out.printf("derived %,d customers from %s%n", customers.size(), data.toAbsolutePath());
    SyncBench.Settings settings = new SyncBench.Settings(rateLimits, fork, heap, pageSize, changes, rounds);
    SyncBench bench = new SyncBench(settings, System.out);
    System.out.printf("small size: %,d%n", small);
    SyncBench.Scale smallRun = bench.run(customers.subList(0, small), false);
    System.out.printf("large size: %,d%n", records);
    SyncBench.Scale largeRun = bench.run(customers, fork);

    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    Files.createDirectories(out);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date.toString());
    root.put("benchmark", "sync");
    root.put("limits", rateLimits ? Map.of("tenSecondly", HubSpotPush.TEN_SECOND_LIMIT, "searchPerSecond", 5,
        "daily", 250_000, "batchInputs", HubSpotPush.BATCH) : Map.of());
    root.put("settings", new LinkedHashMap<>(Map.of("records", records, "small", small, "changes", changes,
        "rounds", rounds, "heap", heap, "pageSize", pageSize, "rateLimits", rateLimits, "fork", fork)));
    root.put("machine", Map.of("cpus", Runtime.getRuntime().availableProcessors(),
        "java", System.getProperty("java.version"),
        "jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments())));
    root.put("small", SyncBench.toMap(smallRun));
    root.put("large", SyncBench.toMap(largeRun));
    Double ratio = deltaRatio(smallRun, largeRun);
    root.put("deltaRatio", ratio == null ? null : Math.round(ratio * 1000) / 1000.0);
    root.put("deltaRatioMeetsGoal", ratio == null ? null : ratio <= DELTA_RATIO_GOAL);
    String md = markdown(date, settings, smallRun, largeRun);
    Path jsonFile = out.resolve(date + "-sync.json");
    Path mdFile = out.resolve(date + "-sync.md");
    Files.writeString(jsonFile, HubSpotPush.json(root) + "\n", StandardCharsets.UTF_8);
    Files.writeString(mdFile, md, StandardCharsets.UTF_8);
    System.out.print(md);
    System.out.println("wrote " + mdFile + " and " + jsonFile);
  }

  /** The large size's median delta time over the small size's; null when either has no delta. */
  static Double deltaRatio(SyncBench.Scale small, SyncBench.Scale large) {
    if (small.delta() == null || large.delta() == null) {
      return null;
    }
    return large.delta().medianSeconds() / small.delta().medianSeconds();
  }

  static String markdown(LocalDate date, SyncBench.Settings settings, SyncBench.Scale small, SyncBench.Scale large) {
    StringBuilder b = new StringBuilder();
    b.append("# Sync engine benchmark, ").append(date).append("\n\n");
    b.append(settings.rateLimits()
        ? "HubSpot emulator with HubSpot's default private-app limits (100 calls per rolling 10 s, searches 5 per s, "
            + "250,000 a day, 100 inputs per batch call), real time. "
        : "HubSpot emulator without rate limits. ");
    b.append("Local side: the native store on an H2 file database, `JdbcSyncStore` in the same database. Engine: flow "
        + "PUSH, `HubSpotFieldMappings.defaults()`, last write wins, page size ").append(settings.pageSize())
        .append(". Bound: ").append(String.format(Locale.ROOT, "%,.0f", SyncBench.BOUND))
        .append(" records/s (100 calls per 10 s × 100 records per batch call).\n\n");
    b.append("## Full push\n\n");
    b.append("| records | JVM | completed | time | records/s | sustained records/s (after the first window) "
        + "| ratio to bound | calls | calls per record | 429s | failed | peak heap used | heap pools' peaks (sum) "
        + "| local load |\n");
    b.append("|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (SyncBench.Scale s : List.of(small, large)) {
      SyncBench.FullPush f = s.push();
      String completed = f.completed() ? "yes" : "no (" + f.status() + ", exit " + f.exitCode() + ")";
      b.append(String.format(Locale.ROOT,
          "| %,d | %s | %s | %.1f s | %,.0f | %,.0f | %.3f | %,d | %.3f | %d | %d | %s | %s | %.1f s |%n",
          f.records(), f.forked() ? "child, -Xmx" + f.heapLimit() : "in process", completed, f.seconds(),
          f.recordsPerSecond(), f.steadyRecordsPerSecond(), f.ratioToBound(), f.calls(), f.callsPerRecord(),
          f.rateLimited(), f.failed(),
          f.peakHeapUsedBytes() < 0 ? "n/a" : SyncBench.mib(f.peakHeapUsedBytes()) + " MiB",
          f.heapPoolPeaksBytes() < 0 ? "n/a" : SyncBench.mib(f.heapPoolPeaksBytes()) + " MiB", f.loadSeconds()));
    }
    b.append("\nCalls by endpoint, large full push: ").append(large.push().callsByEndpoint()).append("\n");
    if (!large.push().failure().isEmpty()) {
      b.append("\nLarge full push failure: ").append(large.push().failure()).append("\n");
    }
    b.append("\n## Delta\n\n");
    b.append("Each round changes ").append(settings.changes()).append(" records' first names locally (spread over the "
        + "whole set), waits out the rate window first, then times one delta run.\n\n");
    b.append("| synced records | changes | median time | median calls | rounds (s) | calls per round | 429s "
        + "| updated |\n");
    b.append("|---:|---:|---:|---:|---|---|---|---|\n");
    for (SyncBench.Scale s : List.of(small, large)) {
      SyncBench.Delta d = s.delta();
      if (d == null) {
        b.append(String.format(Locale.ROOT, "| %,d | – | not run: the full push did not complete | | | | | |%n",
            s.push().records()));
        continue;
      }
      b.append(String.format(Locale.ROOT, "| %,d | %d | %.2f s | %.0f | %s | %s | %s | %s |%n", d.synced(), d.changes(),
          d.medianSeconds(), d.medianCalls(),
          d.seconds().stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList(), d.calls(), d.rateLimited(),
          d.updated()));
    }
    Double ratio = deltaRatio(small, large);
    b.append(ratio == null ? "\nDelta ratio: n/a.\n" : String.format(Locale.ROOT,
        "%nDelta ratio (large median time / small median time): %.2f; goal at most %.1f (%s).%n", ratio,
        DELTA_RATIO_GOAL, ratio <= DELTA_RATIO_GOAL ? "met" : "missed"));
    SyncBench.FullPush lf = large.push();
    if (lf.forked()) {
      b.append(String.format(Locale.ROOT, "%nHeap goal: the %,d full push completes in -Xmx%s (%s).%n", lf.records(),
          lf.heapLimit(), lf.completed() ? "met" : "missed"));
    }
    return b.toString();
  }

  private static boolean onOff(String option, String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default -> throw ValidationException.of(option, value, "must be on or off");
    };
  }

  private static String heap(String value) {
    if (!value.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw ValidationException.of("--heap", value, "must be a -Xmx size such as 256m");
    }
    return value;
  }
}
