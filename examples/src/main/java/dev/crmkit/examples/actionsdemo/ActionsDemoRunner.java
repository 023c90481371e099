package dev.crmkit.examples.actionsdemo;

import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.actions.CustomerRef;
import dev.crmkit.actions.EventActions;
import dev.crmkit.actions.EventOutbox;
import dev.crmkit.actions.HostEvent;
import dev.crmkit.actions.OutboxEntry;
import dev.crmkit.actions.OutboxStatus;
import dev.crmkit.actions.ProcessingReport;
import dev.crmkit.actions.SubmitResult;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.ActionRow;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.Holding;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.Parked;
import dev.crmkit.examples.actionsdemo.ActionsDemoReport.Phase;
import dev.crmkit.http.RetryPolicy;
import dev.crmkit.hubspot.HubSpotCustomerSystemProvider;
import dev.crmkit.jdbc.JdbcEventOutbox;
import dev.crmkit.testkit.hubspot.HubSpotEmulator;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * Runs the event-actions demo: one {@link EventActions} processor over a {@link JdbcEventOutbox} in
 * the store's database delivers yesterday's events of a small studio ({@link BusinessDay}) to two
 * tenants at once, one on the native store and one on HubSpot (the {@link HubSpotEmulator} on
 * loopback), with the default actions: a message is a first contact, a booking a deal and a meeting,
 * a call a call activity, a document a note, an order a recorded order, a customer update a contact
 * update.
 *
 * <p>Three phases, each submitting its events and draining the outbox:
 * <ol>
 *   <li>morning, with two events delivered twice and HubSpot answering 503 to its first two calls;
 *   <li>midday, without faults;
 *   <li>afternoon, with a redelivered order, an event for a customer id nobody has (parked at once on
 *       both tenants) and a HubSpot outage that outlasts every attempt: its events are parked, and
 *       replayed once HubSpot is back.
 * </ol>
 *
 * <p>The outbox does not keep one customer's events in order: an event waiting for its retry does not
 * hold back the next event of the same customer. In the morning phase HubSpot's 503s delay the first
 * two messages, so the bookings that follow create those customers first, without the names the
 * messages carry; the messages, retried, then find them and log only the message.
 *
 * <p>The HubSpot system makes one try per call ({@link RetryPolicy#none()}), so that every failure
 * reaches the outbox, whose retries and parking the demo shows; a host keeps the connector's own
 * retries. Not thread-safe: one run at a time.
 */
public final class ActionsDemoRunner {
  static final Duration INITIAL_BACKOFF = Duration.ofMillis(150);
  static final int MAX_ATTEMPTS = 3;
  private static final int DRAIN_ROUNDS = 200;

  private final Clock clock;

  /** A runner on the system clock. */
  public ActionsDemoRunner() {
    this(Clock.systemUTC());
  }

  ActionsDemoRunner(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs the demo.
   *
   * @param nativeTenant the native tenant's id; the HubSpot tenant is this id with {@code -hubspot}
   * @param nativeSystem the native tenant's system
   * @param dataSource the database of the native store, which also holds the outbox
   */
  public ActionsDemoReport run(String nativeTenant, CustomerSystem nativeSystem, DataSource dataSource) {
    String hubspotTenant = nativeTenant + "-hubspot";
    LocalDate day = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1);
    try (HubSpotEmulator emulator = HubSpotEmulator.builder().rateLimits(false).build();
        CustomerSystem hubspot = hubspot(hubspotTenant, emulator)) {
      EventOutbox outbox = new JdbcEventOutbox(dataSource, clock);
      Map<String, CustomerSystem> systems = Map.of(nativeTenant, nativeSystem, hubspotTenant, hubspot);
      Function<String, CustomerSystem> lookup = t -> Optional.ofNullable(systems.get(t))
          .orElseThrow(() -> new dev.crmkit.error.ConfigurationException("no system for tenant " + t));
      List<String> tenants = List.of(nativeTenant, hubspotTenant);
      Map<String, BusinessDay> script = new LinkedHashMap<>();
      tenants.forEach(t -> script.put(t, new BusinessDay(t, day)));
      Map<String, List<HostEvent>> submitted = new LinkedHashMap<>();
      tenants.forEach(t -> submitted.put(t, new ArrayList<>()));
      List<Phase> phases = new ArrayList<>();
      try (EventActions actions = EventActions.builder().outbox(outbox).systems(lookup).clock(clock)
          .maxAttempts(MAX_ATTEMPTS).backoff(INITIAL_BACKOFF, 2.0, Duration.ofSeconds(1)).jitter(0)
          .workerId("actions-demo").build()) {
        emulator.faults().failNext(2, 503);
        phases.add(phase("morning", "HubSpot answers 503 to its first 2 calls", tenants, script,
            BusinessDay::morning, actions, submitted));
        phases.add(phase("midday", "no faults", tenants, script, BusinessDay::midday, actions, submitted));
        emulator.faults().failNext(10_000, 503);
        Phase outage = phase("afternoon", "HubSpot is down (503) until every attempt is used", tenants, script,
            BusinessDay::afternoon, actions, submitted);
        emulator.faults().clear();
        List<String> replayed = new ArrayList<>();
        for (OutboxEntry parked : actions.failed(hubspotTenant, 100)) {
          if (actions.replay(hubspotTenant, parked.eventId())) {
            replayed.add(parked.eventId());
          }
        }
        ProcessingReport afterReplay = drain(actions, tenants);
        phases.add(new Phase(outage.name(), outage.faults(), outage.submitted(), outage.duplicates(),
            outage.processing(), replayed, afterReplay));
        List<ActionRow> rows = new ArrayList<>();
        List<Parked> parked = new ArrayList<>();
        for (String t : tenants) {
          rows.addAll(actionRows(t, t.equals(nativeTenant) ? "native" : "hubspot", submitted.get(t), actions));
          for (OutboxEntry e : actions.failed(t, 100)) {
            parked.add(new Parked(t.equals(nativeTenant) ? "native" : "hubspot", e.eventId(), e.eventType(),
                e.attempts(), e.lastError()));
          }
        }
        List<Holding> holdings = List.of(holding("native", nativeSystem), holding("hubspot", hubspot));
        return new ActionsDemoReport(nativeTenant, hubspotTenant, emulator.baseUrl(), day, phases, rows, parked,
            holdings, emulator.counters().totalRequests());
      }
    }
  }

  private Phase phase(String name, String faults, List<String> tenants, Map<String, BusinessDay> script,
      Function<BusinessDay, List<HostEvent>> events, EventActions actions, Map<String, List<HostEvent>> submitted) {
    int count = 0;
    int duplicates = 0;
    for (String t : tenants) {
      for (HostEvent e : events.apply(script.get(t))) {
        count++;
        if (actions.submit(e) == SubmitResult.DUPLICATE) {
          duplicates++;
        } else {
          submitted.get(t).add(e);
        }
      }
    }
    return new Phase(name, faults, count, duplicates, drain(actions, tenants), List.of(), ProcessingReport.EMPTY);
  }

  /** Processes until no tenant has an event pending or in progress, waiting out the backoff between rounds. */
  private static ProcessingReport drain(EventActions actions, List<String> tenants) {
    ProcessingReport total = ProcessingReport.EMPTY;
    for (int round = 0; round < DRAIN_ROUNDS; round++) {
      total = total.plus(actions.runOnce());
      long open = 0;
      for (String t : tenants) {
        Map<OutboxStatus, Long> counts = actions.counts(t);
        open += counts.getOrDefault(OutboxStatus.PENDING, 0L) + counts.getOrDefault(OutboxStatus.IN_PROGRESS, 0L);
      }
      if (open == 0) {
        return total;
      }
      sleep(INITIAL_BACKOFF.dividedBy(3));
    }
    throw new IllegalStateException("the outbox did not drain in " + DRAIN_ROUNDS + " rounds");
  }

  private static List<ActionRow> actionRows(String tenant, String label, List<HostEvent> events, EventActions actions) {
    Map<String, int[]> byType = new TreeMap<>();
    for (HostEvent e : events) {
      int[] c = byType.computeIfAbsent(e.type().name(), k -> new int[4]);
      OutboxEntry entry = actions.status(tenant, e.eventId()).orElseThrow();
      c[0]++;
      if (entry.status() == OutboxStatus.DONE) {
        c[entry.attempts() > 1 || entry.lastError() != null ? 2 : 1]++;
      } else if (entry.status() == OutboxStatus.PARKED) {
        c[3]++;
      }
    }
    List<ActionRow> rows = new ArrayList<>();
    byType.forEach((type, c) -> rows.add(new ActionRow(label, type, c[0], c[1], c[2], c[3])));
    return rows;
  }

  /** What a system holds for the day's people, read back through the SPI. */
  private static Holding holding(String label, CustomerSystem system) {
    int customers = 0;
    List<String> deals = new ArrayList<>();
    int notes = 0;
    Map<ActivityType, Integer> activities = new EnumMap<>(ActivityType.class);
    int orders = 0;
    List<String> people = new ArrayList<>();
    for (BusinessDay.Person p : BusinessDay.PEOPLE) {
      Optional<Customer> found = find(system, p.ref());
      if (found.isEmpty()) {
        people.add(p.name() + ": not found");
        continue;
      }
      Customer c = found.get();
      customers++;
      if (system.supports(Capability.DEALS)) {
        for (Deal d : system.listDeals(c.id(), PageRequest.first(100)).items()) {
          deals.add(d.title() + " (" + d.stageId() + ", " + (d.amount() == null ? "no amount" : d.amount()) + ")");
        }
      }
      if (system.supports(Capability.NOTES)) {
        notes += system.listNotes(c.id(), PageRequest.first(100)).items().size();
      }
      for (CustomerActivity a : system.listActivities(c.id(), PageRequest.first(100)).items()) {
        activities.merge(a.type(), 1, Integer::sum);
      }
      orders += c.stats().totalOrders();
      String name = String.join(" ", java.util.stream.Stream.of(c.firstName(), c.lastName())
          .filter(s -> s != null && !s.isEmpty()).toList());
      people.add(p.name() + " → " + (name.isEmpty() ? "(no name)" : name) + ", " + c.segment() + (c.company() == null ? "" : ", " + c.company())
          + (c.stats().totalOrders() == 0 ? "" : ", " + c.stats().totalOrders() + " orders " + c.stats().totalRevenue()));
    }
    return new Holding(label, system.providerName(), customers, deals, notes, activities, orders, people);
  }

  private static Optional<Customer> find(CustomerSystem system, CustomerRef ref) {
    if (ref.phone() != null) {
      return system.findByPhone(ref.phone());
    }
    return system.findByEmail(ref.email());
  }

  private CustomerSystem hubspot(String tenantId, HubSpotEmulator emulator) {
    TenantConfig config = TenantConfig.builder(tenantId, HubSpotCustomerSystemProvider.NAME)
        .credential(HubSpotCustomerSystemProvider.ACCESS_TOKEN, emulator.accessToken())
        .setting(HubSpotCustomerSystemProvider.BASE_URL, emulator.baseUrl())
        .setting(HubSpotCustomerSystemProvider.PROACTIVE_RATE_LIMITING, "false")
        .build();
    return new HubSpotCustomerSystemProvider().create(
        new ProviderContext(config, clock, Map.of(RetryPolicy.class, RetryPolicy.none())));
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(Math.max(1, d.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
