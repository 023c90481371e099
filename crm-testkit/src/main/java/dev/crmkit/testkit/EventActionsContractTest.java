package dev.crmkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.Money;
import dev.crmkit.PageRequest;
import dev.crmkit.Segment;
import dev.crmkit.actions.ActionMapping;
import dev.crmkit.actions.AppointmentBooked;
import dev.crmkit.actions.CallCompleted;
import dev.crmkit.actions.CallOutcome;
import dev.crmkit.actions.CustomerRef;
import dev.crmkit.actions.CustomerUpdated;
import dev.crmkit.actions.DefaultActions;
import dev.crmkit.actions.DocumentSent;
import dev.crmkit.actions.EventAction;
import dev.crmkit.actions.EventActions;
import dev.crmkit.actions.EventOutbox;
import dev.crmkit.actions.EventType;
import dev.crmkit.actions.HostEvent;
import dev.crmkit.actions.InMemoryEventOutbox;
import dev.crmkit.actions.MessageReceived;
import dev.crmkit.actions.OrderPlaced;
import dev.crmkit.actions.OutboxEntry;
import dev.crmkit.actions.OutboxStatus;
import dev.crmkit.actions.ProcessingReport;
import dev.crmkit.actions.SubmitResult;
import dev.crmkit.policy.AutoCreatePolicy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The event-actions contract: each default action of {@link DefaultActions} against a real
 * {@link CustomerSystem}, delivered through an {@link EventOutbox}. A provider's (or an outbox's) test
 * extends it and says how to open a system for a tenant on a clock, and optionally which outbox to use
 * (default {@link InMemoryEventOutbox}).
 *
 * <p>What is checked for every default action: the writes it makes, that a redelivered event
 * ({@link SubmitResult#DUPLICATE}) writes nothing more, and that an action run again after a failure that
 * came after its writes (what a worker dying mid-way amounts to) writes once — on systems with
 * {@link Capability#IDEMPOTENT_ACTIVITIES} for notes and activities, on every system for deals, orders and
 * updates. Where the system lacks a capability the default action degrades, and the test checks the
 * degraded writes and the outcome that says so.
 *
 * <p>Each test uses fresh tenant ids; the clock is a {@link MutableClock} at {@link #START}. Not
 * thread-safe: JUnit creates one instance per test method.
 */
public abstract class EventActionsContractTest {
  /** Where every test's clock starts. */
  protected static final Instant START = Instant.parse("2026-05-04T10:00:00Z");

  protected final MutableClock clock = new MutableClock(START);
  private final List<CustomerSystem> opened = new ArrayList<>();
  private final Map<String, CustomerSystem> systems = new ConcurrentHashMap<>();

  /** Opens the system of a tenant on the given clock; all tenants share one back end. */
  protected abstract CustomerSystem newSystem(String tenantId, Clock clock);

  /** The outbox the processor uses; default a new {@link InMemoryEventOutbox}. */
  protected EventOutbox newOutbox() {
    return new InMemoryEventOutbox();
  }

  /** A fresh tenant id. */
  protected String newTenantId() {
    return "actions-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** The tenant's system, opened once per test. */
  protected CustomerSystem system(String tenantId) {
    return systems.computeIfAbsent(tenantId, t -> {
      CustomerSystem s = newSystem(t, clock);
      opened.add(s);
      return s;
    });
  }

  @AfterEach
  void closeSystems() {
    opened.forEach(CustomerSystem::close);
  }

  private EventActions.Builder processor(EventOutbox outbox) {
    return EventActions.builder().outbox(outbox).systems(this::system).clock(clock).jitter(0)
        .backoff(Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10)).workerId("contract-" + UUID.randomUUID());
  }

  private static final CustomerRef ANN_PHONE = CustomerRef.byPhone("+1 415 555 0100");
  private static final CustomerRef ANN_EMAIL = CustomerRef.byEmail("ann@example.com");

  private Customer ann(String tenant) {
    return system(tenant).create(CustomerDraft.builder().firstName("Ann").lastName("Lee").phone("+14155550100")
        .email("ann@example.com").build());
  }

  private static List<CustomerActivity> activities(CustomerSystem s, String customerId, ActivityType type) {
    return s.listActivities(customerId, PageRequest.first(100)).items().stream().filter(a -> a.type() == type).toList();
  }

  // ---------------------------------------------------------------------------------------------- message

  @Test
  void messageReceivedFromANewNumberCreatesTheCustomerAndLogsTheMessageOnce() {
    String tenant = newTenantId();
    EventOutbox outbox = newOutbox();
    EventActions actions = processor(outbox).build();
    MessageReceived m = new MessageReceived(tenant, "sms-1", ANN_PHONE, START.minusSeconds(5), Channel.SMS,
        "Hi, are you open on Sunday?", "Ann Lee");
    assertThat(actions.submit(m)).isEqualTo(SubmitResult.ACCEPTED);
    ProcessingReport report = actions.runOnce();
    assertThat(report.done()).isEqualTo(1);

    CustomerSystem s = system(tenant);
    Customer c = s.findByPhone("+14155550100").orElseThrow();
    assertThat(c.firstName()).isEqualTo("Ann");
    if (s.supports(Capability.ACTIVITIES)) {
      List<CustomerActivity> logged = activities(s, c.id(), ActivityType.MESSAGE_RECEIVED);
      assertThat(logged).hasSize(1);
      assertThat(logged.get(0).description()).isEqualTo("Hi, are you open on Sunday?");
    }
    assertThat(actions.submit(m)).isEqualTo(SubmitResult.DUPLICATE);
    assertThat(actions.runOnce().claimed()).isZero();
    if (s.supports(Capability.ACTIVITIES)) {
      assertThat(activities(s, c.id(), ActivityType.MESSAGE_RECEIVED)).hasSize(1);
    }
    assertThat(actions.status(tenant, "sms-1")).get().extracting(OutboxEntry::status).isEqualTo(OutboxStatus.DONE);
  }

  @Test
  void messageFromAnUnknownSenderIsParkedWhenThePolicyCreatesNobody() {
    String tenant = newTenantId();
    EventActions actions = processor(newOutbox()).policy(AutoCreatePolicy.never()).build();
    actions.submit(new MessageReceived(tenant, "sms-2", ANN_PHONE, START, Channel.SMS, "hello", null));
    assertThat(actions.runOnce().parked()).isEqualTo(1);
    OutboxEntry entry = actions.status(tenant, "sms-2").orElseThrow();
    assertThat(entry.status()).isEqualTo(OutboxStatus.PARKED);
    assertThat(entry.lastError()).contains("customer").contains("AutoCreatePolicy");
    assertThat(system(tenant).findByPhone("+14155550100")).isEmpty();
  }

  // ------------------------------------------------------------------------------------------ appointment

  @Test
  void appointmentBookedCreatesADealAndAMeetingOrOnlyTheMeetingWithoutDeals() {
    String tenant = newTenantId();
    Customer c = ann(tenant);
    EventActions actions = processor(newOutbox()).build();
    Instant startsAt = Instant.parse("2026-05-20T15:30:00Z");
    actions.submit(new AppointmentBooked(tenant, "appt-1", CustomerRef.byId(c.id()), START, "Colour and cut",
        startsAt, Duration.ofMinutes(90), Money.of("120.00", "EUR"), "first visit"));
    assertThat(actions.runOnce().done()).isEqualTo(1);

    CustomerSystem s = system(tenant);
    OutboxEntry entry = actions.status(tenant, "appt-1").orElseThrow();
    if (s.supports(Capability.DEALS)) {
      List<Deal> deals = s.listDeals(c.id(), PageRequest.first(10)).items();
      assertThat(deals).hasSize(1);
      assertThat(deals.get(0).title()).isEqualTo("Colour and cut");
      assertThat(deals.get(0).amount().amount()).isEqualByComparingTo("120");
      assertThat(deals.get(0).expectedCloseDate()).isEqualTo(LocalDate.of(2026, 5, 20));
      assertThat(entry.outcome()).contains("deal " + deals.get(0).id());
    } else {
      assertThat(entry.outcome()).contains("no deal").contains("DEALS");
    }
    List<CustomerActivity> meetings = activities(s, c.id(), ActivityType.MEETING);
    assertThat(meetings).hasSize(1);
    assertThat(meetings.get(0).description()).contains("Colour and cut");
    assertThat(meetings.get(0).metadata()).containsEntry("startsAt", "2026-05-20T15:30:00Z")
        .containsEntry("durationMinutes", "90");
  }

  // ------------------------------------------------------------------------------------------------ call

  @Test
  void callCompletedLogsACallWithDurationOutcomeAndSummary() {
    String tenant = newTenantId();
    Customer c = ann(tenant);
    EventActions actions = processor(newOutbox()).build();
    actions.submit(new CallCompleted(tenant, "call-1", ANN_PHONE, START.minusSeconds(60), Duration.ofSeconds(245),
        CallOutcome.COMPLETED, "Wants a quote for a wedding"));
    assertThat(actions.runOnce().done()).isEqualTo(1);

    CustomerSystem s = system(tenant);
    List<CustomerActivity> calls = activities(s, c.id(), ActivityType.CALL);
    assertThat(calls).hasSize(1);
    assertThat(calls.get(0).metadata()).containsEntry("durationSeconds", "245").containsEntry("outcome", "COMPLETED")
        .containsEntry("summary", "Wants a quote for a wedding");
    assertThat(s.require(c.id()).lastContactAt()).isEqualTo(START.minusSeconds(60));
  }

  // -------------------------------------------------------------------------------------------- document

  @Test
  void documentSentAddsANoteNamingTheDocument() {
    String tenant = newTenantId();
    Customer c = ann(tenant);
    EventActions actions = processor(newOutbox()).build();
    actions.submit(new DocumentSent(tenant, "doc-1", ANN_EMAIL, START, "Quote Q-77.pdf",
        "https://files.example.com/q-77.pdf", Channel.EMAIL));
    assertThat(actions.runOnce().done()).isEqualTo(1);

    CustomerSystem s = system(tenant);
    if (s.supports(Capability.NOTES)) {
      List<CustomerNote> notes = s.listNotes(c.id(), PageRequest.first(10)).items();
      assertThat(notes).hasSize(1);
      assertThat(notes.get(0).content()).contains("Quote Q-77.pdf").contains("https://files.example.com/q-77.pdf")
          .contains("email");
    } else {
      assertThat(activities(s, c.id(), ActivityType.OTHER)).hasSize(1);
      assertThat(actions.status(tenant, "doc-1").orElseThrow().outcome()).contains("NOTES");
    }
  }

  // ----------------------------------------------------------------------------------------------- order

  @Test
  void orderPlacedRecordsTheOrderOrAnOrderActivityWithoutOrders() {
    String tenant = newTenantId();
    Customer c = ann(tenant);
    EventActions actions = processor(newOutbox()).build();
    actions.submit(new OrderPlaced(tenant, "order-evt-1", CustomerRef.byId(c.id()), START, "ORD-1001",
        Money.of("59.90", "EUR"), START.minusSeconds(120)));
    assertThat(actions.runOnce().done()).isEqualTo(1);

    CustomerSystem s = system(tenant);
    if (s.supports(Capability.ORDERS)) {
      Customer after = s.require(c.id());
      assertThat(after.stats().totalOrders()).isEqualTo(1);
      assertThat(after.stats().totalRevenue().amount()).isEqualByComparingTo(new BigDecimal("59.90"));
    } else {
      List<CustomerActivity> orders = activities(s, c.id(), ActivityType.ORDER_PLACED);
      assertThat(orders).hasSize(1);
      assertThat(orders.get(0).metadata()).containsEntry("orderId", "ORD-1001");
      assertThat(actions.status(tenant, "order-evt-1").orElseThrow().outcome()).contains("ORDERS");
    }
  }

  // -------------------------------------------------------------------------------------------- customer

  @Test
  void customerUpdatedChangesTheContactAndClearsWhatIsNull() {
    String tenant = newTenantId();
    Customer c = system(tenant).create(CustomerDraft.builder().firstName("Ann").lastName("Lee")
        .phone("+14155550100").company("Old Co").build());
    EventActions actions = processor(newOutbox()).build();
    actions.submit(CustomerUpdated.builder(tenant, "upd-1", ANN_PHONE, START)
        .firstName("Anne").email("anne@example.com").company(null).segment(Segment.VIP).build());
    assertThat(actions.runOnce().done()).isEqualTo(1);

    Customer after = system(tenant).require(c.id());
    assertThat(after.firstName()).isEqualTo("Anne");
    assertThat(after.lastName()).isEqualTo("Lee");
    assertThat(after.email()).isEqualTo("anne@example.com");
    assertThat(after.company()).isNull();
  }

  @Test
  void anUpdateOfThePhoneRunAgainAfterACrashFindsTheCustomerByTheNewPhone() {
    String tenant = newTenantId();
    Customer c = ann(tenant);
    AtomicInteger runs = new AtomicInteger();
    ActionMapping mapping = ActionMapping.defaults().andThen(EventType.CUSTOMER_UPDATED, (event, ctx) -> {
      if (runs.incrementAndGet() == 1) {
        throw new IllegalStateException("worker died after the update");
      }
    });
    EventActions actions = processor(newOutbox()).mapping(mapping).build();
    actions.submit(CustomerUpdated.builder(tenant, "upd-phone", ANN_PHONE, START).phone("+1 415 555 0177").build());
    assertThat(actions.runOnce().retried()).isEqualTo(1);
    clock.advance(Duration.ofSeconds(10));
    assertThat(actions.runOnce().done()).isEqualTo(1);
    CustomerSystem s = system(tenant);
    assertThat(s.findByPhone("+14155550177")).get().extracting(Customer::id).isEqualTo(c.id());
    assertThat(s.findByPhone("+14155550100")).isEmpty();
  }

  @Test
  void anEventForAnUnknownIdIsParkedWithNotFound() {
    String tenant = newTenantId();
    EventActions actions = processor(newOutbox()).build();
    actions.submit(new CallCompleted(tenant, "call-x", CustomerRef.byId("999999999"), START, Duration.ofSeconds(5),
        CallOutcome.NO_ANSWER, null));
    ProcessingReport report = actions.runOnce();
    assertThat(report.parked()).isEqualTo(1);
    assertThat(report.retried()).isZero();
    assertThat(actions.failed(tenant, 10)).singleElement().satisfies(e -> {
      assertThat(e.lastError()).startsWith("NotFoundException").contains("999999999");
      assertThat(e.attempts()).isEqualTo(1);
    });
  }

  // ----------------------------------------------------------------------------------- crash and rerun

  /**
   * Every default action, failing once after its writes (a worker that dies between the CRM's answer and
   * the outbox's completion), then run again: each write is made once.
   */
  @Test
  void everyDefaultActionRunAgainAfterFailingPastItsWritesWritesOnce() {
    String tenant = newTenantId();
    Customer c = ann(tenant);
    CustomerSystem s = system(tenant);
    Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
    ActionMapping mapping = ActionMapping.defaults();
    for (EventType type : EventType.values()) {
      EventAction original = mapping.actionFor(type).orElseThrow();
      mapping = mapping.with(type, (event, ctx) -> {
        original.perform(event, ctx);
        if (runs.computeIfAbsent(event.eventId(), k -> new AtomicInteger()).incrementAndGet() == 1) {
          throw new IllegalStateException("worker died after the writes of " + event.eventId());
        }
      });
    }
    EventActions actions = processor(newOutbox()).mapping(mapping).build();
    CustomerRef byId = CustomerRef.byId(c.id());
    List<HostEvent> events = List.of(
        new MessageReceived(tenant, "r-msg", ANN_PHONE, START, Channel.WHATSAPP, "again?", null),
        new AppointmentBooked(tenant, "r-appt", byId, START, "Massage", START.plus(Duration.ofDays(3)), null, null, null),
        new CallCompleted(tenant, "r-call", byId, START, Duration.ofSeconds(30), CallOutcome.VOICEMAIL, null),
        new DocumentSent(tenant, "r-doc", byId, START, "Invoice 9.pdf", null, null),
        new OrderPlaced(tenant, "r-order", byId, START, "ORD-9", Money.of("10", "USD"), START),
        CustomerUpdated.builder(tenant, "r-upd", byId, START).lastName("Lee-Smith").build());
    events.forEach(actions::submit);
    ProcessingReport first = actions.runOnce();
    assertThat(first.retried()).isEqualTo(events.size());
    clock.advance(Duration.ofSeconds(10));
    ProcessingReport second = actions.runOnce();
    assertThat(second.done()).isEqualTo(events.size());
    assertThat(runs.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(2));

    if (s.supports(Capability.DEALS)) {
      assertThat(s.listDeals(c.id(), PageRequest.first(10)).items()).hasSize(1);
    }
    if (s.supports(Capability.ORDERS)) {
      assertThat(s.require(c.id()).stats().totalOrders()).isEqualTo(1);
    }
    assertThat(s.require(c.id()).lastName()).isEqualTo("Lee-Smith");
    assumeTrue(s.supports(Capability.IDEMPOTENT_ACTIVITIES), "notes and activities are keyed only with IDEMPOTENT_ACTIVITIES");
    assertThat(activities(s, c.id(), ActivityType.MESSAGE_RECEIVED)).hasSize(1);
    assertThat(activities(s, c.id(), ActivityType.MEETING)).hasSize(1);
    assertThat(activities(s, c.id(), ActivityType.CALL)).hasSize(1);
    if (s.supports(Capability.NOTES)) {
      assertThat(s.listNotes(c.id(), PageRequest.first(10)).items()).hasSize(1);
    }
    if (!s.supports(Capability.ORDERS)) {
      assertThat(activities(s, c.id(), ActivityType.ORDER_PLACED)).hasSize(1);
    }
  }
}
