package dev.crmkit.policy;

import dev.crmkit.Channel;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Segment;
import dev.crmkit.inbound.InboundMessage;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides what happens when a message arrives from someone no customer matches: the draft of the
 * customer to create, or {@code null} to create nobody. A lambda is a policy:
 *
 * <pre>{@code
 * AutoCreatePolicy onlyWhatsApp = message ->
 *     message.channel() == Channel.WHATSAPP ? AutoCreatePolicy.standard().draftFor(message) : null;
 * }</pre>
 *
 * <p>Matching comes first and is the same for every policy: a phone sender is looked up by phone, an
 * email sender by email, each normalized (see {@link dev.crmkit.identity}).
 *
 * <p>Implementations must be thread-safe and fast: they run on every first contact.
 */
@FunctionalInterface
public interface AutoCreatePolicy {

  /**
   * The customer to create for an unknown sender.
   *
   * @param message the message; never null
   * @return a draft (its email or phone should be the sender's, or the next message will not match
   *     it), or {@code null} to create nobody
   */
  CustomerDraft draftFor(InboundMessage message);

  /**
   * The policy's draft for a message, as the system can hold it: a system without
   * {@link dev.crmkit.Capability#TAGS} (Salesforce, say) gets the draft without its tags, which are the
   * policy's labels for created customers rather than anything the sender said. What handlers creating
   * customers from a policy call instead of {@link #draftFor} directly.
   *
   * @param message the message; not {@code null}
   * @param system the system the customer is created in; not {@code null}
   * @return the draft, or {@code null} when the policy creates nobody
   */
  default CustomerDraft draftFor(InboundMessage message, dev.crmkit.CustomerSystem system) {
    Objects.requireNonNull(system, "system");
    CustomerDraft draft = draftFor(message);
    if (draft == null || draft.tags().isEmpty() || system.supports(dev.crmkit.Capability.TAGS)) {
      return draft;
    }
    return draft.toBuilder().tags(Set.of()).build();
  }

  /**
   * The default policy: create on every channel, as a {@link Segment#PROSPECT} tagged
   * {@code auto-created}, {@code first-contact} and {@code channel:<name>}, preferring the channel the
   * message came on, named from the sender's display name when the channel gives one.
   */
  static AutoCreatePolicy standard() {
    return builder().build();
  }

  /** Never create: unknown senders are {@link dev.crmkit.inbound.FirstContactResult.Outcome#IGNORED}. */
  static AutoCreatePolicy never() {
    return message -> null;
  }

  /** A builder starting from {@link #standard()}. */
  static Builder builder() {
    return new Builder();
  }

  /** Configures the standard policy; not thread-safe, the built policy is. */
  final class Builder {
    private Set<Channel> channels = EnumSet.allOf(Channel.class);
    private Segment segment = Segment.PROSPECT;
    private final Set<String> tags = new TreeSet<>(Set.of("auto-created", "first-contact"));
    private boolean channelTag = true;
    private String language;

    private Builder() {}

    /**
     * Creates customers only for messages on these channels; default all.
     *
     * @throws NullPointerException naming {@code channels} when null
     */
    public Builder channels(Set<Channel> v) {
      Objects.requireNonNull(v, "channels");
      channels = v.isEmpty() ? EnumSet.noneOf(Channel.class) : EnumSet.copyOf(v);
      return this;
    }

    /** Segment of created customers; default {@link Segment#PROSPECT}. */
    public Builder segment(Segment v) { segment = Objects.requireNonNull(v, "segment"); return this; }

    /**
     * Replaces the tags of created customers; default {@code auto-created}, {@code first-contact}.
     * Checked by {@link #build()}.
     *
     * @throws NullPointerException naming {@code tags} when null
     */
    public Builder tags(Set<String> v) { Objects.requireNonNull(v, "tags"); tags.clear(); tags.addAll(v); return this; }

    /** Whether to add a {@code channel:<name>} tag; default true. */
    public Builder channelTag(boolean v) { channelTag = v; return this; }

    /** BCP 47 language of created customers, or {@code null} (default) for unknown; checked by {@link #build()}. */
    public Builder language(String v) { language = v; return this; }

    /**
     * @throws IllegalArgumentException naming a tag or the language that is not a valid customer value,
     *     with the rule it breaks
     */
    public AutoCreatePolicy build() {
      Set<Channel> allowed = EnumSet.copyOf(channels.isEmpty() ? EnumSet.noneOf(Channel.class) : channels);
      Set<String> baseTags = Set.copyOf(tags);
      Segment seg = segment;
      boolean addChannelTag = channelTag;
      String lang = language;
      // Fail at build(), not on the first message, when a tag or the language is malformed.
      try {
        CustomerDraft.builder().tags(baseTags).language(lang).firstName("validation").build();
      } catch (dev.crmkit.error.ValidationException e) {
        throw new IllegalArgumentException("the tags and language of created customers must be valid customer values: "
            + e.getMessage(), e);
      }
      return message -> {
        if (!allowed.contains(message.channel())) {
          return null;
        }
        CustomerDraft.Builder d = CustomerDraft.builder()
            .segment(seg)
            .tags(baseTags)
            .language(lang)
            .preferredChannel(message.channel())
            .lastContactAt(message.receivedAt());
        if (addChannelTag) {
          d.tag("channel:" + message.channel().name().toLowerCase(Locale.ROOT));
        }
        if (message.fromEmail()) {
          d.email(message.from());
        } else {
          d.phone(message.from());
        }
        String name = message.senderName();
        if (name != null && !name.equals(message.from())) {
          int space = name.lastIndexOf(' ');
          if (space > 0) {
            d.firstName(name.substring(0, space)).lastName(name.substring(space + 1));
          } else {
            d.firstName(name);
          }
        }
        return d.build();
      };
    }
  }
}
