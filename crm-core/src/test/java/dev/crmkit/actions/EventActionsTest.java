package dev.crmkit.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.RateLimitedException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.memory.InMemoryCustomerSystem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The processor's rules on the memory provider: failures, retries, degraded actions, the poller. */
class EventActionsTest {
  private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");
  private final MutableTestClock clock = new MutableTestClock(T);

  private static final class MutableTestClock extends Clock {
    private Instant now;

    MutableTestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override public Instant instant() { return now; }
    @Override public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
    @Override public Clock withZone(java.time.ZoneId zone) { return this; }
  }

  private InMemoryCustomerSystem memory(String tenant) {
    return new InMemoryCustomerSystem(new ProviderContext(TenantConfig.builder(tenant, "memory").build(), clock, Map.of()));
  }

  private static CallCompleted call(String tenant, String id) {
    return new CallCompleted(tenant, id, CustomerRef.byPhone("+14155550100"), T, Duration.ofSeconds(30),
        CallOutcome.COMPLETED, null);
  }

  @Test
  void aPermanentErrorParksTheEventAtOnce() {
    InMemoryCustomerSystem s = memory("t1");
    AtomicInteger calls = new AtomicInteger();
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s).clock(clock)
        .mapping(ActionMapping.empty().with(EventType.CALL_COMPLETED, (e, c) -> {
          calls.incrementAndGet();
          throw ValidationException.of("summary", "x", "the CRM refused it");
        })).build();
    actions.submit(call("t1", "p-1"));
    ProcessingReport r = actions.runOnce();
    assertThat(r).isEqualTo(new ProcessingReport(1, 0, 0, 1, 0));
    assertThat(calls.get()).isEqualTo(1);
    assertThat(actions.failed("t1", 10)).singleElement()
        .satisfies(e -> assertThat(e.lastError()).startsWith("ValidationException").contains("summary"));
  }

  @Test
  void aTenantWithoutASystemIsAConfigurationErrorAndParks() {
    InMemoryCustomerSystem other = memory("other");
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox())
        .systems(t -> t.equals("none") ? null : other).clock(clock).build();
    actions.submit(call("none", "n-1"));
    actions.submit(call("wrong", "w-1"));
    assertThat(actions.runOnce().parked()).isEqualTo(2);
    assertThat(actions.status("none", "n-1").orElseThrow().lastError()).contains("no customer system for tenant");
    assertThat(actions.status("wrong", "w-1").orElseThrow().lastError()).contains("serves tenant");
  }

  @Test
  void aRateLimitIsRetriedNoSoonerThanTheVendorAsked() {
    InMemoryCustomerSystem s = memory("t2");
    AtomicInteger calls = new AtomicInteger();
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s).clock(clock)
        .jitter(0).backoff(Duration.ofSeconds(1), 2, Duration.ofMinutes(1))
        .mapping(ActionMapping.empty().with(EventType.CALL_COMPLETED, (e, c) -> {
          if (calls.incrementAndGet() == 1) {
            throw new RateLimitedException("429", "hubspot", Duration.ofSeconds(42), null, null);
          }
        })).build();
    actions.submit(call("t2", "rl-1"));
    assertThat(actions.runOnce().retried()).isEqualTo(1);
    assertThat(actions.status("t2", "rl-1").orElseThrow().nextAttemptAt()).isEqualTo(T.plusSeconds(42));
    clock.advance(Duration.ofSeconds(41));
    assertThat(actions.runOnce().claimed()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(actions.runOnce().done()).isEqualTo(1);
  }

  @Test
  void backoffGrowsByTheMultiplierUpToTheMaxAndJitterOnlyShortensIt() {
    EventActions.Builder b = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> null)
        .backoff(Duration.ofSeconds(10), 3, Duration.ofSeconds(60));
    EventActions exact = b.jitter(0).build();
    assertThat(exact.backoff(1)).isEqualTo(Duration.ofSeconds(10));
    assertThat(exact.backoff(2)).isEqualTo(Duration.ofSeconds(30));
    assertThat(exact.backoff(3)).isEqualTo(Duration.ofSeconds(60));
    EventActions jittered = b.jitter(0.2).random(() -> 0.5).build();
    assertThat(jittered.backoff(1)).isEqualTo(Duration.ofSeconds(9));
    EventActions most = b.jitter(1.0).random(() -> 0.999_999_9).build();
    assertThat(most.backoff(1)).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void storedErrorsDoNotCarrySecrets() {
    InMemoryCustomerSystem s = memory("t3");
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s).clock(clock)
        .maxAttempts(1)
        .mapping(ActionMapping.empty().with(EventType.CALL_COMPLETED, (e, c) -> {
          throw new IllegalStateException("GET https://api.example.com/x?access_token=s3cr3t&page=2 failed");
        })).build();
    actions.submit(call("t3", "s-1"));
    actions.runOnce();
    String error = actions.status("t3", "s-1").orElseThrow().lastError();
    assertThat(error).contains("access_token=***").contains("page=2").doesNotContain("s3cr3t")
        .startsWith("gave up after 1 attempts: IllegalStateException");
  }

  @Test
  void anEventTypeWithoutAnActionIsDoneWithAnOutcomeSayingSo() {
    InMemoryCustomerSystem s = memory("t4");
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s).clock(clock)
        .mapping(ActionMapping.empty()).build();
    actions.submit(call("t4", "u-1"));
    assertThat(actions.runOnce().done()).isEqualTo(1);
    assertThat(actions.status("t4", "u-1").orElseThrow().outcome()).contains("no action is mapped for CALL_COMPLETED");
  }

  @Test
  void aPayloadTheProcessorCannotReadIsParkedNotRetried() {
    InMemoryEventOutbox outbox = new InMemoryEventOutbox();
    outbox.appendRaw("t5", "raw-1", "CALL_COMPLETED", "v=1&type=CALL_COMPLETED&tenantId=t5", T);
    outbox.appendRaw("t5", "raw-2", "CALL_COMPLETED", HostEventCodec.encode(call("t6", "raw-2")), T);
    EventActions actions = EventActions.builder().outbox(outbox).systems(t -> null).clock(clock).build();
    assertThat(actions.runOnce().parked()).isEqualTo(2);
    assertThat(actions.runOnce().claimed()).isZero();
    assertThat(actions.status("t5", "raw-1").orElseThrow().lastError()).contains("unreadable event payload");
    assertThat(actions.status("t5", "raw-2").orElseThrow().lastError()).contains("names tenant t6");
  }

  @Test
  void withoutDealsAnAppointmentLogsOnlyTheMeetingAndSaysSo() {
    Limited s = new Limited(memory("t7"), EnumSet.of(Capability.DEALS, Capability.ORDERS, Capability.NOTES));
    Customer c = s.create(CustomerDraft.builder().email("ann@example.com").build());
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s).clock(clock).build();
    CustomerRef ann = CustomerRef.byEmail("ann@example.com");
    actions.submit(new AppointmentBooked("t7", "a-1", ann, T, "Cut", T.plusSeconds(3600), null, null, null));
    actions.submit(new OrderPlaced("t7", "o-1", ann, T, "ORD-1", Money.of("5", "EUR"), null));
    actions.submit(new DocumentSent("t7", "d-1", ann, T, "Quote.pdf", null, null));
    assertThat(actions.runOnce().done()).isEqualTo(3);
    assertThat(actions.status("t7", "a-1").orElseThrow().outcome()).contains("no deal: memory has no DEALS capability")
        .contains("meeting activity");
    assertThat(actions.status("t7", "o-1").orElseThrow().outcome()).contains("stats unchanged").contains("ORDERS");
    assertThat(actions.status("t7", "d-1").orElseThrow().outcome()).contains("instead of a note");
    assertThat(s.listActivities(c.id(), PageRequest.first(10)).items()).extracting(CustomerActivity::type)
        .containsExactlyInAnyOrder(ActivityType.MEETING, ActivityType.ORDER_PLACED, ActivityType.OTHER);
    assertThat(s.require(c.id()).stats().totalOrders()).isZero();
  }

  @Test
  void anUnknownEmailIsCreatedByThePolicyOnce() {
    InMemoryCustomerSystem s = memory("t8");
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s).clock(clock).build();
    actions.submit(new DocumentSent("t8", "d-1", CustomerRef.byEmail("new@example.com"), T, "Welcome.pdf", null, null));
    actions.submit(new DocumentSent("t8", "d-2", CustomerRef.byEmail("new@example.com"), T, "Terms.pdf", null, null));
    assertThat(actions.runOnce().done()).isEqualTo(2);
    Customer created = s.findByEmail("new@example.com").orElseThrow();
    assertThat(created.tags()).contains("auto-created", "channel:email");
    assertThat(s.listNotes(created.id(), PageRequest.first(10)).items()).hasSize(2);
    assertThat(actions.status("t8", "d-1").orElseThrow().outcome()).contains("created by the tenant's AutoCreatePolicy");
  }

  @Test
  void theBuilderRefusesBadSettingsNamingThem() {
    assertThatThrownBy(() -> EventActions.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outbox");
    assertThatThrownBy(() -> EventActions.builder().outbox(new InMemoryEventOutbox()).build())
        .hasMessageContaining("systems");
    assertThatThrownBy(() -> EventActions.builder().maxAttempts(0)).hasMessageContaining("maxAttempts");
    assertThatThrownBy(() -> EventActions.builder().backoff(Duration.ZERO, 2, Duration.ofSeconds(1)))
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> EventActions.builder().backoff(Duration.ofSeconds(2), 0.5, Duration.ofSeconds(3)))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> EventActions.builder().backoff(Duration.ofSeconds(2), 2, Duration.ofSeconds(1)))
        .hasMessageContaining("max backoff");
    assertThatThrownBy(() -> EventActions.builder().jitter(1.5)).hasMessageContaining("jitter");
    assertThatThrownBy(() -> EventActions.builder().lease(Duration.ZERO)).hasMessageContaining("lease");
    assertThatThrownBy(() -> EventActions.builder().batchSize(1001)).hasMessageContaining("batchSize");
    assertThatThrownBy(() -> EventActions.builder().workerId(" ")).hasMessageContaining("workerId");
    assertThatThrownBy(() -> EventActions.builder().pollInterval(Duration.ofMillis(1))).hasMessageContaining("pollInterval");
    EventActions a = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> null).build();
    assertThatThrownBy(() -> a.submit(null)).isInstanceOf(ValidationException.class).hasMessageContaining("event");
    assertThat(a.workerId()).startsWith("pid");
  }

  @Test
  void thePollerProcessesWhatIsSubmittedUntilClosed() throws Exception {
    InMemoryCustomerSystem s = new InMemoryCustomerSystem(
        new ProviderContext(TenantConfig.builder("t9", "memory").build(), Clock.systemUTC(), Map.of()));
    java.util.concurrent.CountDownLatch handled = new java.util.concurrent.CountDownLatch(1);
    EventActions actions = EventActions.builder().outbox(new InMemoryEventOutbox()).systems(t -> s)
        .mapping(ActionMapping.defaults().andThen(EventType.CALL_COMPLETED, (e, c) -> handled.countDown()))
        .pollInterval(Duration.ofHours(1)).build();
    actions.start();
    assertThatThrownBy(actions::start).isInstanceOf(IllegalStateException.class);
    actions.submit(new CallCompleted("t9", "poll-1", CustomerRef.byPhone("+14155550100"), Instant.now(),
        Duration.ofSeconds(3), CallOutcome.BUSY, null));
    assertThat(handled.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    actions.close();
    actions.close();
    assertThat(actions.status("t9", "poll-1").orElseThrow().status()).isEqualTo(OutboxStatus.DONE);
    assertThatThrownBy(actions::start).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  /** A memory system that hides some capabilities, as a back end without them would. */
  private static final class Limited implements CustomerSystem {
    private final InMemoryCustomerSystem d;
    private final Set<Capability> capabilities;

    Limited(InMemoryCustomerSystem delegate, Set<Capability> hidden) {
      this.d = delegate;
      EnumSet<Capability> caps = EnumSet.copyOf(delegate.capabilities());
      caps.removeAll(hidden);
      this.capabilities = caps;
    }

    @Override public String providerName() { return d.providerName(); }
    @Override public String tenantId() { return d.tenantId(); }
    @Override public Set<Capability> capabilities() { return capabilities; }
    @Override public Optional<Customer> get(String id) { return d.get(id); }
    @Override public Optional<Customer> findByEmail(String email) { return d.findByEmail(email); }
    @Override public Optional<Customer> findByPhone(String phone) { return d.findByPhone(phone); }
    @Override public Customer create(CustomerDraft draft) { return d.create(draft); }
    @Override public Customer update(String id, CustomerUpdate update) { return d.update(id, update); }
    @Override public CustomerActivity addActivity(String id, ActivityDraft a) { return d.addActivity(id, a); }
    @Override public Page<CustomerActivity> listActivities(String id, PageRequest p) { return d.listActivities(id, p); }
    @Override public Optional<CustomerActivity> findActivity(String key) { return d.findActivity(key); }
    @Override public void close() { d.close(); }
  }
}
