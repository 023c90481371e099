package dev.crmkit.bench;

import dev.crmkit.CustomerDraft;
import dev.crmkit.bench.internal.BenchDatabase;
import dev.crmkit.bench.internal.Benchmark;
import dev.crmkit.bench.internal.Options;
import dev.crmkit.bench.internal.Report;
import dev.crmkit.error.ValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-to-end benchmark: bulk import (rows/s) and first-contact handling (messages/s, at 1 and 8
 * threads on one tenant) on H2, PostgreSQL and MariaDB, each beside what a competent engineer writes by
 * hand (a multi-row upsert; the minimal first-contact transaction; {@code COPY} for reference on
 * PostgreSQL), results written to {@code benchmarks/results/}. See {@code benchmarks/README.md} for options.
 */
public final class Main {
  private Main() {}

  /**
   * Runs the benchmark.
   *
   * <p>Options: {@code --data DIR} (default {@code ../shared/data} from the repository root),
   * {@code --out DIR} (default {@code benchmarks/results}), {@code --rounds N} (default 5),
   * {@code --warmups N} (default 1), {@code --messages N} (default 2000), {@code --rows N} rows per
   * file (default 10000), {@code --databases h2,postgresql,mariadb} (default all three), {@code
   * --postgres URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), {@code
   * --mariadb URL} (default {@code jdbc:mariadb://127.0.0.1:3306/?user=root}), {@code --workloads
   * bulk-import,first-contact} (default both).
   *
   * @param args the options
   * @throws Exception when a workload fails
   */
  public static void main(String[] args) throws Exception {
    Path root = repositoryRoot();
    Path data = root.resolve("../shared/data").normalize();
    Path out = root.resolve("benchmarks/results");
    int rounds = 3;
    int warmups = 1;
    int messages = 2_000;
    int rows = 10_000;
    List<String> databases = List.of("h2", "postgresql", "mariadb");
    String postgres = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";
    String mariadb = "jdbc:mariadb://127.0.0.1:3306/?user=root";
    List<String> workloads = List.of("bulk-import", "first-contact");
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (i + 1 >= args.length) {
        throw ValidationException.of(option, null, "needs a value");
      }
      String value = args[++i];
      switch (option) {
        case "--data" -> data = Path.of(value);
        case "--out" -> out = Path.of(value);
        case "--rounds" -> rounds = Options.atLeast(option, value, 1);
        case "--warmups" -> warmups = Options.atLeast(option, value, 0);
        case "--messages" -> messages = Options.atLeast(option, value, 1);
        case "--rows" -> rows = Options.atLeast(option, value, 1);
        case "--databases" -> databases = List.of(value.split(","));
        case "--postgres" -> postgres = value;
        case "--mariadb" -> mariadb = value;
        case "--workloads" -> workloads = List.of(value.split(","));
        default -> throw ValidationException.of("option", option, "unknown; see benchmarks/README.md");
      }
    }
    for (String db : databases) {
      if (!List.of("h2", "postgresql", "mariadb").contains(db)) {
        throw ValidationException.of("--databases", db, "must be h2, postgresql or mariadb");
      }
    }
    for (String w : workloads) {
      if (!w.equals("bulk-import") && !w.equals("first-contact")) {
        throw ValidationException.of("--workloads", w, "must be bulk-import or first-contact");
      }
    }

    List<CustomerDraft> drafts = Dataset.load(data, rows);
    System.out.printf("loaded %,d drafts from %s%n", drafts.size(), data.toAbsolutePath());
    Benchmark.Settings settings = new Benchmark.Settings(rounds, warmups, messages);
    LocalDate date = LocalDate.now(ZoneOffset.UTC);
    List<String> summary = new ArrayList<>();
    for (String name : databases) {
      Path temp = null;
      BenchDatabase db;
      try {
        if (name.equals("h2")) {
          temp = Files.createTempDirectory("crmkit-bench-h2");
          db = BenchDatabase.h2(temp);
        } else if (name.equals("postgresql")) {
          db = BenchDatabase.postgres(postgres, "crmkit_bench");
        } else {
          db = BenchDatabase.mariadb(mariadb, "crmkit_bench");
        }
      } catch (SQLException e) {
        System.out.println(name + ": skipped, database not reachable (" + e.getMessage() + ")");
        summary.add(name + ": skipped, not reachable");
        continue;
      }
      try (db) {
        System.out.println(name + ": " + db.product());
        Benchmark bench = new Benchmark(db, settings, System.out);
        List<Benchmark.Result> results = new ArrayList<>();
        if (workloads.contains("bulk-import")) {
          results.addAll(bench.bulkImport(drafts));
        }
        if (workloads.contains("first-contact")) {
          results.addAll(bench.firstContact(drafts));
        }
        for (Path p : Report.write(out, date, db, settings, drafts.size(), results)) {
          System.out.println("wrote " + p);
        }
        for (String line : Benchmark.summary(results)) {
          summary.add(name + " " + line);
        }
      } finally {
        if (temp != null) {
          Options.deleteTree(temp);
        }
      }
    }
    summary.forEach(System.out::println);
  }

  /** The working directory, or its parent when run from inside {@code benchmarks/}. */
  private static Path repositoryRoot() {
    Path cwd = Path.of("").toAbsolutePath();
    if (!Files.isDirectory(cwd.resolve("benchmarks")) && cwd.getFileName() != null
        && cwd.getFileName().toString().equals("benchmarks")) {
      return cwd.getParent();
    }
    return cwd;
  }
}
