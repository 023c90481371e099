package dev.crmkit.actions;

/** What {@link EventActions#submit} did with an event. */
public enum SubmitResult {
  /** The event is in the outbox, to be processed. */
  ACCEPTED,
  /** The tenant submitted this event id before; nothing changed (a redelivery). */
  DUPLICATE
}
