package dev.crmkit.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Channel;
import dev.crmkit.Money;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostEventValidationTest {
  private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");
  private static final CustomerRef REF = CustomerRef.byEmail("ann@example.com");

  private static ValidationException rejected(Runnable r) {
    try {
      r.run();
    } catch (ValidationException e) {
      return e;
    }
    throw new AssertionError("not rejected");
  }

  @Test
  void eventIdsAreOneTo200CharactersAndNotBlank() {
    assertThat(new CallCompleted("t", "x".repeat(200), REF, T, Duration.ZERO, CallOutcome.BUSY, null).eventId())
        .hasSize(200);
    assertThat(rejected(() -> new CallCompleted("t", "x".repeat(201), REF, T, Duration.ZERO, CallOutcome.BUSY, null))
        .fieldErrors()).extracting(FieldError::field).containsExactly("eventId");
    assertThat(rejected(() -> new CallCompleted("t", " ", REF, T, Duration.ZERO, CallOutcome.BUSY, null)).getMessage())
        .contains("eventId");
  }

  @Test
  void everyBadFieldOfAnEventIsNamedAtOnce() {
    ValidationException e = rejected(() -> new CallCompleted(" acme", null, null, null, Duration.ofSeconds(-1),
        null, "a\u0000b"));
    assertThat(e.fieldErrors()).extracting(FieldError::field)
        .containsExactlyInAnyOrder("tenantId", "eventId", "customer", "occurredAt", "duration", "outcome", "summary");
  }

  @Test
  void customerReferencesNeedAnIdPhoneOrEmailThatCanBeRead() {
    assertThat(rejected(() -> new CustomerRef(null, " ", null)).getMessage()).contains("customer");
    assertThat(rejected(() -> CustomerRef.byPhone("call me")).getMessage()).contains("customer.phone");
    assertThat(rejected(() -> CustomerRef.byEmail("not-an-email")).getMessage()).contains("customer.email");
    assertThat(rejected(() -> CustomerRef.byId("x".repeat(256))).getMessage()).contains("customer.id");
    assertThat(CustomerRef.byEmail("Ann@Example.COM").email()).isEqualTo("ann@example.com");
  }

  @Test
  void eachEventChecksItsOwnFields() {
    assertThat(rejected(() -> new DocumentSent("t", "d", REF, T, "Q.pdf", "ftp://x/y", null)).getMessage())
        .contains("url");
    assertThat(rejected(() -> new OrderPlaced("t", "o", REF, T, "ORD", Money.of("-1", "EUR"), null)).getMessage())
        .contains("amount");
    assertThat(new OrderPlaced("t", "o", REF, T, "ORD", Money.of("1", "EUR"), null).placedAt()).isEqualTo(T);
    assertThat(rejected(() -> new AppointmentBooked("t", "a", REF, T, "", null, Duration.ofDays(40), null, null))
        .fieldErrors()).extracting(FieldError::field).containsExactlyInAnyOrder("title", "startsAt", "duration");
    assertThat(rejected(() -> new MessageReceived("t", "m", REF, T, null, "x".repeat(65_537), null))
        .fieldErrors()).extracting(FieldError::field).containsExactlyInAnyOrder("channel", "text");
  }

  @Test
  void customerUpdatesNameTheFieldTheyCannotChange() {
    assertThat(rejected(() -> new CustomerUpdated("t", "u", REF, T, Map.of())).getMessage()).contains("changes");
    assertThat(rejected(() -> new CustomerUpdated("t", "u", REF, T, Map.of("shoeSize", "44"))).getMessage())
        .contains("shoeSize").contains("firstName");
    assertThat(rejected(() -> CustomerUpdated.builder("t", "u", REF, T).email("nope").build()).getMessage())
        .contains("changes.email");
    assertThat(rejected(() -> new CustomerUpdated("t", "u", REF, T, Map.of("segment", "GOLD"))).getMessage())
        .contains("changes.segment").contains("VIP");
    CustomerUpdated ok = CustomerUpdated.builder("t", "u", REF, T).preferredChannel(Channel.SMS).build();
    assertThat(ok.changes()).containsEntry("preferredChannel", "SMS");
  }
}
