package dev.crmkit.examples.cli;

import dev.crmkit.examples.demo.DemoReport;
import dev.crmkit.examples.imports.CsvCustomerImporter;
import dev.crmkit.examples.imports.CsvKind;
import dev.crmkit.examples.imports.CsvMapping;
import dev.crmkit.examples.imports.ImportResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code crmkit import FILE}: imports one customers or leads CSV. */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Imports a customers or leads CSV into the tenant; bad rows are listed, the rest imports.")
public final class ImportCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (UTF-8, header row first).")
  Path file;

  @Option(names = "--kind", defaultValue = "auto",
      description = "customers, leads or auto (decide from the header; default: ${DEFAULT-VALUE}).")
  String kind;

  @Override
  public Integer call() {
    CsvKind k;
    try {
      k = CsvKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw dev.crmkit.error.ValidationException.of("kind", kind, "must be customers, leads or auto");
    }
    CsvCustomerImporter importer = CsvCustomerImporter.forRegion(store.region);
    CsvMapping mapping = importer.map(file, k);
    ImportResult result;
    try (StoreSession session = StoreSession.open(store, store.tenantOr("demo"))) {
      result = importer.importInto(session.system(), mapping, n -> { });
    }
    DemoReport.ImportSummary s = DemoReport.ImportSummary.of(result);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s (%s) into tenant %s: %d rows read, %d created, %d updated, %d rejected; "
            + "%d notes, %d activities; %.2f s%n",
        s.file(), s.kind().name().toLowerCase(Locale.ROOT), store.tenantOr("demo"), s.rowsRead(), s.created(),
        s.updated(), s.rejected(), s.notes(), s.activities(), result.elapsed().toMillis() / 1000.0);
    s.rejectedByReason().forEach((reason, n) -> out.printf("  rejected, %s: %d%n", reason, n));
    result.errors().forEach(p -> out.println("    " + p));
    s.warningsByReason().forEach((reason, n) -> out.printf("  warning, %s: %d%n", reason, n));
    s.warningExamples().forEach(p -> out.println("    " + p));
    out.flush();
    return 0;
  }
}
