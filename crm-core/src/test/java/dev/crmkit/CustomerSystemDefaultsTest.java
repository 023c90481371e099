package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.TestSystems.BareSystem;
import dev.crmkit.error.UnsupportedCapabilityException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The optional operations a provider does not override throw the typed exception naming provider and capability. */
class CustomerSystemDefaultsTest {

  static Stream<Arguments> optionalOperations() {
    return Stream.of(
        op(Capability.SEARCH, s -> s.search(CustomerQuery.builder().build())),
        op(Capability.DELETE, s -> s.delete("1")),
        op(Capability.RESTORE, s -> s.restore("1")),
        op(Capability.MERGE, s -> s.merge("1", "2")),
        op(Capability.DUPLICATE_DETECTION, s -> s.findDuplicates(10)),
        op(Capability.BATCH_UPSERT, s -> s.upsert(List.of())),
        op(Capability.NOTES, s -> s.addNote("1", null)),
        op(Capability.NOTES, s -> s.listNotes("1", PageRequest.first(10))),
        op(Capability.ACTIVITIES, s -> s.addActivity("1", null)),
        op(Capability.ACTIVITIES, s -> s.listActivities("1", PageRequest.first(10))),
        op(Capability.IDEMPOTENT_ACTIVITIES, s -> s.findActivity("key")),
        op(Capability.ORDERS, s -> s.recordOrder("1", null)),
        op(Capability.CHANGE_FEED, s -> s.changesSince(null, 10)));
  }

  private static Arguments op(Capability capability, Consumer<CustomerSystem> call) {
    return Arguments.of(capability, call);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("optionalOperations")
  void anOptionalOperationNotOverriddenThrowsNamingProviderAndCapability(Capability capability,
      Consumer<CustomerSystem> call) {
    try (CustomerSystem system = new BareSystem(new ProviderContext(TenantConfig.builder("acme", "bare").build(),
        Clock.systemUTC(), Map.of()))) {
      assertThatThrownBy(() -> call.accept(system))
          .isInstanceOfSatisfying(UnsupportedCapabilityException.class, e -> {
            assertThat(e.capability()).isEqualTo(capability);
            assertThat(e.provider()).isEqualTo("bare");
          })
          .hasMessage("provider 'bare' does not support " + capability);
    }
  }
}
