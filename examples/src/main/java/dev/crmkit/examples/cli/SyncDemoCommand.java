package dev.crmkit.examples.cli;

import dev.crmkit.examples.syncdemo.SyncDemoReport;
import dev.crmkit.examples.syncdemo.SyncDemoRunner;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit sync-demo}: syncs a native-store tenant with the HubSpot emulator (or, with {@code --remote
 * salesforce}, the Salesforce emulator) both ways, under each built-in conflict strategy, and prints what
 * happened (see {@link SyncDemoRunner}).
 */
@Command(name = "sync-demo", mixinStandardHelpOptions = true,
    description = {"Imports the first N bundled sample customers into a fresh tenant, starts the HubSpot emulator "
        + "on loopback with signed webhooks to a local endpoint (or, with --remote salesforce, the Salesforce "
        + "emulator with outbound messages to one), pushes the customers, then once per conflict strategy changes "
        + "customers on both sides, delivers the webhooks (outbound messages) into the sync inbox, runs a delta sync "
        + "and prints the conflicts met and how each was resolved; then kills a delta run right after its first "
        + "remote write and resumes it; ends with an audit of both sides and the run log.",
        "Without --tenant each run uses a fresh tenant syncdemo-<yyyyMMdd-HHmmss>."})
public final class SyncDemoCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @Option(names = "--remote", defaultValue = "hubspot", converter = RemoteConverter.class,
      paramLabel = "hubspot|salesforce",
      description = "The vendor CRM to sync with: hubspot or salesforce (default: ${DEFAULT-VALUE}).")
  SyncDemoRunner.Remote remote;

  @Option(names = "--customers", defaultValue = "" + SyncDemoRunner.DEFAULT_CUSTOMERS,
      description = "Customers to import and sync, " + SyncDemoRunner.MIN_CUSTOMERS + " to "
          + SyncDemoRunner.MAX_CUSTOMERS + " (default: ${DEFAULT-VALUE}).")
  int customers;

  @Option(names = "--no-rate-limits", description = {"The emulator never answers 429 and the client does not pace itself",
      "(default: HubSpot's limits of 100 calls per 10 s and 5 searches per second).",
      "HubSpot only: Salesforce has a daily API allocation, which its emulator always counts."})
  boolean noRateLimits;

  @Mixin ProgressOptions progressOptions;

  @Override
  public Integer call() {
    String tenant = store.tenantOrFresh("syncdemo");
    SyncDemoRunner runner = SyncDemoRunner.builder().remote(remote).customers(customers).region(store.region)
        .rateLimits(!noRateLimits).progress(progressOptions.enabled()).build();
    SyncDemoReport report;
    try (StoreSession session = StoreSession.open(store, tenant)) {
      report = runner.run(session.system(), session.dataSource());
    }
    spec.commandLine().getOut().print(report.render());
    spec.commandLine().getOut().flush();
    return report.audit().converged() ? 0 : 1;
  }

  /** Reads {@code --remote} by provider name, lower case, naming the allowed values when it is none of them. */
  static final class RemoteConverter implements CommandLine.ITypeConverter<SyncDemoRunner.Remote> {
    @Override
    public SyncDemoRunner.Remote convert(String value) {
      for (SyncDemoRunner.Remote r : SyncDemoRunner.Remote.values()) {
        if (r.providerName().equals(value)) {
          return r;
        }
      }
      throw new CommandLine.TypeConversionException("expected one of " + Arrays.stream(SyncDemoRunner.Remote.values())
          .map(SyncDemoRunner.Remote::providerName).collect(Collectors.joining(", ")) + " but was '" + value + "'");
    }
  }
}
