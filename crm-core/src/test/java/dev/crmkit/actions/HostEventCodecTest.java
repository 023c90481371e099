package dev.crmkit.actions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Channel;
import dev.crmkit.Money;
import dev.crmkit.Segment;
import dev.crmkit.error.ValidationException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostEventCodecTest {
  private static final Instant T = Instant.parse("2026-05-04T10:00:00.123Z");
  private static final CustomerRef REF = new CustomerRef("c-1", "+1 415 555 0100", "Ann@Example.com");

  static List<HostEvent> oneOfEach() {
    return List.of(
        new MessageReceived("acme", "m&1=2", REF, T, Channel.WHATSAPP, "Grüße 👋 a=b&c%d\nline two", "Ann Lee"),
        new MessageReceived("acme", "m-2", CustomerRef.byPhone("+14155550100"), T, Channel.SMS, null, null),
        new AppointmentBooked("acme", "a-1", REF, T, "Colour + cut", T.plusSeconds(86_400), Duration.ofMinutes(90),
            Money.of("120.50", "EUR"), "notes"),
        new AppointmentBooked("acme", "a-2", REF, T, "Consultation", T, null, null, null),
        new CallCompleted("acme", "c-1", REF, T, Duration.ofSeconds(245), CallOutcome.VOICEMAIL, "left a message"),
        new DocumentSent("acme", "d-1", REF, T, "Quote.pdf", "https://files.example.com/q?id=1&x=2", Channel.EMAIL),
        new DocumentSent("acme", "d-2", REF, T, "Contract", null, null),
        new OrderPlaced("acme", "o-1", REF, T, "ORD-1", Money.of("0.0001", "USD"), T.minusSeconds(5)),
        CustomerUpdated.builder("acme", "u-1", REF, T).firstName("Anne").company(null).segment(Segment.VIP)
            .customField("loyaltyId", "").customField("tier", null).build());
  }

  @Test
  void everyEventComesBackEqualToWhatWasWritten() {
    for (HostEvent e : oneOfEach()) {
      String text = HostEventCodec.encode(e);
      assertThat(text).startsWith("v=1&type=" + e.type().name() + "&");
      assertThat(HostEventCodec.decode(text)).isEqualTo(e);
    }
  }

  @Test
  void keysItDoesNotKnowAreIgnored() {
    HostEvent e = oneOfEach().get(4);
    String text = HostEventCodec.encode(e) + "&priority=high&x.y=1";
    assertThat(HostEventCodec.decode(text)).isEqualTo(e);
  }

  @Test
  void aNewerVersionIsRefusedNamingIt() {
    String text = HostEventCodec.encode(oneOfEach().get(4)).replace("v=1&", "v=2&");
    assertThatThrownBy(() -> HostEventCodec.decode(text)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("payload.v").hasMessageContaining("newer crmkit");
  }

  @Test
  void malformedTextIsRefusedWithTheKeyAtFault() {
    assertThatThrownBy(() -> HostEventCodec.decode(null)).isInstanceOf(ValidationException.class)
        .hasMessageContaining("payload");
    assertThatThrownBy(() -> HostEventCodec.decode("garbage")).hasMessageContaining("not a key=value pair");
    assertThatThrownBy(() -> HostEventCodec.decode("v=1&type=%ZZ")).hasMessageContaining("malformed %-escape");
    assertThatThrownBy(() -> HostEventCodec.decode("v=1&v=1")).hasMessageContaining("appears twice");
    assertThatThrownBy(() -> HostEventCodec.decode("v=1&type=TELEPATHY")).hasMessageContaining("payload.type");
    String call = HostEventCodec.encode(oneOfEach().get(4));
    assertThatThrownBy(() -> HostEventCodec.decode(call.replace("duration=PT4M5S", "duration=forever")))
        .hasMessageContaining("payload.duration").hasMessageContaining("forever");
    assertThatThrownBy(() -> HostEventCodec.decode(call.replace("outcome=VOICEMAIL", "outcome=SHRUG")))
        .hasMessageContaining("payload.outcome");
    // A value that decodes but breaks the event's own limits names the event's field.
    assertThatThrownBy(() -> HostEventCodec.decode(call.replace("eventId=c-1", "eventId=" + "x".repeat(201))))
        .isInstanceOf(ValidationException.class).hasMessageContaining("eventId");
  }
}
