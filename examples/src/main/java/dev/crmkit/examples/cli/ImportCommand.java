package dev.crmkit.examples.cli;

import dev.crmkit.examples.demo.DemoReport;
import dev.crmkit.examples.demo.Progress;
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
    description = {"Imports a customers or leads CSV into the tenant. Every update is listed with the key it matched by;",
        "rows the importer cannot read are listed and left out; bad optional values are left out of their row",
        "with a warning naming line, column and value."})
public final class ImportCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = {"The CSV file, header row first: UTF-8 (with or without",
      "byte order mark), UTF-16 with byte order mark or Windows-1252; comma, semicolon or tab separated."})
  Path file;

  @Option(names = "--kind", defaultValue = "auto",
      description = "customers, leads or auto (decide from the header; default: ${DEFAULT-VALUE}).")
  String kind;

  @Option(names = "--date-format", paramLabel = "PATTERN",
      description = {"How to read dates written with the year last, such as dd/MM/yyyy or MM/dd/yyyy",
          "(default: the order the file's values show; needed when no value decides it)."})
  String dateFormat;

  @Mixin ProgressOptions progressOptions;

  @Override
  public Integer call() {
    CsvKind k;
    try {
      k = CsvKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw dev.crmkit.error.ValidationException.of("kind", kind, "must be customers, leads or auto");
    }
    CsvCustomerImporter importer = CsvCustomerImporter.forRegion(store.region).withDateFormat(dateFormat);
    CsvMapping mapping = importer.map(file, k);
    ImportResult result;
    try (StoreSession session = StoreSession.open(store, store.tenantOr("demo"));
        Progress bar = Progress.start(progressOptions.enabled(), "Import " + mapping.file(), mapping.rowsRead())) {
      result = importer.importInto(session.system(), mapping, bar::step);
    }
    DemoReport.ImportSummary s = DemoReport.ImportSummary.of(result);
    PrintWriter out = spec.commandLine().getOut();
    out.printf(Locale.ROOT, "%s (%s) into tenant %s: %d rows read, %d created, %d updated, %d rejected; "
            + "%d notes, %d activities; %.2f s%n",
        s.file(), s.kind().name().toLowerCase(Locale.ROOT), store.tenantOr("demo"), s.rowsRead(), s.created(),
        s.updated(), s.rejected(), s.notes(), s.activities(), result.elapsed().toMillis() / 1000.0);
    s.updatesByReason().forEach((reason, n) -> out.printf("  updated, %s: %d%n", reason, n));
    result.updates().forEach(u -> out.println("    " + u));
    if (!result.duplicateCandidates().isEmpty()) {
      out.printf("  created as duplicate candidates (same phone, other email): %d%n", result.duplicateCandidates().size());
      result.duplicateCandidates().forEach(u -> out.println("    " + u));
    }
    s.rejectedByReason().forEach((reason, n) -> out.printf("  rejected, %s: %d%n", reason, n));
    result.errors().forEach(p -> out.println("    " + p));
    s.warningsByReason().forEach((reason, n) -> out.printf("  warning, %s: %d%n", reason, n));
    result.warnings().forEach(p -> out.println("    " + p));
    out.flush();
    return 0;
  }
}
