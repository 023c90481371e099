package dev.crmkit.bench.internal;

import dev.crmkit.bench.StatementCounts;
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
import java.util.TreeSet;

/** Writes one database's results as {@code <date>-<database>.md} and {@code .json}. */
public final class Report {
  /** The goal: crmkit's median rate over the baseline's. */
  public static final double GOAL = 0.8;

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
        settings.messages(), "drafts", drafts));
    List<Object> list = new ArrayList<>();
    for (Benchmark.Result r : results) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("workload", r.workload());
      m.put("unit", r.unit());
      m.put("crmkitMedian", round(r.crmkitMedian()));
      m.put("baselineMedian", round(r.baselineMedian()));
      m.put("ratio", Math.round(r.ratio() * 1000) / 1000.0);
      m.put("meetsGoal", r.ratio() >= GOAL);
      m.put("crmkitRates", rounded(r.crmkitRates()));
      m.put("baselineRates", rounded(r.baselineRates()));
      m.put("crmkitOutcomes", r.crmkitTally());
      m.put("baselineOutcomes", r.baselineTally());
      m.put("crmkitRows", r.crmkitRows());
      m.put("baselineRows", r.baselineRows());
      m.put("crmkitStatements", counts(r.crmkitCounts()));
      m.put("baselineStatements", counts(r.baselineCounts()));
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

  private static Map<String, Object> counts(StatementCounts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", c.connections());
    m.put("commits", c.commits());
    m.put("executions", c.totalExecutions());
    m.put("statements", c.statements());
    m.put("batches", c.batches());
    m.put("batchedRows", c.batchedRows());
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
        .append(" messages per first-contact run; ").append(settings.warmups()).append(" warm-up and ")
        .append(settings.rounds()).append(" measured runs per side, alternating which side goes first, each on a"
            + " fresh tenant. Rates are medians. Goal: ratio (crmkit / baseline) at least ").append(GOAL)
        .append(".\n\n");
    b.append("| workload | crmkit | plain-JDBC baseline | ratio | goal met |\n|---|---:|---:|---:|---|\n");
    for (Benchmark.Result r : results) {
      b.append(String.format(Locale.ROOT, "| %s | %,.0f %s | %,.0f %s | %.2f | %s |%n", r.workload(),
          r.crmkitMedian(), r.unit(), r.baselineMedian(), r.unit(), r.ratio(), r.ratio() >= GOAL ? "yes" : "no"));
    }
    for (Benchmark.Result r : results) {
      b.append("\n## ").append(r.workload()).append("\n\n");
      b.append("Runs (").append(r.unit()).append("): crmkit ").append(rounded(r.crmkitRates())).append("; baseline ")
          .append(rounded(r.baselineRates())).append(".\n\n");
      b.append("Outcomes: crmkit ").append(r.crmkitTally()).append("; baseline ").append(r.baselineTally())
          .append(".\n\n");
      b.append("Rows left in the tenant: crmkit ").append(r.crmkitRows()).append("; baseline ")
          .append(r.baselineRows()).append(".\n\n");
      b.append("Statements of one counted run (single executions / JDBC batches / rows in batches):\n\n");
      b.append("| kind | crmkit | baseline |\n|---|---:|---:|\n");
      TreeSet<String> kinds = new TreeSet<>();
      kinds.addAll(r.crmkitCounts().statements().keySet());
      kinds.addAll(r.crmkitCounts().batches().keySet());
      kinds.addAll(r.baselineCounts().statements().keySet());
      kinds.addAll(r.baselineCounts().batches().keySet());
      for (String k : kinds) {
        b.append("| `").append(k).append("` | ").append(cell(r.crmkitCounts(), k)).append(" | ")
            .append(cell(r.baselineCounts(), k)).append(" |\n");
      }
      b.append("| connections | ").append(r.crmkitCounts().connections()).append(" | ")
          .append(r.baselineCounts().connections()).append(" |\n");
      b.append("| commits | ").append(r.crmkitCounts().commits()).append(" | ")
          .append(r.baselineCounts().commits()).append(" |\n");
      b.append("| round trips | ").append(r.crmkitCounts().totalExecutions()).append(" | ")
          .append(r.baselineCounts().totalExecutions()).append(" |\n");
      b.append("\n").append(parity(r)).append("\n");
    }
    return b.toString();
  }

  private static String parity(Benchmark.Result r) {
    StatementCounts c = r.crmkitCounts();
    StatementCounts b = r.baselineCounts();
    boolean same = c.statements().equals(b.statements()) && c.batches().equals(b.batches())
        && c.batchedRows().equals(b.batchedRows()) && c.connections() == b.connections()
        && c.commits() == b.commits();
    if (same) {
      return "Parity: both sides issued exactly the same statements, batches, connections and commits.";
    }
    boolean onlyOpen = c.statements().equals(b.statements()) && c.batches().equals(b.batches())
        && c.batchedRows().equals(b.batchedRows()) && c.commits() == b.commits()
        && c.connections() == b.connections() + 1;
    return onlyOpen
        ? "Parity: both sides issued exactly the same statements, batches and commits. crmkit took one connection"
            + " more: `NativeCustomerSystem.open` reads the database product once to pick its dialect (before the"
            + " timed region)."
        : "Parity: the counts differ (see the table); the benchmark README explains the known differences.";
  }

  private static String cell(StatementCounts c, String kind) {
    return c.statements().getOrDefault(kind, 0L) + " / " + c.batches().getOrDefault(kind, 0L) + " / "
        + c.batchedRows().getOrDefault(kind, 0L);
  }

  private static List<Double> rounded(double[] rates) {
    List<Double> out = new ArrayList<>();
    for (double d : rates) {
      out.add(round(d));
    }
    return out;
  }

  private static double round(double d) {
    return Math.round(d * 10) / 10.0;
  }
}
