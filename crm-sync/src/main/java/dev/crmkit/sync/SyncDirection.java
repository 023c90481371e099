package dev.crmkit.sync;

/** Which way records flow; each direction has a cursor of its own. */
public enum SyncDirection {
  /** From the local system to the remote one; the cursor points into the local change feed. */
  PUSH,
  /** From the remote system to the local one; the cursor points into the remote change feed. */
  PULL
}
