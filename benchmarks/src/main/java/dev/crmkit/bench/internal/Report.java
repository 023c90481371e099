package dev.crmkit.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes one database's results as {@code <date>-<database>.md} and {@code .json}. */
public final class Report {
  /** The goal: crmkit's median rate over the hand-written baseline's. */
  public static final double GOAL = 0.5;

  private Report() {}

  /**
   * Writes both files.
   *
   * @param dir the results folder; created when missing
   * @param date the date in the file names
   * @param db the database the results are from
   * @param settings how the run was configured
   * @param drafts how many drafts the import had
   * @param results the workloads' results
   * @return the two files written
   * @throws IOException when a file cannot be written
   */
  public static List<Path> write(Path dir, LocalDate date, BenchDatabase db, Benchmark.Settings settings, int drafts,
      List<Benchmark.Result> results) throws IOException {
    Files.createDirectories(dir);
    Map<String, Object> machine = machine();
    Path md = dir.resolve(date + "-" + db.name() + ".md");
    Path json = dir.resolve(date + "-" + db.name() + ".json");
    Files.writeString(md, markdown(date, db, settings, drafts, results, machine), StandardCharsets.UTF_8);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("date", date.toString());
    root.put("database", db.name());
    root.put("product", db.product());
    root.put("machine", machine);
    root.put("settings", Map.of("rounds", settings.rounds(), "warmups", settings.warmups(), "messages",
        settings.messages(), "drafts", drafts, "poolSize", BenchDatabase.POOL_SIZE));
    List<Object> list = new ArrayList<>();
    for (Benchmark.Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", r.workload());
      m.put("unit", r.unit());
      Map<String, Object> medians = new LinkedHashMap<>();
      Map<String, Object> runs = new LinkedHashMap<>();
      r.rates().forEach((side, rates) -> {
        medians.put(side, round(r.median(side)));
        runs.put(side, rounded(rates));
      });
      m.put("medians", medians);
      m.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
      m.put("meetsGoal", r.ratio() >= GOAL);
      m.put("rates", runs);
      m.put("outcomes", r.tallies());
      m.put("roundTripsPerUnit", roundedMap(r.roundTrips()));
      m.put("commitsPerUnit", roundedMap(r.commits()));
      list.add(m);
    }
    root.put("results", list);
    Files.writeString(json, Json.write(root) + "\n", StandardCharsets.UTF_8);
    return List.of(md, json);
  }

  static Map<String, Object> machine() {
    Runtime rt = Runtime.getRuntime();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cores", rt.availableProcessors());
    m.put("maxHeapMiB", rt.maxMemory() / (1024 * 1024));
    m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"));
    return m;
  }

  private static String markdown(LocalDate date, BenchDatabase db, Benchmark.Settings settings, int drafts,
      List<Benchmark.Result> results, Map<String, Object> machine) {
    StringBuilder b = new StringBuilder();
    b.append("# crmkit benchmarks: ").append(db.name()).append(", ").append(date).append("\n\n");
    b.append("Database: ").append(db.product()).append(". Machine: ").append(machine.get("cores"))
        .append(" cores, ").append(machine.get("jvm")).append(", max heap ").append(machine.get("maxHeapMiB"))
        .append(" MiB, ").append(machine.get("os")).append(".\n\n");
    b.append("Settings: ").append(drafts).append(" drafts imported; ").append(settings.messages())
        .append(" messages per first-contact run; HikariCP pool of ").append(BenchDatabase.POOL_SIZE).append("; ")
        .append(settings.warmups()).append(" warm-up and ").append(settings.rounds())
        .append(" measured runs per side, rotating which side goes first, each on a fresh tenant. Rates are"
            + " medians. Baseline: the hand-written multi-row upsert (bulk import) and minimal transaction (first"
            + " contact) described in `benchmarks/README.md`. Goal: ratio (crmkit / baseline) at least ")
        .append(GOAL).append(".\n\n");
    boolean copy = results.stream().anyMatch(r -> r.rates().containsKey(Benchmark.COPY));
    b.append("| workload | crmkit | baseline | ratio | goal met |").append(copy ? " COPY (reference) |" : "")
        .append("\n|---|---:|---:|---:|---|").append(copy ? "---:|" : "").append('\n');
    for (Benchmark.Result r : results) {
      b.append(String.format(Locale.ROOT, "| %s | %,.0f %s | %,.0f %s | %.2f | %s |", r.workload(),
          r.median(Benchmark.CRMKIT), r.unit(), r.median(Benchmark.BASELINE), r.unit(), r.ratio(),
          r.ratio() >= Report.GOAL ? "yes" : "no"));
      if (copy) {
        b.append(r.rates().containsKey(Benchmark.COPY)
            ? String.format(Locale.ROOT, " %,.0f %s |", r.median(Benchmark.COPY), r.unit()) : " |");
      }
      b.append('\n');
    }
    for (Benchmark.Result r : results) {
      b.append("\n## ").append(r.workload()).append("\n\n");
      b.append("| side | runs (").append(r.unit()).append(") | outcomes of the counted run | round trips per unit |"
          + " commits per unit |\n|---|---|---|---:|---:|\n");
      for (String side : r.rates().keySet()) {
        b.append("| ").append(side).append(" | ").append(rounded(r.rates().get(side))).append(" | ")
            .append(r.tallies().get(side)).append(String.format(Locale.ROOT, " | %.2f | %.3f |%n",
                r.roundTrips().get(side), r.commits().get(side)));
      }
    }
    b.append("\nRound trips are statements and JDBC batches sent; for first contact they are counted over both"
        + " thread counts' runs together.\n");
    return b.toString();
  }

  private static List<Double> rounded(double[] rates) {
    List<Double> out = new ArrayList<>();
    for (double d : rates) {
      out.add(round(d));
    }
    return out;
  }

  private static Map<String, Object> roundedMap(Map<String, Double> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    m.forEach((k, v) -> out.put(k, Math.round(v * 1000) / 1000.0));
    return out;
  }

  private static double round(double d) {
    return Math.round(d * 10) / 10.0;
  }
}
