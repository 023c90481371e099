package dev.crmkit.sync;

/** Which system of an integration something happened on. */
public enum SyncSide {
  /** The local system (usually the native store). */
  LOCAL,
  /** The remote system (the vendor CRM). */
  REMOTE
}
