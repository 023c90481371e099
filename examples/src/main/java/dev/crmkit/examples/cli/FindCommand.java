package dev.crmkit.examples.cli;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.PageRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code crmkit find}: shows customers by phone, email or company, with tags, notes and recent
 * activities. A phone or email is looked up as the customer's own first; when none has it, the
 * further phones and emails an import kept ({@code phone2}, {@code email3}, ...) are searched, and
 * a company is matched against {@code company} and further companies ({@code company2}, ...). Those
 * searches read the tenant's customers page by page.
 */
@Command(name = "find", mixinStandardHelpOptions = true,
    description = {"Finds a customer by phone (any format), email or company and prints it with its tags, notes and",
        "recent activities; further phones, emails and companies kept by an import are searched too."})
public final class FindCommand implements Callable<Integer> {
  /** Items of each list printed. */
  static final int RECENT = 10;

  @Mixin StoreOptions store;
  @Mixin ProgressOptions progressOptions;
  @Spec CommandSpec spec;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Key key;

  static final class Key {
    @Option(names = "--phone", description = "Phone number in any format.") String phone;
    @Option(names = "--email", description = "Email address (case does not matter).") String email;
    @Option(names = "--company", description = "Company name (case does not matter); lists up to 10 customers.")
    String company;
  }

  /** Most customers listed for one company. */
  static final int MAX_LISTED = 10;
  private static final Pattern FURTHER_EMAIL = Pattern.compile("email\\d+");
  private static final Pattern FURTHER_PHONE = Pattern.compile("phone\\d+");
  private static final Pattern FURTHER_COMPANY = Pattern.compile("company\\d+");

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (StoreSession session = StoreSession.open(store, store.tenantOr("demo"))) {
      CustomerSystem system = session.system();
      List<Customer> found = find(system);
      if (found.isEmpty()) {
        String what = key.phone != null ? "phone '" + key.phone : key.email != null ? "email '" + key.email
            : "company '" + key.company;
        out.println("no customer with " + what + "' in tenant " + system.tenantId());
        out.flush();
        return 1;
      }
      for (Customer c : found) {
        print(out, system, c);
      }
    }
    out.flush();
    return 0;
  }

  private List<Customer> find(CustomerSystem system) {
    if (key.company != null) {
      String wanted = key.company.strip();
      return scan(system, c -> wanted.equalsIgnoreCase(c.company())
          || further(c, FURTHER_COMPANY).anyMatch(wanted::equalsIgnoreCase), MAX_LISTED);
    }
    if (key.phone != null) {
      Optional<Customer> own = system.findByPhone(key.phone);
      if (own.isPresent()) {
        return List.of(own.get());
      }
      PhoneNumbers phones = PhoneNumbers.forRegion(store.region);
      String wanted = phones.matchKey(key.phone);
      return wanted == null ? List.of()
          : scan(system, c -> further(c, FURTHER_PHONE).anyMatch(v -> wanted.equals(phones.matchKey(v))), 1);
    }
    Optional<Customer> own = system.findByEmail(key.email);
    if (own.isPresent()) {
      return List.of(own.get());
    }
    String wanted = EmailAddresses.isValid(key.email) ? EmailAddresses.normalize(key.email) : null;
    return wanted == null ? List.of()
        : scan(system, c -> further(c, FURTHER_EMAIL).anyMatch(v -> wanted.equals(normalizedOrNull(v))), 1);
  }

  private static Stream<String> further(Customer c, Pattern names) {
    return c.customFields().entrySet().stream().filter(e -> names.matcher(e.getKey()).matches())
        .map(Map.Entry::getValue);
  }

  private static String normalizedOrNull(String email) {
    return EmailAddresses.isValid(email) ? EmailAddresses.normalize(email) : null;
  }

  private static List<Customer> scan(CustomerSystem system, Predicate<Customer> matches, int max) {
    return system.search(CustomerQuery.builder().limit(PageRequest.MAX_LIMIT).build()).stream()
        .filter(matches).limit(max).toList();
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
