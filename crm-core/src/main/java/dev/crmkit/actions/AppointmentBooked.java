package dev.crmkit.actions;

import dev.crmkit.Money;
import dev.crmkit.error.FieldError;
import dev.crmkit.spi.Validation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A customer booked an appointment. The default action creates a deal (title, value, expected close on the
 * appointment's date) and logs a {@link dev.crmkit.ActivityType#MEETING} activity (see
 * {@link DefaultActions#appointmentBooked()}).
 *
 * @param tenantId see {@link HostEvent}
 * @param eventId see {@link HostEvent}
 * @param customer who booked
 * @param occurredAt when it was booked
 * @param title the service or title, 1 to 255 characters after trimming
 * @param startsAt when the appointment starts, in years 0001 to 9999; required
 * @param duration how long it lasts, zero to {@value #MAX_DURATION_DAYS} days, or {@code null}
 * @param value what it is worth: zero or more, less than 10<sup>15</sup>, at most 4 digits after the
 *     point, or {@code null}
 * @param notes free text, at most {@value Events#MAX_LONG_TEXT} characters, or {@code null}
 */
public record AppointmentBooked(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
    String title, Instant startsAt, Duration duration, Money value, String notes) implements HostEvent {

  /** Longest appointment, in days: {@value}. */
  public static final int MAX_DURATION_DAYS = 31;

  /** @throws dev.crmkit.error.ValidationException naming each field that breaks its limit */
  public AppointmentBooked {
    List<FieldError> errors = new ArrayList<>();
    Events.common(tenantId, eventId, customer, occurredAt, errors);
    if (title == null || title.isBlank()) {
      errors.add(new FieldError("title", Validation.abbreviate(title), "an appointment needs a title"));
    } else {
      title = Validation.text(title, "title", errors);
    }
    Events.requireInstant(startsAt, "startsAt", errors);
    Events.duration(duration, "duration", false, Duration.ofDays(MAX_DURATION_DAYS), errors);
    Events.amount(value, "value", errors);
    Validation.check(notes, "notes", Events.MAX_LONG_TEXT, errors);
    Validation.throwIfAny(errors);
  }

  @Override
  public EventType type() {
    return EventType.APPOINTMENT_BOOKED;
  }
}
