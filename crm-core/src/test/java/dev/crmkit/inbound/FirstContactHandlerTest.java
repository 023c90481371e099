package dev.crmkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.memory.InMemoryCustomerSystem;
import dev.crmkit.policy.AutoCreatePolicy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FirstContactHandlerTest {
  private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
  private final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
  private final CustomerSystem system = new InMemoryCustomerSystem(
      new ProviderContext(TenantConfig.builder("shop", "memory").build(), clock, Map.of()));
  private final FirstContactHandler handler = FirstContactHandler.builder(system).build();
  private final ExecutorService pool = Executors.newFixedThreadPool(16);

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  private static InboundMessage sms(String from, String id, Instant at) {
    return new InboundMessage("shop", Channel.SMS, from, null, "Is Friday free?", id, at);
  }

  private List<CustomerActivity> activities(String customerId) {
    return system.listActivities(customerId, PageRequest.first(100)).stream().toList();
  }

  @Test
  void anUnknownSenderBecomesACustomerWithTheMessageLogged() {
    FirstContactResult result = handler.handle(new InboundMessage(
        "shop", Channel.WHATSAPP, "+1 (415) 555-0100", "Ada Lovelace", "Hello", "wamid.1", T0));

    assertThat(result.outcome()).isEqualTo(Outcome.CREATED);
    Customer customer = result.customer();
    assertThat(customer.phone()).isEqualTo("+14155550100");
    assertThat(customer.fullName()).isEqualTo("Ada Lovelace");
    assertThat(customer.tags()).contains("auto-created", "first-contact", "channel:whatsapp");
    assertThat(customer.lastContactAt()).isEqualTo(T0);
    assertThat(activities(customer.id())).singleElement().satisfies(a -> {
      assertThat(a.type()).isEqualTo(ActivityType.MESSAGE_RECEIVED);
      assertThat(a.channel()).isEqualTo(Channel.WHATSAPP);
      assertThat(a.description()).isEqualTo("Hello");
      assertThat(a.occurredAt()).isEqualTo(T0);
      assertThat(a.metadata()).containsEntry("messageId", "wamid.1");
      assertThat(a.idempotencyKey()).isEqualTo("msg:whatsapp:wamid.1");
    });
  }

  @Test
  void aKnownSenderWritingTheNumberAnotherWayIsMatchedAndLastContactMovesForward() {
    Customer known = system.create(CustomerDraft.builder().firstName("Bo").phone("415.555.0100").build());

    FirstContactResult result = handler.handle(sms("001-415-555-0100", "SM1", T0.plusSeconds(60)));

    assertThat(result.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(result.customer().id()).isEqualTo(known.id());
    assertThat(result.customer().lastContactAt()).isEqualTo(T0.plusSeconds(60));
    assertThat(activities(known.id())).hasSize(1);
  }

  @Test
  void anOlderMessageDoesNotMoveLastContactBack() {
    handler.handle(sms("4155550100", "SM1", T0.plusSeconds(60)));

    FirstContactResult late = handler.handle(sms("4155550100", "SM0", T0));

    assertThat(late.customer().lastContactAt()).isEqualTo(T0.plusSeconds(60));
  }

  @Test
  void anEmailSenderIsMatchedCaseInsensitively() {
    Customer known = system.create(CustomerDraft.builder().email("grace@example.com").build());

    FirstContactResult result = handler.handle(
        new InboundMessage("shop", Channel.EMAIL, " Grace@EXAMPLE.com ", "Grace", "Hi", "<m1@example.com>", T0));

    assertThat(result.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(result.customer().id()).isEqualTo(known.id());
  }

  @Test
  void aRedeliveredMessageIsADuplicateAndWritesNothing() {
    FirstContactResult first = handler.handle(sms("4155550100", "SM1", T0));

    FirstContactResult again = handler.handle(sms("(415) 555-0100", "SM1", T0.plusSeconds(5)));

    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(again.customer().id()).isEqualTo(first.customer().id());
    assertThat(again.activity()).isEqualTo(first.activity());
    assertThat(activities(first.customer().id())).hasSize(1);
  }

  @Test
  void aKnownSenderCostsNoSeparateLookUpOfTheMessageIdAndARedeliveryIsStillADuplicate() {
    handler.handle(sms("4155550100", "SM1", T0));
    List<String> calls = new ArrayList<>();
    FirstContactHandler watched = FirstContactHandler.builder(recordingCalls(system, calls)).build();

    FirstContactResult next = watched.handle(sms("(415) 555-0100", "SM2", T0.plusSeconds(5)));
    FirstContactResult again = watched.handle(sms("415 555 0100", "SM2", T0.plusSeconds(9)));

    assertThat(next.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(again.activity()).isEqualTo(next.activity());
    // logInteraction decides duplicates itself: a look-up of the key first is one more round trip.
    assertThat(calls).doesNotContain("findActivity");
    assertThat(activities(next.customer().id())).hasSize(2);
  }

  @Test
  void aRedeliveryAfterItsCustomerWasDeletedIsADuplicateAndCreatesNobody() {
    FirstContactResult first = handler.handle(sms("4155550100", "SM1", T0));
    system.delete(first.customer().id());

    FirstContactResult again = handler.handle(sms("4155550100", "SM1", T0.plusSeconds(5)));

    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(again.activity()).isEqualTo(first.activity());
    assertThat(system.findByPhone("4155550100")).isEmpty();
  }

  @Test
  void theSameMessageIdOnAnotherChannelIsAnotherMessage() {
    handler.handle(sms("4155550100", "42", T0));

    FirstContactResult whatsapp = handler.handle(
        new InboundMessage("shop", Channel.WHATSAPP, "4155550100", null, "hi", "42", T0));

    assertThat(whatsapp.outcome()).isEqualTo(Outcome.MATCHED);
  }

  @Test
  void aPolicyThatCreatesNobodyIgnoresUnknownSendersAndWritesNothing() {
    FirstContactHandler strict = FirstContactHandler.builder(system).policy(AutoCreatePolicy.never()).build();

    FirstContactResult result = strict.handle(sms("4155550100", "SM1", T0));

    assertThat(result.outcome()).isEqualTo(Outcome.IGNORED);
    assertThat(result.customer()).isNull();
    assertThat(system.search(CustomerQuery.builder().build()).items()).isEmpty();
  }

  @Test
  void aMessageForAnotherTenantIsRejectedNamingTheTenant() {
    assertThatThrownBy(() -> handler.handle(new InboundMessage("other", Channel.SMS, "4155550100", null, null, "SM1", T0)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("tenantId").hasMessageContaining("other");
  }

  @Test
  void aMalformedSenderIsRejectedNamingFromAndNothingIsWritten() {
    assertThatThrownBy(() -> handler.handle(sms("call me maybe", "SM1", T0)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("from").hasMessageContaining("call me maybe");
    assertThatThrownBy(() -> handler.handle(new InboundMessage("shop", Channel.EMAIL, "a@b", null, null, "E1", T0)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("from");
    assertThat(system.search(CustomerQuery.builder().build()).items()).isEmpty();
  }

  @Test
  void twoFirstMessagesFromOneNewNumberAtTheSameMomentCreateOneCustomer() throws Exception {
    List<FirstContactResult> results = concurrently(16, i -> handler.handle(sms("+1 415 555 0100", "SM" + i, T0)));

    assertThat(results).extracting(r -> r.customer().id()).containsOnly(results.get(0).customer().id());
    assertThat(results).filteredOn(FirstContactResult::created).hasSize(1);
    assertThat(activities(results.get(0).customer().id())).hasSize(16);
  }

  @Test
  void handlersInDifferentProcessesStillCreateOneCustomerPerNumber() throws Exception {
    // Separate handlers share no locks, like two JVMs: the store's unique phone key decides.
    List<FirstContactResult> results = concurrently(16,
        i -> FirstContactHandler.builder(system).build().handle(sms("4155550100", "SM" + i, T0)));

    assertThat(results).extracting(r -> r.customer().id()).containsOnly(results.get(0).customer().id());
    assertThat(results).filteredOn(FirstContactResult::created).hasSize(1);
  }

  @Test
  void oneMessageDeliveredConcurrentlyToManyHandlersIsLoggedOnce() throws Exception {
    List<FirstContactResult> results = concurrently(8,
        i -> FirstContactHandler.builder(system).build().handle(sms("4155550100", "SM-same", T0)));

    String customerId = results.get(0).customer().id();
    assertThat(activities(customerId)).hasSize(1);
    assertThat(results).extracting(r -> r.activity().id()).containsOnly(activities(customerId).get(0).id());
  }

  @Test
  void withoutDurableIdempotencyTheHandlerStillDropsRedeliveriesItHasSeen() {
    CustomerSystem noIdempotency = withoutIdempotentActivities(system);
    FirstContactHandler local = FirstContactHandler.builder(noIdempotency).build();

    FirstContactResult first = local.handle(sms("4155550100", "SM1", T0));
    FirstContactResult again = local.handle(sms("4155550100", "SM1", T0));

    assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(again.customer().id()).isEqualTo(first.customer().id());
  }

  @Test
  void aSystemWithoutActivitiesIsRefusedAtBuild() {
    CustomerSystem noActivities = (CustomerSystem) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {CustomerSystem.class}, (proxy, method, args) -> switch (method.getName()) {
          case "capabilities" -> Set.of();
          case "supports" -> false;
          case "providerName" -> "bare";
          default -> throw new AssertionError(method.getName());
        });

    assertThatThrownBy(() -> FirstContactHandler.builder(noActivities))
        .isInstanceOf(UnsupportedCapabilityException.class).hasMessageContaining("ACTIVITIES");
  }

  private interface Task {
    FirstContactResult run(int i) throws Exception;
  }

  private List<FirstContactResult> concurrently(int n, Task task) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Future<FirstContactResult>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int index = i;
      Callable<FirstContactResult> call = () -> {
        start.await();
        return task.run(index);
      };
      futures.add(pool.submit(call));
    }
    start.countDown();
    List<FirstContactResult> results = new ArrayList<>();
    for (Future<FirstContactResult> f : futures) {
      results.add(f.get(30, TimeUnit.SECONDS));
    }
    return results;
  }

  /** The system, with the name of every method called on it added to {@code calls}. */
  private static CustomerSystem recordingCalls(CustomerSystem delegate, List<String> calls) {
    return (CustomerSystem) Proxy.newProxyInstance(CustomerSystem.class.getClassLoader(),
        new Class<?>[] {CustomerSystem.class}, (proxy, method, args) -> {
          calls.add(method.getName());
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static CustomerSystem withoutIdempotentActivities(CustomerSystem delegate) {
    Set<Capability> reduced = EnumSet.copyOf(delegate.capabilities());
    reduced.remove(Capability.IDEMPOTENT_ACTIVITIES);
    return (CustomerSystem) Proxy.newProxyInstance(CustomerSystem.class.getClassLoader(),
        new Class<?>[] {CustomerSystem.class}, (proxy, method, args) -> {
          switch (method.getName()) {
            case "capabilities": return reduced;
            case "supports": return reduced.contains((Capability) args[0]);
            case "findActivity": throw new UnsupportedCapabilityException("memory", Capability.IDEMPOTENT_ACTIVITIES);
            default:
              try {
                return method.invoke(delegate, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
          }
        });
  }
}
