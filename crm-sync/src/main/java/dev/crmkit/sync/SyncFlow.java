package dev.crmkit.sync;

/**
 * Which way records or values move between the local and the remote system: the flow of a
 * {@link SyncEngine} ({@link SyncEngine.Builder#flow}), of one field ({@link FieldMapping.Rule#flow()},
 * narrowed by the engine's), and of a change-feed cursor ({@link dev.crmkit.sync.spi.SyncStore#cursor},
 * {@link dev.crmkit.sync.spi.SyncCheckpoint.Builder#cursor}), which is {@link #PUSH} or {@link #PULL},
 * never {@link #BIDIRECTIONAL}: each one-way pass has a cursor of its own.
 */
public enum SyncFlow {
  /**
   * Local to remote: local changes go to the remote system, remote changes are not read. For a field,
   * the local value is master and remote edits of it are overwritten; for a cursor, it points into
   * the local change feed.
   */
  PUSH,
  /**
   * Remote to local: remote changes come to the local system, local changes are not sent. For a
   * field, the remote value is master; for a cursor, it points into the remote change feed.
   */
  PULL,
  /**
   * Both ways: a run pulls first, then pushes; changes on both sides meet the conflict strategy. Not
   * a cursor's flow.
   */
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
