package dev.crmkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The memory provider holds values to the native store's limits, so tests against it hold in production. */
class InMemoryInputLimitsTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Instant FAR = Instant.parse("2999-01-01T00:00:00Z");

  private final CustomerSystem system = new InMemoryCustomerSystemProvider().create(new ProviderContext(
      TenantConfig.builder("shop", "memory").build(), Clock.fixed(NOW, ZoneOffset.UTC), Map.of()));
  private final Customer ada = system.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());

  private static CustomerDraft raw(String firstName, String email, Map<String, String> customFields) {
    return new CustomerDraft(firstName, null, email, null, null, null, null, null, null, null, null, customFields,
        null, null);
  }

  private static FieldError rejection(ThrowingCallable call) {
    Throwable thrown = catchThrowable(call);
    assertThat(thrown).isInstanceOf(ValidationException.class);
    return ((ValidationException) thrown).fieldErrors().get(0);
  }

  @Test
  void anOverLongCustomFieldValueOrABadCharacterRejectsItsDraftAloneInAnUpsert() {
    List<UpsertOutcome> out = system.upsert(List.of(
        raw("Before", "before@example.com", Map.of()),
        raw("Huge", "huge@example.com", Map.of("bio", "x".repeat(1_000_001))),
        raw("Nul\u0000", "nul@example.com", Map.of()),
        raw("After", "after@example.com", Map.of())));

    assertThat(out).extracting(UpsertOutcome::status).containsExactly(UpsertOutcome.Status.CREATED,
        UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.REJECTED, UpsertOutcome.Status.CREATED);
    assertThat(((ValidationException) out.get(1).error()).fieldErrors().get(0).field()).isEqualTo("customFields.bio");
    assertThat(((ValidationException) out.get(2).error()).fieldErrors().get(0).field()).isEqualTo("firstName");
    assertThat(system.findByEmail("huge@example.com")).isEmpty();
    assertThat(system.findByEmail("after@example.com")).isPresent();
  }

  @Test
  void aMessageDatedTooFarAheadIsRejectedAndLastContactKeepsMovingWithLaterMessages() {
    FieldError e = rejection(() -> system.logInteraction(ada.id(), new ActivityDraft(ActivityType.MESSAGE_RECEIVED,
        Channel.SMS, "from the future", FAR, null, "sms:future")));

    assertThat(e.field()).isEqualTo("occurredAt");
    assertThat(e.message()).contains("24 hours ahead");
    assertThat(system.findActivity("sms:future")).isEmpty();
    assertThat(system.require(ada.id()).lastContactAt()).isNull();
    Instant skewed = NOW.plus(Duration.ofHours(23));
    assertThat(system.logInteraction(ada.id(), new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "ok",
        skewed, null, "sms:ok")).customer().lastContactAt()).isEqualTo(skewed);
    assertThat(rejection(() -> system.update(ada.id(), CustomerUpdate.builder().lastContactAt(FAR).build())).field())
        .isEqualTo("lastContactAt");
    assertThat(rejection(() -> system.create(CustomerDraft.builder().firstName("T").lastContactAt(FAR).build()))
        .field()).isEqualTo("lastContactAt");
    assertThat(rejection(() -> system.addNote(ada.id(), new NoteDraft("n", null, FAR))).field()).isEqualTo("createdAt");
    assertThat(rejection(() -> system.recordOrder(ada.id(), new OrderDraft("o-1", Money.of("1", "USD"), FAR)))
        .field()).isEqualTo("placedAt");
    assertThat(system.require(ada.id()).lastContactAt()).isEqualTo(skewed);
    assertThat(system.listNotes(ada.id(), PageRequest.first()).items()).isEmpty();
    assertThat(system.require(ada.id()).stats().totalOrders()).isZero();
  }

  @Test
  void anUpdateThatSkipsTheBuilderIsStillHeldToTheLimits() {
    Customer wanted = ada.toBuilder().company("c".repeat(256)).build();

    FieldError e = rejection(() -> system.update(ada.id(), CustomerUpdate.between(ada, wanted)));

    assertThat(e.field()).isEqualTo("company");
    assertThat(system.require(ada.id()).company()).isNull();
  }
}
