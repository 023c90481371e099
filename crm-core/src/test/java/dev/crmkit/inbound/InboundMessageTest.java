package dev.crmkit.inbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Channel;
import dev.crmkit.error.ValidationException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InboundMessageTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  @Test
  void rejectsEachMissingPartNamingIt() {
    assertThatThrownBy(() -> new InboundMessage(" ", Channel.SMS, "1", null, null, "m", NOW)).hasMessageContaining("tenantId");
    assertThatThrownBy(() -> new InboundMessage("t", null, "1", null, null, "m", NOW)).hasMessageContaining("channel");
    assertThatThrownBy(() -> new InboundMessage("t", Channel.SMS, "", null, null, "m", NOW)).hasMessageContaining("from");
    assertThatThrownBy(() -> new InboundMessage("t", Channel.SMS, "1", null, null, null, NOW)).hasMessageContaining("messageId");
    assertThatThrownBy(() -> new InboundMessage("t", Channel.SMS, "1", null, null, "m".repeat(201), NOW))
        .isInstanceOf(ValidationException.class).hasMessageContaining("messageId");
    assertThatThrownBy(() -> new InboundMessage("t", Channel.SMS, "1", null, null, "m", null))
        .isInstanceOf(ValidationException.class).hasMessageContaining("receivedAt");
  }

  @Test
  void tellsEmailSendersFromPhoneSenders() {
    assertThat(new InboundMessage("t", Channel.EMAIL, "a@b.co", null, null, "m", NOW).fromEmail()).isTrue();
    assertThat(new InboundMessage("t", Channel.WEB, "a@b.co", null, null, "m", NOW).fromEmail()).isTrue();
    assertThat(new InboundMessage("t", Channel.SMS, " +1 415 555 0100 ", " ", null, "m", NOW))
        .satisfies(m -> {
          assertThat(m.fromEmail()).isFalse();
          assertThat(m.from()).isEqualTo("+1 415 555 0100");
          assertThat(m.senderName()).isNull();
        });
  }
}
