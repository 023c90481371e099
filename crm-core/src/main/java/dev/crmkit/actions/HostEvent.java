package dev.crmkit.actions;

import java.time.Instant;

/**
 * Something that happened in the host application that the tenant's CRM should hear of. Each record
 * carries the tenant, an event id, the customer it is about and when it happened, and its own fields.
 *
 * <p>Common limits, checked by every record's constructor (a {@link dev.crmkit.error.ValidationException}
 * names the field, the limit and the value):
 * <ul>
 *   <li>{@code tenantId}: the rule of {@link dev.crmkit.spi.TenantIds};
 *   <li>{@code eventId}: 1 to {@value #MAX_EVENT_ID} characters, not blank, compared exactly; the host's
 *       own id of the event, the same on every redelivery: an event id is handled once per tenant;
 *   <li>{@code customer}: required;
 *   <li>{@code occurredAt}: required, in years 0001 to 9999.
 * </ul>
 * Text holds no {@code U+0000} and no unpaired surrogate; lengths count UTF-16 units.
 */
public sealed interface HostEvent
    permits MessageReceived, AppointmentBooked, CallCompleted, DocumentSent, OrderPlaced, CustomerUpdated {

  /** Longest event id, {@value}. */
  int MAX_EVENT_ID = 200;

  /** The tenant the event belongs to. */
  String tenantId();

  /** The host's id of the event, unique per tenant. */
  String eventId();

  /** The customer the event is about. */
  CustomerRef customer();

  /** When the event happened. */
  Instant occurredAt();

  /** The kind of event, one per record type. */
  EventType type();
}
