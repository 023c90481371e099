package dev.crmkit.sync;

/** Whether a parked conflict still waits for a person. */
public enum ConflictStatus {
  /** Waiting for a decision. */
  OPEN,
  /** Decided; {@link SyncConflict#resolution()} says how. */
  RESOLVED
}
