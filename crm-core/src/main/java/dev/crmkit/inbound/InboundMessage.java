package dev.crmkit.inbound;

import dev.crmkit.Channel;
import dev.crmkit.error.ValidationException;
import dev.crmkit.internal.TenantIds;
import java.time.Instant;

/**
 * A message a customer sent the host, as the host's channel adapter (SMS gateway, WhatsApp webhook,
 * mailbox poller, phone system) received it.
 *
 * @param tenantId the tenant the message was sent to; required, 1 to 128 characters, compared exactly;
 *     no leading or trailing whitespace, control characters or unpaired surrogates
 *
 * @param channel the channel; required
 * @param from the sender's address: a phone number in any format for SMS, WhatsApp and phone, an email
 *     address for email; required
 * @param senderName the sender's display name when the channel gives one (WhatsApp profile name,
 *     email {@code From:} name), or {@code null}
 * @param text the message text, or {@code null} (a missed call has none)
 * @param messageId the channel's id of the message, unique per channel (such as a Twilio SID or an
 *     email {@code Message-ID}); 1 to 200 characters; required. Redeliveries carry the same id.
 * @param receivedAt when the host received it; required
 */
public record InboundMessage(
    String tenantId, Channel channel, String from, String senderName, String text, String messageId, Instant receivedAt) {

  /** @throws ValidationException naming the first missing or malformed component */
  public InboundMessage {
    TenantIds.check(tenantId, "tenantId");
    if (channel == null) {
      throw ValidationException.of("channel", null, "an inbound message needs a channel");
    }
    require(from, "from");
    require(messageId, "messageId");
    if (messageId.length() > 200) {
      throw ValidationException.of("messageId", messageId.substring(0, 40) + "...", "longer than 200 characters");
    }
    if (receivedAt == null) {
      throw ValidationException.of("receivedAt", null, "an inbound message needs a time");
    }
    from = from.strip();
    senderName = senderName == null || senderName.isBlank() ? null : senderName.strip();
  }

  /** True when {@link #from} is an email address rather than a phone number. */
  public boolean fromEmail() {
    return channel == Channel.EMAIL || from.indexOf('@') > 0;
  }

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw ValidationException.of(field, value, "an inbound message needs a " + field);
    }
  }
}
