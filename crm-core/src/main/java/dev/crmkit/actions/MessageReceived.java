package dev.crmkit.actions;

import dev.crmkit.Channel;
import dev.crmkit.error.FieldError;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer sent the host a message. The default action is first contact: the customer is found or
 * created as the tenant's {@link dev.crmkit.policy.AutoCreatePolicy} says, and the message is logged once
 * as a {@link dev.crmkit.ActivityType#MESSAGE_RECEIVED} activity (see {@link DefaultActions#messageReceived()}).
 *
 * @param tenantId see {@link HostEvent}
 * @param eventId see {@link HostEvent}; a channel's message id (a Twilio SID) is a good one
 * @param customer the sender: a phone for SMS, WhatsApp and phone, an email for email
 * @param occurredAt when the host received the message
 * @param channel the channel it came on; required
 * @param text the text, at most {@value Events#MAX_LONG_TEXT} characters, or {@code null}
 * @param senderName the sender's display name when the channel gives one, at most 255 characters after
 *     trimming, or {@code null}
 */
public record MessageReceived(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
    Channel channel, String text, String senderName) implements HostEvent {

  /** @throws dev.crmkit.error.ValidationException naming each field that breaks its limit */
  public MessageReceived {
    List<FieldError> errors = new ArrayList<>();
    Events.common(tenantId, eventId, customer, occurredAt, errors);
    Events.required(channel, "channel", errors);
    Validation.check(text, "text", Events.MAX_LONG_TEXT, errors);
    senderName = Validation.text(senderName, "senderName", errors);
    Validation.throwIfAny(errors);
  }

  @Override
  public EventType type() {
    return EventType.MESSAGE_RECEIVED;
  }
}
