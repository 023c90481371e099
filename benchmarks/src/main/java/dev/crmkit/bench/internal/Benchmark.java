package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.StatementCounts;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Runs the workloads on one database: warm-up runs, one counted run per side (through a {@link
 * StatementCounts} proxy, for round trips and commits per row or message), then measured rounds that
 * rotate which side goes first, so noise from other work on the machine hits every side alike. Every
 * run uses a fresh tenant, emptied afterwards so tables stay the same size.
 */
public final class Benchmark {
  /** The side every ratio is taken of. */
  public static final String CRMKIT = "crmkit";
  /** The hand-written side the goal compares with. */
  public static final String BASELINE = "baseline";
  /** PostgreSQL's {@code COPY}, reported for reference beside the bulk import. */
  public static final String COPY = "COPY";

  /**
   * Settings.
   *
   * @param rounds measured runs per side, at least 1
   * @param warmups unmeasured runs per side before them, at least 0
   * @param messages messages per first-contact run, at least 1
   */
  public record Settings(int rounds, int warmups, int messages) {}

  /**
   * One workload's result on one database.
   *
   * @param workload such as {@code bulk-import} or {@code first-contact, 8 threads}
   * @param unit {@code rows/s} or {@code messages/s}
   * @param rates side to its measured rates, in run order
   * @param tallies side to the outcomes of its counted run
   * @param roundTrips side to statements and batches per row or message in its counted run
   * @param commits side to commits per row or message in its counted run
   */
  public record Result(String workload, String unit, Map<String, double[]> rates, Map<String, Map<String, Long>> tallies,
      Map<String, Double> roundTrips, Map<String, Double> commits) {

    /** A side's median rate. */
    public double median(String side) {
      return Benchmark.median(rates.get(side));
    }

    /** crmkit's median over the baseline's. */
    public double ratio() {
      return median(CRMKIT) / median(BASELINE);
    }
  }

  /** One side of a workload group: one run per workload of the group. */
  @FunctionalInterface
  public interface Side {
    /**
     * Runs the side once on a fresh tenant.
     *
     * @param setup the pool, for untimed preparation
     * @param ds the pool to time, possibly counting statements
     */
    List<Workloads.Run> run(DataSource setup, DataSource ds, String tenantId) throws Exception;
  }

  private final BenchDatabase db;
  private final Settings settings;
  private final PrintStream log;

  public Benchmark(BenchDatabase db, Settings settings, PrintStream log) {
    this.db = db;
    this.settings = settings;
    this.log = log;
  }

  /** Bulk import of every draft, rows per second: crmkit, the multi-row upsert and, on PostgreSQL, COPY. */
  public List<Result> bulkImport(List<CustomerDraft> drafts) throws Exception {
    Map<String, Side> sides = new LinkedHashMap<>();
    sides.put(CRMKIT, (setup, ds, t) -> List.of(Workloads.crmkitImport(ds, t, drafts)));
    sides.put(BASELINE, (setup, ds, t) -> List.of(Workloads.baselineImport(ds, db.name(), t, drafts)));
    if (db.name().equals("postgresql")) {
      sides.put(COPY, (setup, ds, t) -> List.of(Workloads.copyImport(ds, t, drafts)));
    }
    return measure(List.of("bulk-import"), "rows/s", drafts.size(), sides);
  }

  /** First contact after an import of the drafts, messages per second, at each of {@link Workloads#THREADS}. */
  public List<Result> firstContact(List<CustomerDraft> drafts) throws Exception {
    int n = settings.messages();
    Map<String, Side> sides = new LinkedHashMap<>();
    sides.put(CRMKIT, (setup, ds, t) -> Workloads.crmkitFirstContact(setup, ds, t, drafts, n));
    sides.put(BASELINE, (setup, ds, t) -> Workloads.baselineFirstContact(setup, ds, db.name(), t, drafts, n));
    List<String> names = Workloads.THREADS.stream()
        .map(k -> "first-contact, " + k + (k == 1 ? " thread" : " threads")).toList();
    return measure(names, "messages/s", n, sides);
  }

  private List<Result> measure(List<String> workloads, String unit, int work, Map<String, Side> sides)
      throws Exception {
    String group = workloads.get(0);
    List<String> names = new ArrayList<>(sides.keySet());
    for (int w = 0; w < settings.warmups(); w++) {
      for (String side : names) {
        once(side, sides.get(side), null, group + " warm-up " + w, workloads, work, unit);
      }
    }
    List<Map<String, double[]>> rates = new ArrayList<>();
    List<Map<String, Map<String, Long>>> tallies = new ArrayList<>();
    List<Map<String, Double>> trips = new ArrayList<>();
    List<Map<String, Double>> commits = new ArrayList<>();
    for (int k = 0; k < workloads.size(); k++) {
      rates.add(new LinkedHashMap<>());
      tallies.add(new LinkedHashMap<>());
      trips.add(new LinkedHashMap<>());
      commits.add(new LinkedHashMap<>());
    }
    for (String side : names) {
      StatementCounts counts = new StatementCounts();
      List<Workloads.Run> runs = once(side, sides.get(side), counts, group + " counted", workloads, work, unit);
      for (int k = 0; k < workloads.size(); k++) {
        tallies.get(k).put(side, runs.get(k).tally());
        // The counts cover every workload of the group at once.
        trips.get(k).put(side, counts.totalExecutions() / (double) (work * workloads.size()));
        commits.get(k).put(side, counts.commits() / (double) (work * workloads.size()));
        rates.get(k).put(side, new double[settings.rounds()]);
      }
    }
    for (int r = 0; r < settings.rounds(); r++) {
      for (int i = 0; i < names.size(); i++) {
        String side = names.get((r + i) % names.size());
        List<Workloads.Run> runs = once(side, sides.get(side), null, group + " round " + r, workloads, work, unit);
        for (int k = 0; k < workloads.size(); k++) {
          rates.get(k).get(side)[r] = work / runs.get(k).seconds();
        }
      }
    }
    List<Result> out = new ArrayList<>();
    for (int k = 0; k < workloads.size(); k++) {
      out.add(new Result(workloads.get(k), unit, rates.get(k), tallies.get(k), trips.get(k), commits.get(k)));
    }
    return out;
  }

  private List<Workloads.Run> once(String side, Side run, StatementCounts counts, String label,
      List<String> workloads, int work, String unit) throws Exception {
    String tenantId = "bench-" + side.toLowerCase(java.util.Locale.ROOT);
    db.dropTenant(tenantId);
    DataSource ds = counts == null ? db.dataSource() : counts.wrap(db.dataSource());
    List<Workloads.Run> runs = run.run(db.dataSource(), ds, tenantId);
    db.dropTenant(tenantId);
    for (int k = 0; k < runs.size(); k++) {
      Workloads.Run r = runs.get(k);
      log.printf("  %-34s %-9s %-24s %8.3f s %,10.0f %s %s%n", label, side, workloads.get(k), r.seconds(),
          work / r.seconds(), unit, r.tally());
    }
    return runs;
  }

  static double median(double[] values) {
    double[] s = values.clone();
    Arrays.sort(s);
    int n = s.length;
    return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }

  /** The medians of a list of results, for logging. */
  public static List<String> summary(List<Result> results) {
    List<String> out = new ArrayList<>();
    for (Result r : results) {
      StringBuilder b = new StringBuilder(r.workload()).append(':');
      for (String side : r.rates().keySet()) {
        b.append(String.format(" %s %,.0f %s,", side, r.median(side), r.unit()));
      }
      out.add(b.append(String.format(" ratio %.2f", r.ratio())).toString());
    }
    return out;
  }
}
