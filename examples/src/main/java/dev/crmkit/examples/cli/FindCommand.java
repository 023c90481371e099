package dev.crmkit.examples.cli;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerSystem;
import dev.crmkit.PageRequest;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code crmkit find}: shows one customer by phone or email, with tags, notes and recent activities. */
@Command(name = "find", mixinStandardHelpOptions = true,
    description = "Finds a customer by phone (any format) or email and prints it with its tags, notes and recent activities.")
public final class FindCommand implements Callable<Integer> {
  /** Items of each list printed. */
  static final int RECENT = 10;

  @Mixin StoreOptions store;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Key key;

  static final class Key {
    @Option(names = "--phone", description = "Phone number in any format.") String phone;
    @Option(names = "--email", description = "Email address (case does not matter).") String email;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (StoreSession session = StoreSession.open(store, store.tenantOr("demo"))) {
      CustomerSystem system = session.system();
      Optional<Customer> found = key.phone != null ? system.findByPhone(key.phone) : system.findByEmail(key.email);
      if (found.isEmpty()) {
        out.println("no customer with " + (key.phone != null ? "phone '" + key.phone : "email '" + key.email)
            + "' in tenant " + system.tenantId());
        out.flush();
        return 1;
      }
      print(out, system, found.get());
    }
    out.flush();
    return 0;
  }

  static void print(PrintWriter out, CustomerSystem system, Customer c) {
    out.println(c.fullName() + "  (" + c.id() + ")");
    out.println("  email:    " + nullToDash(c.email()));
    out.println("  phone:    " + nullToDash(c.phone()) + (c.phoneExtension() == null ? "" : " x" + c.phoneExtension()));
    out.println("  company:  " + nullToDash(c.company()));
    out.println("  segment:  " + c.segment());
    if (c.address() != null) {
      out.println("  address:  " + nullToDash(c.address().city()) + ", " + nullToDash(c.address().country()));
    }
    out.println("  tags:     " + (c.tags().isEmpty() ? "-" : String.join(", ", c.tags())));
    c.customFields().forEach((k, v) -> out.println("  " + k + ": " + v));
    out.println("  created:  " + c.createdAt() + "   last contact: " + nullToDash(c.lastContactAt()));
    if (system.supports(Capability.NOTES)) {
      out.println("  notes:");
      for (CustomerNote n : system.listNotes(c.id(), PageRequest.first(RECENT)).items()) {
        out.println("    " + n.createdAt() + "  " + n.content() + (n.createdBy() == null ? "" : "  — " + n.createdBy()));
      }
    }
    if (system.supports(Capability.ACTIVITIES)) {
      out.println("  recent activities:");
      for (CustomerActivity a : system.listActivities(c.id(), PageRequest.first(RECENT)).items()) {
        out.println("    " + a.occurredAt() + "  " + a.type() + (a.channel() == null ? "" : " via " + a.channel())
            + "  " + nullToDash(a.description()));
      }
    }
  }

  private static String nullToDash(Object v) {
    return v == null ? "-" : v.toString();
  }
}
