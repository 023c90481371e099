package dev.crmkit.examples.cli;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.PageRequest;
import dev.crmkit.Segment;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit stats}: counts through the SPI only (search, listNotes, listActivities), as a host
 * would against any provider; notes and activities take one listing per live customer.
 */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = "Counts customers (live, deleted or merged), customers per segment, top tags, notes and activities.")
public final class StatsCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Mixin ProgressOptions progressOptions;
  @Spec CommandSpec spec;

  @Option(names = "--top", defaultValue = "10", description = "How many top tags to list (default: ${DEFAULT-VALUE}).")
  int top;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (StoreSession session = StoreSession.open(store, store.tenantOr("demo"))) {
      CustomerSystem system = session.system();
      long live = 0;
      long deleted = 0;
      long notes = 0;
      long activities = 0;
      Map<Segment, Long> bySegment = new EnumMap<>(Segment.class);
      Map<String, Long> tags = new HashMap<>();
      CustomerQuery all = CustomerQuery.builder().includeDeleted(true).limit(PageRequest.MAX_LIMIT).build();
      for (Customer c : system.search(all).autoPaging()) {
        if (c.isDeleted()) {
          deleted++;
          continue;
        }
        live++;
        bySegment.merge(c.segment(), 1L, Long::sum);
        c.tags().forEach(t -> tags.merge(t, 1L, Long::sum));
        if (system.supports(Capability.NOTES)) {
          notes += system.listNotes(c.id(), PageRequest.first(PageRequest.MAX_LIMIT)).stream().count();
        }
        if (system.supports(Capability.ACTIVITIES)) {
          activities += system.listActivities(c.id(), PageRequest.first(PageRequest.MAX_LIMIT)).stream().count();
        }
      }
      out.println("tenant " + system.tenantId() + " (" + system.providerName() + ")");
      out.println("  customers: " + live + " live, " + deleted + " deleted or merged");
      out.println("  by segment: " + bySegment);
      out.println("  notes: " + notes + ", activities: " + activities);
      out.println("  top tags:");
      tags.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(Math.max(0, top))
          .forEach(e -> out.printf("    %-40s %d%n", e.getKey(), e.getValue()));
    }
    out.flush();
    return 0;
  }

}
