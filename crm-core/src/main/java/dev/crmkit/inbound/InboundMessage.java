package dev.crmkit.inbound;

import dev.crmkit.Channel;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.TenantIds;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A message a customer sent the host, as the host's channel adapter (SMS gateway, WhatsApp webhook,
 * mailbox poller, phone system) received it.
 *
 * @param tenantId the tenant the message was sent to; required, 1 to 128 characters, compared exactly;
 *     no leading or trailing whitespace, control characters or unpaired surrogates
 *
 * @param channel the channel; required
 * <p>No text component holds {@code U+0000} or an unpaired surrogate; lengths count UTF-16 units.
 *
 * @param from the sender's address: a phone number in any format for SMS, WhatsApp and phone (at most
 *     64 characters), an email address for email (at most 254); required
 * @param senderName the sender's display name when the channel gives one (WhatsApp profile name,
 *     email {@code From:} name), at most 255 characters after trimming, or {@code null}
 * @param text the message text of any length, or {@code null} (a missed call has none)
 * @param messageId the channel's id of the message, unique per channel (such as a Twilio SID or an
 *     email {@code Message-ID}); 1 to {@value #MAX_MESSAGE_ID} characters; required. Redeliveries
 *     carry the same id.
 * @param receivedAt when the host received it, in years 0001 to 9999; required. The native store and
 *     the memory provider reject a time more than one day ahead of their clock (as the logged
 *     activity's {@code occurredAt} and the customer's {@code lastContactAt}).
 */
public record InboundMessage(
    String tenantId, Channel channel, String from, String senderName, String text, String messageId, Instant receivedAt) {

  /**
   * Longest message id, {@value}: the idempotency key {@code msg:<channel>:<messageId>} of its
   * activity must fit the 200 characters of {@link dev.crmkit.ActivityDraft#idempotencyKey()}.
   */
  public static final int MAX_MESSAGE_ID = 186;
  private static final int MAX_FROM = 254;

  /** @throws ValidationException naming every missing or malformed component */
  public InboundMessage {
    TenantIds.check(tenantId, "tenantId");
    List<FieldError> errors = new ArrayList<>();
    if (channel == null) {
      errors.add(new FieldError("channel", null, "an inbound message needs a channel"));
    }
    from = from == null ? null : from.strip();
    Validation.require(from, "from", MAX_FROM, errors);
    senderName = Validation.text(senderName, "senderName", errors);
    Validation.check(text, "text", Integer.MAX_VALUE, errors);
    Validation.require(messageId, "messageId", MAX_MESSAGE_ID, errors);
    if (receivedAt == null) {
      errors.add(new FieldError("receivedAt", null, "an inbound message needs a time"));
    } else {
      Validation.instant(receivedAt, "receivedAt", errors);
    }
    Validation.throwIfAny(errors);
  }

  /** True when {@link #from} is an email address rather than a phone number. */
  public boolean fromEmail() {
    return channel == Channel.EMAIL || from.indexOf('@') > 0;
  }
}
