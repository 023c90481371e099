package dev.crmkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.crmkit.Channel;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.memory.InMemoryCustomerSystem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad inbound input is a {@link ValidationException} naming the field, and writes nothing. */
class FirstContactInputsTest {
  private static final Instant T0 = Instant.parse("2026-11-21T09:00:00Z");
  private final CustomerSystem system = new InMemoryCustomerSystem(new ProviderContext(
      TenantConfig.builder("shop", "memory").build(), Clock.fixed(T0, ZoneOffset.UTC), Map.of()));
  private final FirstContactHandler handler = FirstContactHandler.builder(system).build();

  private static InboundMessage sms(String id, String text, Instant at) {
    return new InboundMessage("shop", Channel.SMS, "+1 415 555 0100", "Ada Lovelace", text, id, at);
  }

  @Test
  void handlingNoMessageIsAValidationErrorNamingIt() {
    Throwable e = catchThrowable(() -> handler.handle(null));

    assertThat(e).isInstanceOfSatisfying(ValidationException.class,
        v -> assertThat(v.fieldErrors().get(0).field()).isEqualTo("message"));
  }

  @Test
  void aMessageDatedInTheYear2999CreatesNothingAndLaterMessagesSetLastContact() {
    Throwable e = catchThrowable(() -> handler.handle(sms("SM-1", "hi", Instant.parse("2999-01-01T00:00:00Z"))));

    assertThat(e).isInstanceOf(ValidationException.class);
    assertThat(system.search(CustomerQuery.builder().build()).items()).isEmpty();
    FirstContactResult next = handler.handle(sms("SM-2", "hi again", T0));
    assertThat(next.outcome()).isEqualTo(Outcome.CREATED);
    assertThat(next.customer().lastContactAt()).isEqualTo(T0);
    Instant skewed = T0.plus(Duration.ofHours(20));
    assertThat(handler.handle(sms("SM-3", "clock ahead", skewed)).customer().lastContactAt()).isEqualTo(skewed);
  }

  @Test
  void aLongTextIsCutBetweenCodePointsSoItsEmojiIsNotSplitIntoALoneSurrogate() {
    String text = "a".repeat(1_998) + "\uD83D\uDE00" + "b".repeat(100);

    FirstContactResult result = handler.handle(sms("SM-9", text, T0));

    String description = result.activity().description();
    assertThat(description).endsWith("a…").hasSize(1_999);
  }
}
