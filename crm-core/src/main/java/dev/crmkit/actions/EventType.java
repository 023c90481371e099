package dev.crmkit.actions;

/** The kinds of {@link HostEvent}, one per record. */
public enum EventType {
  /** {@link MessageReceived}. */
  MESSAGE_RECEIVED,
  /** {@link AppointmentBooked}. */
  APPOINTMENT_BOOKED,
  /** {@link CallCompleted}. */
  CALL_COMPLETED,
  /** {@link DocumentSent}. */
  DOCUMENT_SENT,
  /** {@link OrderPlaced}. */
  ORDER_PLACED,
  /** {@link CustomerUpdated}. */
  CUSTOMER_UPDATED
}
