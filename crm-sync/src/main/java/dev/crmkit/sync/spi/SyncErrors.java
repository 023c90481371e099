package dev.crmkit.sync.spi;

import dev.crmkit.error.ConflictException;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.RunStatus;

/** The state errors every {@code SyncStore} raises, worded alike whatever the store. */
public final class SyncErrors {
  private SyncErrors() {}

  /** A link or remap target that another record holds. */
  public static ConflictException linked(String provider, String field, String id, String otherId) {
    return new ConflictException(provider, field, otherId, field + " '" + id + "' is already linked to '" + otherId + "'");
  }

  /** A renewal by an owner without an unexpired lease. */
  public static ConflictException leaseNotHeld(String provider, IntegrationKey key, String owner) {
    return new ConflictException(provider, "owner", null,
        "owner '" + owner + "' does not hold an unexpired lease on " + key);
  }

  /** A fenced checkpoint whose owner no longer holds the lease at its generation. */
  public static ConflictException fenced(String provider, IntegrationKey key, String owner, long generation) {
    return new ConflictException(provider, "lease", owner, "owner '" + owner + "' no longer holds generation "
        + generation + " of the lease on " + key + ": another run has taken over");
  }

  /** A write to a run that has finished. */
  public static ConflictException runFinished(String provider, String runId, RunStatus status) {
    return new ConflictException(provider, "runId", runId, "run '" + runId + "' has finished already (" + status + ")");
  }

  /** A second resolution of a conflict. */
  public static ConflictException resolvedAlready(String provider, String conflictId) {
    return new ConflictException(provider, "conflictId", conflictId, "conflict '" + conflictId + "' is resolved already");
  }

  /** Marking an event that is not pending. */
  public static ConflictException notPending(String provider, String eventId, InboxStatus status) {
    return new ConflictException(provider, "eventId", eventId, "event '" + eventId + "' is " + status + ", not PENDING");
  }
}
