package dev.crmkit.bench.internal;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.StatementCounts;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Runs both workloads on one database: warm-up runs, then one counted run per side (through a
 * {@link StatementCounts} proxy, untimed for the result), then measured rounds that alternate which
 * side goes first. Every run uses a fresh tenant, emptied afterwards so tables stay the same size.
 */
public final class Benchmark {
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
   * @param workload {@code bulk-import} or {@code first-contact}
   * @param unit {@code rows/s} or {@code messages/s}
   * @param crmkitRates the measured rates of crmkit, in run order
   * @param baselineRates the measured rates of the baseline, in run order
   * @param crmkitTally outcomes of crmkit's counted run
   * @param baselineTally outcomes of the baseline's counted run
   * @param crmkitCounts statements of crmkit's counted run
   * @param baselineCounts statements of the baseline's counted run
   * @param crmkitRows rows each table held after crmkit's counted run
   * @param baselineRows rows each table held after the baseline's counted run
   */
  public record Result(String workload, String unit, double[] crmkitRates, double[] baselineRates,
      Map<String, Long> crmkitTally, Map<String, Long> baselineTally, StatementCounts crmkitCounts,
      StatementCounts baselineCounts, Map<String, Long> crmkitRows, Map<String, Long> baselineRows) {

    public double crmkitMedian() {
      return median(crmkitRates);
    }

    public double baselineMedian() {
      return median(baselineRates);
    }

    /** crmkit's median over the baseline's. */
    public double ratio() {
      return crmkitMedian() / baselineMedian();
    }
  }

  @FunctionalInterface
  private interface Side {
    Workloads.Run run(DataSource ds, String tenantId) throws SQLException;
  }

  private final BenchDatabase db;
  private final Settings settings;
  private final PrintStream log;

  public Benchmark(BenchDatabase db, Settings settings, PrintStream log) {
    this.db = db;
    this.settings = settings;
    this.log = log;
  }

  /** Bulk import of every draft, rows per second. */
  public Result bulkImport(List<CustomerDraft> drafts) throws SQLException {
    return measure("bulk-import", "rows/s", drafts.size(),
        (ds, t) -> Workloads.crmkitImport(ds, t, drafts),
        (ds, t) -> Workloads.baselineImport(ds, t, drafts));
  }

  /** First contact over the imported drafts, messages per second. */
  public Result firstContact(List<CustomerDraft> drafts) throws SQLException {
    int n = settings.messages();
    return measure("first-contact", "messages/s", n,
        (ds, t) -> Workloads.crmkitFirstContact(db.dataSource(), ds, t, drafts, n),
        (ds, t) -> Workloads.baselineFirstContact(db.dataSource(), ds, t, drafts, n));
  }

  private Result measure(String workload, String unit, int work, Side crmkit, Side baseline) throws SQLException {
    String prefix = workload.substring(0, 2);
    for (int w = 0; w < settings.warmups(); w++) {
      once(prefix + "-warm-c" + w, crmkit, null, workload + " warm-up crmkit", work, unit);
      once(prefix + "-warm-b" + w, baseline, null, workload + " warm-up baseline", work, unit);
    }
    StatementCounts crmkitCounts = new StatementCounts();
    StatementCounts baselineCounts = new StatementCounts();
    Counted c = once(prefix + "-count-c", crmkit, crmkitCounts, workload + " counted crmkit", work, unit);
    Counted b = once(prefix + "-count-b", baseline, baselineCounts, workload + " counted baseline", work, unit);
    double[] crmkitRates = new double[settings.rounds()];
    double[] baselineRates = new double[settings.rounds()];
    for (int r = 0; r < settings.rounds(); r++) {
      boolean crmkitFirst = r % 2 == 0;
      for (int k = 0; k < 2; k++) {
        if ((k == 0) == crmkitFirst) {
          crmkitRates[r] = work / once(prefix + "-c" + r, crmkit, null, workload + " round " + r + " crmkit", work,
              unit).run.seconds();
        } else {
          baselineRates[r] = work / once(prefix + "-b" + r, baseline, null, workload + " round " + r + " baseline",
              work, unit).run.seconds();
        }
      }
    }
    return new Result(workload, unit, crmkitRates, baselineRates, c.run.tally(), b.run.tally(), crmkitCounts,
        baselineCounts, c.rows, b.rows);
  }

  private record Counted(Workloads.Run run, Map<String, Long> rows) {}

  private Counted once(String tenantId, Side side, StatementCounts counts, String label, int work, String unit)
      throws SQLException {
    db.dropTenant(tenantId);
    Workloads.Run run = side.run(counts == null ? db.dataSource() : counts.wrap(db.dataSource()), tenantId);
    Map<String, Long> rows = new TreeMap<>();
    if (counts != null) {
      for (String table : List.of("crm_customers", "crm_customer_tags", "crm_customer_fields", "crm_activities",
          "crm_activity_metadata")) {
        rows.put(table, db.count(table, tenantId));
      }
    }
    db.dropTenant(tenantId);
    log.printf("  %-40s %8.3f s %,12.0f %s %s%n", label, run.seconds(), work / run.seconds(), unit, run.tally());
    return new Counted(run, rows);
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
      out.add(String.format("%s: crmkit %,.0f %s, baseline %,.0f %s, ratio %.2f", r.workload(), r.crmkitMedian(),
          r.unit(), r.baselineMedian(), r.unit(), r.ratio()));
    }
    return out;
  }
}
