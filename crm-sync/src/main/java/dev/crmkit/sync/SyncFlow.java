package dev.crmkit.sync;

/** Which way a {@link SyncEngine} moves records between the local and the remote system. */
public enum SyncFlow {
  /** Local changes go to the remote system; remote changes are not read. */
  PUSH,
  /** Remote changes come to the local system; local changes are not sent. */
  PULL,
  /** Both ways: a run pulls first, then pushes; changes on both sides meet the conflict strategy. */
  BIDIRECTIONAL;

  /** True when records flow from the local system to the remote one. */
  public boolean pushes() {
    return this != PULL;
  }

  /** True when records flow from the remote system to the local one. */
  public boolean pulls() {
    return this != PUSH;
  }
}
