package dev.crmkit.examples.cli;

import dev.crmkit.examples.demo.CsvSource;
import dev.crmkit.examples.demo.DemoReport;
import dev.crmkit.examples.demo.DemoRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code crmkit demo}: import, replay inbound messages, merge duplicates, print a report. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Imports a customers CSV and a leads CSV, replays a seeded stream of SMS, WhatsApp and email "
        + "messages through first-contact handling, merges duplicates, and prints a report.",
        "Without --tenant each run uses a fresh tenant demo-<yyyyMMdd-HHmmss>."})
public final class DemoCommand implements Callable<Integer> {
  /** The closing line: where the demo goes on. */
  static final String NEXT = "\nNext: crmkit sync-demo syncs customers both ways with the HubSpot emulator, "
      + "under each conflict strategy.";

  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @Option(names = "--customers", description = "Customers CSV (default: the bundled 1,000-row sample).")
  Path customers;

  @Option(names = "--leads", description = "Leads CSV (default: the bundled 1,000-row sample).")
  Path leads;

  @Option(names = "--extra", description = {"Further CSV files to import (customers or leads, detected from the header);",
      "repeatable (default: the bundled messy export, which shows per-row errors)."})
  List<Path> extras;

  @Option(names = "--no-extras", description = "Import only the customers and leads files.")
  boolean noExtras;

  @Option(names = "--messages", description = "Inbound messages to replay (default: as many as CSV rows).")
  Integer messages;

  @Option(names = "--seed", defaultValue = "" + DemoRunner.DEFAULT_SEED,
      description = "Seed of the message stream (default: ${DEFAULT-VALUE}).")
  long seed;

  @Mixin ProgressOptions progressOptions;

  @Override
  public Integer call() {
    String tenant = store.tenantOrFresh("demo");
    DemoRunner.Builder b = DemoRunner.builder().seed(seed).progress(progressOptions.enabled()).region(store.region);
    if (customers != null) {
      b.customers(CsvSource.of(customers));
    }
    if (leads != null) {
      b.leads(CsvSource.of(leads));
    }
    if (noExtras) {
      b.extras(List.of());
    } else if (extras != null) {
      b.extras(extras.stream().map(CsvSource::of).toList());
    }
    if (messages != null) {
      b.messages(messages);
    }
    DemoReport report;
    try (StoreSession session = StoreSession.open(store, tenant)) {
      report = b.build().run(session.system());
    }
    spec.commandLine().getOut().print(report.render());
    spec.commandLine().getOut().println(NEXT);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
