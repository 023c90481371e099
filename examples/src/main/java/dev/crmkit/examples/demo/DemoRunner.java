package dev.crmkit.examples.demo;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerSystem;
import dev.crmkit.DuplicateGroup;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.examples.imports.CsvCustomerImporter;
import dev.crmkit.examples.imports.CsvKind;
import dev.crmkit.examples.imports.CsvMapping;
import dev.crmkit.examples.imports.ImportResult;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Runs the crmkit demo against one tenant's {@link CustomerSystem}: imports a customers CSV and a
 * leads CSV through the bulk upsert path, replays a seeded stream of inbound messages through a
 * {@link FirstContactHandler}, then finds and merges duplicates (the first customer of each group
 * survives). Returns a {@link DemoReport}.
 *
 * <p>The system needs {@link Capability#BATCH_UPSERT}, {@link Capability#ACTIVITIES},
 * {@link Capability#DUPLICATE_DETECTION} and {@link Capability#MERGE}, as the native store has. The
 * message outcomes equal the script's expectations only on a tenant that held no customers before.
 *
 * <p>Not thread-safe: run one demo at a time per instance.
 */
public final class DemoRunner {
  /** Default seed of the message stream. */
  public static final long DEFAULT_SEED = 20_240_601L;
  /** The first message's time: fixed, so runs are comparable. */
  public static final Instant MESSAGES_START = Instant.parse("2026-01-05T09:00:00Z");
  private static final int MAX_MERGE_ROUNDS = 20;

  private final CsvSource customers;
  private final CsvSource leads;
  private final List<CsvSource> extras;
  private final int messageCount;
  private final long seed;
  private final boolean progress;
  private final String region;

  private DemoRunner(Builder b) {
    this.customers = b.customers;
    this.leads = b.leads;
    this.extras = List.copyOf(b.extras);
    this.messageCount = b.messages;
    this.seed = b.seed;
    this.progress = b.progress;
    this.region = b.region;
  }

  /** A builder: bundled samples, as many messages as rows, {@link #DEFAULT_SEED}, progress bars on, region US. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs the demo.
   *
   * @param system the tenant's system; not closed by this method
   * @return the report; never null
   * @throws UnsupportedCapabilityException when the system lacks a needed capability
   * @throws ValidationException naming {@code file} when a CSV file has no header or name column
   * @throws java.io.UncheckedIOException when a CSV file cannot be read
   */
  public DemoReport run(CustomerSystem system) {
    for (Capability c : List.of(Capability.BATCH_UPSERT, Capability.ACTIVITIES, Capability.DUPLICATE_DETECTION,
        Capability.MERGE)) {
      if (!system.supports(c)) {
        throw new UnsupportedCapabilityException(system.providerName(), c);
      }
    }
    long started = System.nanoTime();
    List<DemoReport.StepTiming> steps = new ArrayList<>();
    CsvCustomerImporter importer = CsvCustomerImporter.forRegion(region);
    ImportResult customerResult = importFile(system, importer, customers, CsvKind.CUSTOMERS, steps);
    ImportResult leadResult = importFile(system, importer, leads, CsvKind.LEADS, steps);
    List<ImportResult> extraResults = new ArrayList<>();
    for (CsvSource source : extras) {
      extraResults.add(importFile(system, importer, source, CsvKind.AUTO, steps));
    }

    Map<String, Customer> known = new LinkedHashMap<>();
    customerResult.customers().forEach(c -> known.put(c.id(), c));
    leadResult.customers().forEach(c -> known.put(c.id(), c));
    int count = messageCount >= 0 ? messageCount : customerResult.rowsRead() + leadResult.rowsRead();
    PhoneNumbers phones = PhoneNumbers.forRegion(region);
    List<ScriptedMessage> script = new InboundMessageGenerator(phones)
        .generate(system.tenantId(), List.copyOf(known.values()), count, seed, MESSAGES_START);
    long t = System.nanoTime();
    DemoReport.MessageSummary messages = replay(system, script);
    steps.add(new DemoReport.StepTiming("inbound messages", script.size(), "messages", since(t)));

    t = System.nanoTime();
    DemoReport.DuplicateSummary duplicates = mergeDuplicates(system);
    steps.add(new DemoReport.StepTiming("find and merge duplicates", duplicates.groupsFound(), "groups", since(t)));

    List<DemoReport.ImportSummary> imports = new ArrayList<>();
    imports.add(DemoReport.ImportSummary.of(customerResult));
    imports.add(DemoReport.ImportSummary.of(leadResult));
    extraResults.forEach(r -> imports.add(DemoReport.ImportSummary.of(r)));
    return new DemoReport(system.tenantId(), imports,
        messages, duplicates, steps, since(started));
  }

  private ImportResult importFile(CustomerSystem system, CsvCustomerImporter importer, CsvSource source, CsvKind kind,
      List<DemoReport.StepTiming> steps) {
    long t = System.nanoTime();
    CsvMapping mapping = importer.map(source.name(), source.content().get(), kind);
    ImportResult result;
    try (Progress bar = Progress.start(progress, "Import " + source.name(), mapping.rowsRead())) {
      result = importer.importInto(system, mapping, bar::step);
    }
    steps.add(new DemoReport.StepTiming("import " + source.name(), result.rowsRead(), "rows", since(t)));
    return result;
  }

  private DemoReport.MessageSummary replay(CustomerSystem system, List<ScriptedMessage> script) {
    FirstContactHandler handler = FirstContactHandler.builder(system).defaultRegion(region).build();
    int matched = 0;
    int created = 0;
    int duplicates = 0;
    int unexpected = 0;
    List<String> rejected = new ArrayList<>();
    List<String> examples = new ArrayList<>();
    try (Progress bar = Progress.start(progress, "Inbound messages", script.size())) {
      for (ScriptedMessage m : script) {
        ScriptedMessage.Expected actual;
        try {
          FirstContactResult r = handler.handle(m.message());
          actual = switch (r.outcome()) {
            case MATCHED -> ScriptedMessage.Expected.MATCHED;
            case CREATED -> ScriptedMessage.Expected.CREATED;
            case DUPLICATE -> ScriptedMessage.Expected.DUPLICATE;
            case IGNORED -> throw new IllegalStateException("the standard policy never ignores a sender");
          };
        } catch (CrmException e) {
          actual = ScriptedMessage.Expected.REJECTED;
          String reason = e instanceof ValidationException v
              ? v.fieldErrors().get(0).field() + ": " + v.fieldErrors().get(0).message()
              : e.getClass().getSimpleName() + ": " + e.getMessage();
          rejected.add(reason);
          if (examples.size() < DemoReport.EXAMPLES) {
            examples.add(m.message().channel() + " message " + m.message().messageId() + " from '"
                + m.message().from() + "': " + e.getMessage());
          }
        }
        switch (actual) {
          case MATCHED -> matched++;
          case CREATED -> created++;
          case DUPLICATE -> duplicates++;
          case REJECTED -> { }
        }
        if (actual != m.expected()) {
          unexpected++;
        }
        bar.step(1);
      }
    }
    return new DemoReport.MessageSummary(script.size(), matched, created, duplicates, rejected.size(),
        DemoReport.countBy(rejected, r -> r), examples, unexpected);
  }

  private DemoReport.DuplicateSummary mergeDuplicates(CustomerSystem system) {
    int groups = 0;
    int merged = 0;
    int failures = 0;
    Map<String, Long> byReason = new TreeMap<>();
    for (int round = 0; round < MAX_MERGE_ROUNDS; round++) {
      List<DuplicateGroup> found = system.findDuplicates(1_000);
      int mergedThisRound = 0;
      try (Progress bar = Progress.start(progress && !found.isEmpty(), "Merge duplicates", found.size())) {
        for (DuplicateGroup g : found) {
          groups++;
          byReason.merge(g.reason(), 1L, Long::sum);
          String survivor = g.customers().get(0).id();
          for (Customer other : g.customers().subList(1, g.customers().size())) {
            try {
              system.merge(survivor, other.id());
              merged++;
              mergedThisRound++;
            } catch (CrmException e) {
              // Merged already through an earlier group of this round, or refused: count and go on.
              failures++;
            }
          }
          bar.step(1);
        }
      }
      if (found.isEmpty() || mergedThisRound == 0) {
        break;
      }
    }
    return new DemoReport.DuplicateSummary(groups, merged, failures, byReason);
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  /** Configures a {@link DemoRunner}; not thread-safe. */
  public static final class Builder {
    private CsvSource customers = CsvSource.sampleCustomers();
    private CsvSource leads = CsvSource.sampleLeads();
    private final List<CsvSource> extras = new ArrayList<>(List.of(CsvSource.sampleMessyExport()));
    private int messages = -1;
    private long seed = DEFAULT_SEED;
    private boolean progress = true;
    private String region = "US";

    private Builder() {}

    /** The customers CSV; default the bundled 1,000-row sample. */
    public Builder customers(CsvSource v) { customers = Objects.requireNonNull(v, "customers"); return this; }

    /** The leads CSV; default the bundled 1,000-row sample. */
    public Builder leads(CsvSource v) { leads = Objects.requireNonNull(v, "leads"); return this; }

    /**
     * Further CSV files to import after the customers and leads, kind detected from the header;
     * default the bundled messy export ({@link CsvSource#sampleMessyExport()}). Their customers take
     * no part in the message stream.
     */
    public Builder extras(List<CsvSource> v) {
      extras.clear();
      extras.addAll(v);
      return this;
    }

    /**
     * How many inbound messages to replay; default as many as CSV rows read.
     *
     * @throws IllegalArgumentException naming {@code messages} and the value when negative
     */
    public Builder messages(int v) {
      if (v < 0) {
        throw new IllegalArgumentException("messages must be 0 or more: " + v);
      }
      messages = v;
      return this;
    }

    /** Seed of the message stream; default {@link #DEFAULT_SEED}. */
    public Builder seed(long v) { seed = v; return this; }

    /** Whether to draw progress bars on stderr; default true. */
    public Builder progress(boolean v) { progress = v; return this; }

    /**
     * The tenant's default phone region; default {@code US}.
     *
     * @throws NullPointerException naming {@code region} when null
     * @throws IllegalArgumentException naming {@code region} and the value when libphonenumber does not know it
     */
    public Builder region(String v) {
      PhoneNumbers.forRegion(v);
      region = v;
      return this;
    }

    public DemoRunner build() {
      return new DemoRunner(this);
    }
  }
}
