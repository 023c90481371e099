package dev.crmkit.examples.cli;

import dev.crmkit.examples.actionsdemo.ActionsDemoReport;
import dev.crmkit.examples.actionsdemo.ActionsDemoRunner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit actions-demo}: a small business's day of host events delivered through the durable
 * outbox to a native-store tenant and a HubSpot-emulator tenant (see {@link ActionsDemoRunner}).
 */
@Command(name = "actions-demo", mixinStandardHelpOptions = true,
    description = {"Replays a small studio's day of events (messages, bookings, calls, documents, orders, a customer "
        + "update; some delivered twice) through the event outbox into a native-store tenant and a tenant on the "
        + "HubSpot emulator, with HubSpot failing at first and then down for a while; parked events are replayed "
        + "once it is back. Prints a report per action (done, retried, failed) and what each CRM holds.",
        "Without --tenant each run uses a fresh tenant actions-<yyyyMMdd-HHmmss> (and <tenant>-hubspot)."})
public final class ActionsDemoCommand implements Callable<Integer> {
  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String tenant = store.tenantOrFresh("actions");
    ActionsDemoReport report;
    try (StoreSession session = StoreSession.open(store, tenant)) {
      report = new ActionsDemoRunner().run(tenant, session.system(), session.dataSource());
    }
    spec.commandLine().getOut().print(report.render());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
