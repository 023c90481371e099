package dev.crmkit.sync;

/**
 * Which side of an integration a record or a value comes from. A record, and so a
 * {@link RecordError}, is always {@link #LOCAL} or {@link #REMOTE}; {@link #MERGED} is only for
 * values a conflict resolution agreed on ({@link ConflictResolution.FieldDecision#winner()},
 * {@link ConflictDecision#choice()}).
 */
public enum SyncSide {
  /** The local system (usually the native store), or the local record's value. */
  LOCAL,
  /** The remote system (the vendor CRM), or the remote record's value. */
  REMOTE,
  /**
   * Neither side's value as a whole: elements of both (tags, custom fields, opt-ins), or a value a
   * person or a custom strategy chose. Never the side of a record.
   */
  MERGED
}
