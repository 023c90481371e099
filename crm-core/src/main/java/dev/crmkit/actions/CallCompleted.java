package dev.crmkit.actions;

import dev.crmkit.error.FieldError;
import dev.crmkit.spi.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A call with the customer ended. The default action logs a {@link dev.crmkit.ActivityType#CALL} activity
 * with the duration, outcome and summary (see {@link DefaultActions#callCompleted()}).
 *
 * @param tenantId see {@link HostEvent}
 * @param eventId see {@link HostEvent}; the phone system's call id is a good one
 * @param customer the other party
 * @param occurredAt when the call ended
 * @param duration how long it lasted, zero to {@value #MAX_DURATION_HOURS} hours; required
 * @param outcome how it ended; required
 * @param summary what was said, at most {@value Events#MAX_LONG_TEXT} characters, or {@code null}
 */
public record CallCompleted(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
    Duration duration, CallOutcome outcome, String summary) implements HostEvent {

  /** Longest call, in hours: {@value}. */
  public static final int MAX_DURATION_HOURS = 24;

  /** @throws dev.crmkit.error.ValidationException naming each field that breaks its limit */
  public CallCompleted {
    List<FieldError> errors = new ArrayList<>();
    Events.common(tenantId, eventId, customer, occurredAt, errors);
    Events.duration(duration, "duration", true, Duration.ofHours(MAX_DURATION_HOURS), errors);
    Events.required(outcome, "outcome", errors);
    Validation.check(summary, "summary", Events.MAX_LONG_TEXT, errors);
    Validation.throwIfAny(errors);
  }

  @Override
  public EventType type() {
    return EventType.CALL_COMPLETED;
  }
}
