package dev.crmkit.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.Channel;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Segment;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.InboundMessage;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AutoCreatePolicyTest {
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");

  private static InboundMessage message(Channel channel, String from, String name) {
    return new InboundMessage("t1", channel, from, name, "hello", "m-1", NOW);
  }

  @Test
  void standardPolicyCreatesATaggedProspectFromAPhoneSender() {
    CustomerDraft draft = AutoCreatePolicy.standard().draftFor(message(Channel.WHATSAPP, "+1 415 555 0100", "Ada Lovelace"));

    assertThat(draft.phone()).isEqualTo("+1 415 555 0100");
    assertThat(draft.email()).isNull();
    assertThat(draft.firstName()).isEqualTo("Ada");
    assertThat(draft.lastName()).isEqualTo("Lovelace");
    assertThat(draft.segment()).isEqualTo(Segment.PROSPECT);
    assertThat(draft.preferredChannel()).isEqualTo(Channel.WHATSAPP);
    assertThat(draft.tags()).containsExactlyInAnyOrder("auto-created", "first-contact", "channel:whatsapp");
    assertThat(draft.lastContactAt()).isEqualTo(NOW);
  }

  @Test
  void standardPolicyUsesTheEmailOfAnEmailSenderAndLeavesTheNameUnknownWithoutADisplayName() {
    CustomerDraft draft = AutoCreatePolicy.standard().draftFor(message(Channel.EMAIL, "Grace@Example.COM", null));

    assertThat(draft.email()).isEqualTo("grace@example.com");
    assertThat(draft.phone()).isNull();
    assertThat(draft.firstName()).isNull();
    assertThat(draft.lastName()).isNull();
  }

  @Test
  void aSingleWordDisplayNameBecomesTheFirstName() {
    assertThat(AutoCreatePolicy.standard().draftFor(message(Channel.SMS, "4155550100", "Cher")).firstName()).isEqualTo("Cher");
  }

  @Test
  void builtPolicyRestrictsChannelsAndAppliesItsDefaults() {
    AutoCreatePolicy policy = AutoCreatePolicy.builder()
        .channels(Set.of(Channel.SMS)).segment(Segment.VIP).tags(Set.of("walk-in")).channelTag(false).language("pt-br").build();

    CustomerDraft sms = policy.draftFor(message(Channel.SMS, "4155550100", null));

    assertThat(policy.draftFor(message(Channel.EMAIL, "a@b.co", null))).isNull();
    assertThat(sms.segment()).isEqualTo(Segment.VIP);
    assertThat(sms.tags()).containsExactly("walk-in");
    assertThat(sms.language()).isEqualTo("pt-BR");
  }

  @Test
  void neverCreatesNobody() {
    assertThat(AutoCreatePolicy.never().draftFor(message(Channel.SMS, "4155550100", "X"))).isNull();
  }

  @Test
  void aLambdaIsAPolicy() {
    AutoCreatePolicy onlyWhatsApp = m -> m.channel() == Channel.WHATSAPP ? AutoCreatePolicy.standard().draftFor(m) : null;

    assertThat(onlyWhatsApp.draftFor(message(Channel.SMS, "4155550100", null))).isNull();
    assertThat(onlyWhatsApp.draftFor(message(Channel.WHATSAPP, "4155550100", null))).isNotNull();
  }

  @Test
  void buildingWithABlankTagOrBadLanguageFailsAtBuildNamingTheField() {
    assertThatThrownBy(() -> AutoCreatePolicy.builder().tags(Set.of(" ")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tags");
    assertThatThrownBy(() -> AutoCreatePolicy.builder().language("not a tag!").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("language").hasMessageContaining("not a tag!");
    assertThatThrownBy(() -> AutoCreatePolicy.builder().tags(null)).isInstanceOf(NullPointerException.class).hasMessage("tags");
    assertThatThrownBy(() -> AutoCreatePolicy.builder().channels(null)).isInstanceOf(NullPointerException.class).hasMessage("channels");
    assertThatThrownBy(() -> AutoCreatePolicy.builder().segment(null)).isInstanceOf(NullPointerException.class).hasMessage("segment");
  }

  @Test
  void aMalformedEmailSenderIsRejectedNamingTheValue() {
    assertThatThrownBy(() -> AutoCreatePolicy.standard().draftFor(message(Channel.EMAIL, "nobody@nowhere", null)))
        .isInstanceOf(ValidationException.class).hasMessageContaining("nobody@nowhere");
  }

  /** A system holding every capability but the ones left out; only what the policy asks is answered. */
  private static dev.crmkit.CustomerSystem systemWithout(dev.crmkit.Capability missing) {
    java.util.Set<dev.crmkit.Capability> caps = java.util.EnumSet.allOf(dev.crmkit.Capability.class);
    caps.remove(missing);
    return (dev.crmkit.CustomerSystem) java.lang.reflect.Proxy.newProxyInstance(AutoCreatePolicyTest.class.getClassLoader(),
        new Class<?>[] {dev.crmkit.CustomerSystem.class}, (proxy, method, args) -> switch (method.getName()) {
          case "capabilities" -> caps;
          case "supports" -> caps.contains(args[0]);
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void aSystemWithoutTagsGetsThePolicysDraftWithoutItsTagsAndOtherwiseUnchanged() {
    InboundMessage sms = message(Channel.SMS, "+1 415 555 0100", "Ada Lovelace");

    CustomerDraft untagged = AutoCreatePolicy.standard().draftFor(sms, systemWithout(dev.crmkit.Capability.TAGS));
    CustomerDraft tagged = AutoCreatePolicy.standard().draftFor(sms, systemWithout(dev.crmkit.Capability.MERGE));

    assertThat(untagged.tags()).isEmpty();
    assertThat(untagged.phone()).isEqualTo("+1 415 555 0100");
    assertThat(untagged.segment()).isEqualTo(Segment.PROSPECT);
    assertThat(tagged.tags()).containsExactlyInAnyOrder("auto-created", "first-contact", "channel:sms");
    assertThat(AutoCreatePolicy.never().draftFor(sms, systemWithout(dev.crmkit.Capability.TAGS))).isNull();
  }
}
