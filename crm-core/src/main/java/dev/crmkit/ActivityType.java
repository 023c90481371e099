package dev.crmkit;

/** What kind of interaction an activity records. */
public enum ActivityType {
  MESSAGE_RECEIVED,
  MESSAGE_SENT,
  CALL,
  EMAIL,
  MEETING,
  ORDER_PLACED,
  TICKET,
  /** A change in a deal or lead stage. */
  STAGE_CHANGE,
  OTHER
}
