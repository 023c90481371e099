package dev.crmkit.examples.syncdemo;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.examples.demo.CsvSource;
import dev.crmkit.examples.demo.Progress;
import dev.crmkit.examples.imports.CsvCustomerImporter;
import dev.crmkit.examples.imports.CsvKind;
import dev.crmkit.examples.imports.ImportResult;
import dev.crmkit.examples.syncdemo.SyncDemoReport.Conflict;
import dev.crmkit.examples.syncdemo.SyncDemoReport.Decision;
import dev.crmkit.examples.syncdemo.SyncDemoReport.Resume;
import dev.crmkit.examples.syncdemo.SyncDemoReport.FieldOutcome;
import dev.crmkit.examples.syncdemo.SyncDemoReport.Round;
import dev.crmkit.examples.syncdemo.SyncDemoReport.Step;
import dev.crmkit.examples.syncdemo.SyncDemoReport.Webhooks;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.jdbc.JdbcSyncStore;
import dev.crmkit.sync.ConflictResolution;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.SyncAudit;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncListener;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncSide;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.testkit.FaultyCustomerSystem;
import dev.crmkit.webhook.ChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Runs the bidirectional sync demo: imports the first customers of the bundled sample into a
 * native-store tenant, starts a vendor emulator on loopback ({@link Remote}: the HubSpot emulator with
 * signed webhooks pointed at a {@link dev.crmkit.examples.webhook.HubSpotWebhookEndpoint}, or the
 * Salesforce emulator with outbound messages pointed at a {@link
 * dev.crmkit.examples.webhook.SalesforceOutboundMessageEndpoint}), and syncs the two with a {@link
 * SyncEngine} whose state lives in a {@link JdbcSyncStore} in the same database:
 * <ol>
 *   <li>a full push creates every customer in the vendor CRM;
 *   <li>then, once per built-in {@link ConflictStrategy}, it changes customers on each side (one only
 *       locally, one only in the vendor UI, one on both sides in different fields, one on both sides in
 *       the same field), deletes one in the vendor UI and merges two there, flushes the emulator's
 *       real-time deliveries into the endpoint (which checks each call and puts the events in the
 *       engine's inbox), drains the inbox and runs a delta sync; for the manual strategy it also shows
 *       the conflict queue and resolves one conflict by choosing a side and one with a merged value;
 *   <li>a kill and resume: local edits, a delta run whose process dies right after its first remote batch
 *       write reached the vendor, and the next run, which resumes from the last checkpoint;
 *   <li>a last flush, drain and delta, then a {@link SyncAudit} of both sides.
 * </ol>
 *
 * <p>Where the vendor marks the events its own API writes caused (HubSpot: {@code changeSource
 * INTEGRATION} with the demo's app id), the endpoint drops them before they reach the inbox, as a host
 * does to save a read per echo; the engine recognises them anyway, by its snapshots, which is what
 * happens with Salesforce's outbound messages.
 *
 * <p>Not thread-safe: one run at a time per instance.
 */
public final class SyncDemoRunner {
  /** Default number of customers imported and synced. */
  public static final int DEFAULT_CUSTOMERS = 1_000;
  /** Customers each round changes. */
  static final int PER_ROUND = 7;
  /** Fewest customers the demo works with: one round's share for each of the five strategies. */
  public static final int MIN_CUSTOMERS = 5 * PER_ROUND;
  /** Most customers: the bundled sample's rows. */
  public static final int MAX_CUSTOMERS = 1_000;
  /** Who decides the parked conflicts. */
  static final String AGENT = "demo-agent";
  private static final String LOCAL_TAG = " [local]";
  private static final String RESUMED_TAG = " [resumed]";

  /** The vendor CRM the demo syncs with. */
  public enum Remote {
    /** HubSpot CRM, with signed webhooks. */
    HUBSPOT,
    /** Salesforce (Contacts), with outbound messages. */
    SALESFORCE;

    /** @return the provider name, as {@code --remote} takes it: {@code hubspot} or {@code salesforce} */
    public String providerName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Remote remote;
  private final int customers;
  private final String region;
  private final boolean rateLimits;
  private final boolean progress;

  private SyncDemoRunner(Builder b) {
    this.remote = b.remote;
    this.customers = b.customers;
    this.region = b.region;
    this.rateLimits = b.rateLimits;
    this.progress = b.progress;
  }

  /** A builder: HubSpot, {@value #DEFAULT_CUSTOMERS} customers, region US, HubSpot's rate limits on, a progress bar. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The built-in strategies the demo runs, by the names the report shows: last-write-wins,
   * local-master, external-master, manual and field-level merge (falling back to last-write-wins
   * for fields changed on both sides).
   */
  static Map<String, ConflictStrategy> strategies() {
    Map<String, ConflictStrategy> out = new LinkedHashMap<>();
    out.put("last-write-wins", ConflictStrategy.lastWriteWins());
    out.put("local-master", ConflictStrategy.localMaster());
    out.put("external-master", ConflictStrategy.externalMaster());
    out.put("manual", ConflictStrategy.manual());
    out.put("field-level merge", ConflictStrategy.fieldLevelMerge(ConflictStrategy.lastWriteWins()));
    return out;
  }

  /**
   * Runs the demo.
   *
   * @param local the tenant's native-store system; should hold no customers yet; not closed here
   * @param dataSource the database of {@code local}, with the native schema (which includes the sync
   *     tables) migrated; the sync state goes there
   * @return the report; never null
   * @throws UnsupportedCapabilityException when {@code local} lacks batch upsert, merge or a change feed
   * @throws dev.crmkit.error.CrmException as the systems and the store throw it
   */
  public SyncDemoReport run(CustomerSystem local, DataSource dataSource) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(dataSource, "dataSource");
    for (Capability c : List.of(Capability.BATCH_UPSERT, Capability.MERGE, Capability.CHANGE_FEED)) {
      if (!local.supports(c)) {
        throw new UnsupportedCapabilityException(local.providerName(), c);
      }
    }
    long started = System.nanoTime();
    ImportResult imported = importSample(local);

    AtomicReference<SyncEngine> inbox = new AtomicReference<>();
    Inbound inbound = new Inbound(inbox);
    try (DemoRemote vendor = DemoRemote.start(remote, local.tenantId(), rateLimits, inbound::take)) {
      inbound.ownWrites(vendor::isOwnWrite);
      Session s = new Session(local, vendor, JdbcSyncStore.open(dataSource, Clock.systemUTC()),
          new IntegrationKey(local.tenantId(), remote.providerName()), inbound, inbox);

      RecordingStrategy first = new RecordingStrategy(ConflictStrategy.lastWriteWins());
      Step fullPush;
      try (Progress bar = Progress.start(progress, "Full push", imported.customers().size())) {
        fullPush = s.step("full push", () -> s.engine(first, pagesTo(bar)).run(SyncMode.FULL));
      }

      List<Customer> linked = new ArrayList<>();
      for (Customer c : imported.customers()) {
        if (c.email() != null && s.store.mappingByLocalId(s.key, c.id()).isPresent()) {
          linked.add(c);
        }
      }
      List<Round> rounds = new ArrayList<>();
      int offset = 0;
      for (Map.Entry<String, ConflictStrategy> e : strategies().entrySet()) {
        if (offset + PER_ROUND > linked.size()) {
          break;
        }
        rounds.add(s.round(e.getKey(), e.getValue(), linked.subList(offset, offset + PER_ROUND)));
        offset += PER_ROUND;
      }
      List<Customer> edited = new ArrayList<>();
      for (int i = 0; i < rounds.size(); i++) {
        edited.add(linked.get(i * PER_ROUND));
      }
      Resume resume = s.killAndResume(edited);
      Round settle = s.settle();
      SyncAudit.Report audit = SyncAudit.audit(s.engine(first));
      List<SyncRun> runLog = new ArrayList<>(s.store.recentRuns(s.key, 100));
      Collections.reverse(runLog);
      return new SyncDemoReport(local.tenantId(), imported.created() + imported.updated(), imported.rejected(),
          vendor.info(), fullPush, rounds, resume, settle, audit, runLog, Duration.ofNanos(System.nanoTime() - started));
    }
  }

  /** Moves the bar by the records each committed page processed. */
  private static SyncListener pagesTo(Progress bar) {
    AtomicInteger done = new AtomicInteger();
    return new SyncListener() {
      @Override
      public void pageCommitted(IntegrationKey key, String runId, RunCounts countsSoFar) {
        bar.step(countsSoFar.processed() - done.getAndSet(countsSoFar.processed()));
      }
    };
  }

  private ImportResult importSample(CustomerSystem local) {
    CsvSource sample = CsvSource.sampleCustomers();
    String[] lines = new String(sample.content().get(), java.nio.charset.StandardCharsets.UTF_8).split("\r?\n");
    String firstRows = String.join("\n", Arrays.asList(lines).subList(0, Math.min(lines.length, customers + 1)));
    CsvCustomerImporter importer = CsvCustomerImporter.forRegion(region);
    return importer.importInto(local, importer.map(sample.name(), firstRows, CsvKind.CUSTOMERS), n -> { });
  }

  /** The endpoint's consumer: drops echoes of the demo's own writes, puts the rest in the inbox, counts. */
  private static final class Inbound {
    private final AtomicReference<SyncEngine> inbox;
    private volatile Predicate<ChangeEvent> ownWrites = e -> false;
    final AtomicInteger events = new AtomicInteger();
    final AtomicInteger echoes = new AtomicInteger();
    final AtomicInteger queued = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();

    Inbound(AtomicReference<SyncEngine> inbox) {
      this.inbox = inbox;
    }

    void ownWrites(Predicate<ChangeEvent> test) {
      ownWrites = test;
    }

    void take(List<ChangeEvent> batch) {
      for (ChangeEvent e : batch) {
        events.incrementAndGet();
        if (ownWrites.test(e)) {
          echoes.incrementAndGet();
        } else if (inbox.get().accept(e)) {
          queued.incrementAndGet();
        } else {
          duplicates.incrementAndGet();
        }
      }
    }

    void reset() {
      events.set(0);
      echoes.set(0);
      queued.set(0);
      duplicates.set(0);
    }
  }

  /** One run's systems and store, and the scripted rounds. */
  private static final class Session {
    final CustomerSystem local;
    final DemoRemote vendor;
    final SyncStore store;
    final IntegrationKey key;
    final Inbound inbound;
    final AtomicReference<SyncEngine> inbox;
    private final FieldMapping mapping;
    private final Set<CustomerField> shown;
    private final String remoteTag;

    Session(CustomerSystem local, DemoRemote vendor, SyncStore store, IntegrationKey key, Inbound inbound,
        AtomicReference<SyncEngine> inbox) {
      this.local = local;
      this.vendor = vendor;
      this.store = store;
      this.key = key;
      this.inbound = inbound;
      this.inbox = inbox;
      this.mapping = vendor.mapping();
      this.shown = shownFields(mapping);
      this.remoteTag = " [" + key.integration() + "]";
    }

    SyncEngine engine(ConflictStrategy strategy) {
      return engine(strategy, SyncListener.NONE);
    }

    SyncEngine engine(ConflictStrategy strategy, SyncListener listener) {
      return engine(strategy, listener, vendor.system());
    }

    SyncEngine engine(ConflictStrategy strategy, SyncListener listener, CustomerSystem remote) {
      SyncEngine engine = SyncEngine.builder().local(local).remote(remote).store(store).key(key)
          .mapping(mapping).strategy(strategy).listener(listener).leaseOwner("crmkit-sync-demo").build();
      inbox.set(engine);
      return engine;
    }

    Step step(String label, Supplier<SyncResult> call) {
      DemoRemote.Usage before = vendor.usage();
      SyncResult result = call.get();
      DemoRemote.Usage after = vendor.usage();
      return new Step(label, result, after.calls() - before.calls(), after.limited() - before.limited(), after.daily());
    }

    /** Changes {@code cs} (seven linked customers) on both sides, then webhooks, drain and delta. */
    Round round(String name, ConflictStrategy strategy, List<Customer> cs) {
      RecordingStrategy recorder = new RecordingStrategy(strategy);
      SyncEngine engine = engine(recorder);
      Customer localOnly = cs.get(0);
      Customer remoteOnly = cs.get(1);
      Customer differentFields = cs.get(2);
      Customer sameField = cs.get(3);
      Customer deleted = cs.get(4);
      Customer survivor = cs.get(5);
      Customer mergedAway = cs.get(6);
      // Order matters for last-write-wins: the different-fields pair is edited in the vendor UI last, the
      // same-field pair locally last.
      vendor.edit(remoteId(remoteOnly), CustomerField.FIRST_NAME, remoteOnly.firstName() + remoteTag);
      vendor.edit(remoteId(sameField), CustomerField.FIRST_NAME, sameField.firstName() + remoteTag);
      local.update(localOnly.id(), CustomerUpdate.builder().lastName(localOnly.lastName() + LOCAL_TAG).build());
      local.update(differentFields.id(), CustomerUpdate.builder().firstName(differentFields.firstName() + LOCAL_TAG)
          .build());
      vendor.edit(remoteId(differentFields), CustomerField.LAST_NAME, differentFields.lastName() + remoteTag);
      local.update(sameField.id(), CustomerUpdate.builder().firstName(sameField.firstName() + LOCAL_TAG).build());
      vendor.delete(remoteId(deleted));
      vendor.merge(remoteId(survivor), remoteId(mergedAway));
      String who = vendor.info().name() + ":";
      String pad = " ".repeat(Math.max(1, "local:   ".length() - who.length()));
      List<String> changes = List.of(
          "local:" + " ".repeat(Math.max(1, who.length() + pad.length() - "local:".length())) + "lastName of "
              + localOnly.email() + "; firstName of " + differentFields.email() + " and " + sameField.email(),
          who + pad + vendor.fieldName(CustomerField.FIRST_NAME) + " of " + remoteOnly.email() + " and "
              + sameField.email() + "; " + vendor.fieldName(CustomerField.LAST_NAME) + " of " + differentFields.email(),
          who + pad + "deleted " + deleted.email() + "; merged " + mergedAway.email() + " into " + survivor.email());

      Webhooks webhooks = flush();
      List<Step> steps = new ArrayList<>();
      steps.add(step("inbox", engine::drainInbox));
      steps.add(step("delta", () -> engine.run(SyncMode.DELTA)));
      List<Conflict> conflicts = recorder.met().stream().map(this::conflict).toList();

      List<Conflict> queue = new ArrayList<>();
      List<Decision> decisions = new ArrayList<>();
      List<SyncConflict> open = engine.conflicts().open(100);
      open.forEach(c -> queue.add(parked(c)));
      for (SyncConflict c : open) {
        if (c.localId().equals(differentFields.id())) {
          engine.conflicts().resolve(c.id(), SyncSide.REMOTE, null, AGENT);
          decisions.add(decided(c, "REMOTE"));
        } else if (c.localId().equals(sameField.id())) {
          String agreed = sameField.firstName() + " [agreed]";
          engine.conflicts().resolve(c.id(), SyncSide.MERGED, Map.of("firstName", agreed), AGENT);
          decisions.add(decided(c, "MERGED firstName=\"" + agreed + "\""));
        }
      }
      return new Round(name, changes, webhooks, steps, conflicts, queue, decisions);
    }

    /**
     * Edits {@code cs} locally (the lastName of each, which only this side changed), kills a delta run right after
     * its first remote batch write reached the vendor and before the engine recorded it (the process dies, so
     * nothing it would have done afterwards happens), then runs the next delta as a restarted process would:
     * it starts again from the last checkpoint, writes the same values again and finishes.
     */
    Resume killAndResume(List<Customer> cs) {
      List<String> emails = new ArrayList<>();
      for (Customer c : cs) {
        Customer now = local.require(c.id());
        local.update(c.id(), CustomerUpdate.builder().lastName(now.lastName() + RESUMED_TAG).build());
        emails.add(c.email());
      }
      String changes = "local: lastName of " + String.join(", ", emails);
      DemoRemote.Usage before = vendor.usage();
      SyncEngine doomed = engine(ConflictStrategy.lastWriteWins(), SyncListener.NONE,
          FaultyCustomerSystem.wrap(vendor.system(), "bulkWrite", 0, FaultyCustomerSystem.Fault.CRASH_AFTER));
      String killed;
      try {
        SyncResult unexpected = doomed.run(SyncMode.DELTA);
        killed = "not killed: the run " + unexpected.status() + " without a remote write";
      } catch (FaultyCustomerSystem.SimulatedCrash e) {
        killed = "delta run died right after its first " + vendor.info().name() + " batch write";
      }
      DemoRemote.Usage after = vendor.usage();
      Step resumed = step("resumed", () -> engine(ConflictStrategy.lastWriteWins()).run(SyncMode.DELTA));
      return new Resume(changes, killed, after.calls() - before.calls(), after.daily(), resumed);
    }

    /** A last flush, drain and delta: the echoes of the rounds' writes, and nothing else. */
    Round settle() {
      RecordingStrategy recorder = new RecordingStrategy(ConflictStrategy.manual());
      SyncEngine engine = engine(recorder);
      Webhooks webhooks = flush();
      List<Step> steps = List.of(step("inbox", engine::drainInbox), step("delta", () -> engine.run(SyncMode.DELTA)));
      return new Round("settle", List.of(), webhooks, steps, recorder.met().stream().map(this::conflict).toList(),
          List.of(), List.of());
    }

    private Webhooks flush() {
      inbound.reset();
      DemoRemote.Deliveries d = vendor.deliver();
      return new Webhooks(d.posts(), d.refused(), inbound.events.get(), inbound.echoes.get(), inbound.queued.get(),
          inbound.duplicates.get());
    }

    private String remoteId(Customer c) {
      return store.mappingByLocalId(key, c.id()).orElseThrow().externalId();
    }

    private Conflict conflict(RecordingStrategy.Met m) {
      ConflictResolution res = m.resolution();
      List<FieldOutcome> fields = new ArrayList<>();
      for (CustomerField f : shown) {
        String l = value(m.local(), f);
        String r = value(m.remote(), f);
        if (Objects.equals(l, r)) {
          continue;
        }
        String b = m.base() == null ? null : value(m.base(), f);
        if (res.isManual()) {
          fields.add(new FieldOutcome(f.apiName(), b, l, r, null, "parked"));
        } else {
          String v = value(res.resolved(), f);
          String winner = Objects.equals(v, l) ? "local" : Objects.equals(v, r) ? "remote" : "merged";
          fields.add(new FieldOutcome(f.apiName(), b, l, r, v, winner));
        }
      }
      return new Conflict(m.local().email() != null ? m.local().email() : m.local().id(), fields, res.isManual());
    }

    private Conflict parked(SyncConflict c) {
      List<FieldOutcome> fields = c.fields().stream()
          .map(f -> new FieldOutcome(f.field(), f.baseValue(), f.localValue(), f.remoteValue(), null, "open"))
          .toList();
      return new Conflict(label(c), fields, true);
    }

    private Decision decided(SyncConflict c, String decision) {
      Customer now = local.require(c.localId());
      List<FieldOutcome> fields = new ArrayList<>();
      for (FieldConflict f : c.fields()) {
        String v = shown.stream().filter(x -> x.apiName().equals(f.field())).findFirst()
            .map(x -> value(now, x)).orElse(null);
        fields.add(new FieldOutcome(f.field(), f.baseValue(), f.localValue(), f.remoteValue(), v,
            decision.toLowerCase(Locale.ROOT).startsWith("merged") ? "merged" : decision.toLowerCase(Locale.ROOT)));
      }
      return new Decision(label(c), decision, fields);
    }

    private String label(SyncConflict c) {
      return local.get(c.localId()).map(Customer::email).orElse(c.localId());
    }

    /** The synced fields the demo can show, in {@link CustomerField} order. */
    private static Set<CustomerField> shownFields(FieldMapping mapping) {
      Set<CustomerField> out = EnumSet.noneOf(CustomerField.class);
      Set<CustomerField> readable = EnumSet.of(CustomerField.FIRST_NAME, CustomerField.LAST_NAME, CustomerField.EMAIL,
          CustomerField.PHONE, CustomerField.SEGMENT, CustomerField.TAGS);
      for (FieldMapping.Rule rule : mapping.rules()) {
        for (CustomerField f : readable) {
          if (f.apiName().equals(rule.localField())) {
            out.add(f);
          }
        }
      }
      return out;
    }

    private static String value(Customer c, CustomerField f) {
      return switch (f) {
        case FIRST_NAME -> c.firstName();
        case LAST_NAME -> c.lastName();
        case EMAIL -> c.email();
        case PHONE -> c.phone();
        case SEGMENT -> c.segment() == null ? null : c.segment().name().toLowerCase(Locale.ROOT);
        case TAGS -> c.tags().isEmpty() ? null : String.join(";", new TreeSet<>(c.tags()));
        default -> throw new IllegalArgumentException("the demo does not show " + f.apiName());
      };
    }
  }

  /** Configures a {@link SyncDemoRunner}; setters check their argument at once. Not thread-safe. */
  public static final class Builder {
    private Remote remote = Remote.HUBSPOT;
    private int customers = DEFAULT_CUSTOMERS;
    private String region = "US";
    private boolean rateLimits = true;
    private boolean progress = true;

    private Builder() {}

    /**
     * The vendor CRM to sync with; default {@link Remote#HUBSPOT}.
     *
     * @param v the vendor
     * @return this builder
     * @throws NullPointerException naming {@code remote} when null
     */
    public Builder remote(Remote v) {
      remote = Objects.requireNonNull(v, "remote");
      return this;
    }

    /**
     * How many customers to import (the first rows of the bundled sample) and sync; default
     * {@value #DEFAULT_CUSTOMERS}.
     *
     * @param v {@value #MIN_CUSTOMERS} to {@value #MAX_CUSTOMERS}
     * @return this builder
     * @throws IllegalArgumentException naming {@code customers} and the value when out of range
     */
    public Builder customers(int v) {
      if (v < MIN_CUSTOMERS || v > MAX_CUSTOMERS) {
        throw new IllegalArgumentException("customers must be " + MIN_CUSTOMERS + " to " + MAX_CUSTOMERS + ": " + v);
      }
      customers = v;
      return this;
    }

    /**
     * The default phone region of the import; default {@code US}.
     *
     * @param v an ISO 3166-1 alpha-2 code
     * @return this builder
     * @throws NullPointerException naming {@code region} when null
     * @throws IllegalArgumentException naming {@code region} and the value when libphonenumber does not know it
     */
    public Builder region(String v) {
      PhoneNumbers.forRegion(v);
      region = v;
      return this;
    }

    /**
     * Whether the emulator enforces HubSpot's rate limits (100 requests per 10 s, 5 searches per
     * second) and answers 429 past them, and the HubSpot provider paces its calls to stay within them;
     * default true. Off, the demo runs as fast as the machine allows. HubSpot only: Salesforce has no
     * short-window limit, only the org's daily API allocation, which the Salesforce emulator always counts.
     *
     * @param v true to enforce
     * @return this builder
     */
    public Builder rateLimits(boolean v) {
      rateLimits = v;
      return this;
    }

    /**
     * Whether to draw a progress bar of the full push on stderr; default true.
     *
     * @param v true to draw it
     * @return this builder
     */
    public Builder progress(boolean v) {
      progress = v;
      return this;
    }

    /** @return the runner */
    public SyncDemoRunner build() {
      return new SyncDemoRunner(this);
    }
  }
}
