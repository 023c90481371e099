package dev.crmkit.sync;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.crmkit.sync.spi.SyncLease;
import dev.crmkit.sync.internal.SnapshotState;
import dev.crmkit.sync.spi.IdMapping;

/**
 * The conflicts a {@link SyncEngine}'s integration parked for a person: list them, inspect one (its
 * clashing fields with the local, remote and last synced values), and resolve it by choosing a side
 * or giving merged values. Get one from {@link SyncEngine#conflicts()}. Thread-safe.
 */
public final class ConflictQueue {
  private final SyncEngine engine;

  ConflictQueue(SyncEngine engine) {
    this.engine = engine;
  }

  /**
   * The open conflicts, oldest first.
   *
   * @param limit how many at most; 1 to 1000
   * @return the open conflicts; empty when there are none
   * @throws ValidationException naming {@code limit}
   */
  public List<SyncConflict> open(int limit) {
    return engine.store().openConflicts(engine.key(), limit);
  }

  /**
   * One conflict, open or resolved, with its fields (local, remote and base values).
   *
   * @param conflictId the conflict's id
   * @return the conflict, or empty when the integration has none with this id
   * @throws ValidationException naming {@code conflictId}
   */
  public Optional<SyncConflict> get(String conflictId) {
    return engine.store().conflict(engine.key(), conflictId);
  }

  /**
   * Resolves a conflict and writes the decision to both records: {@link SyncSide#LOCAL} or
   * {@link SyncSide#REMOTE} takes that side's current values for every synced field; {@link SyncSide#MERGED}
   * takes {@code mergedValues} for the fields it names (a {@code null} value clears the field) and, for
   * the others, the value of the side that changed it since the last sync. Takes the integration's
   * lease for the write. When writing fails (the remote system is down, say), the decision stays
   * recorded and the exception is thrown; a later run applies the decision when it next reads one of
   * the two records.
   *
   * @param conflictId the conflict's id
   * @param choice the side whose values win, or {@link SyncSide#MERGED}
   * @param mergedValues for {@link SyncSide#MERGED}, field name (as in {@link FieldConflict#field()}) to
   *     value, for fields of the conflict only; {@code null} or empty for the other choices
   * @param resolvedBy who decided, such as a user id; 1 to 255 characters
   * @return the resolved conflict
   * @throws NotFoundException ({@code "conflict"}) when there is no such conflict
   * @throws ConflictException when it is resolved already, or a sync run holds the lease (nothing is
   *     recorded then)
   * @throws ValidationException naming {@code conflictId}, {@code choice}, {@code mergedValues} or
   *     {@code resolvedBy}
   */
  public SyncConflict resolve(String conflictId, SyncSide choice, Map<String, String> mergedValues, String resolvedBy) {
    Optional<SyncLease> lease = engine.tryLease();
    if (lease.isEmpty()) {
      throw new ConflictException(null, "lease", null,
          "a sync run of " + engine.key() + " is in progress; resolve the conflict after it");
    }
    try {
      SyncConflict resolved = engine.store().resolveConflict(engine.key(), conflictId, choice, mergedValues, resolvedBy);
      SyncRunner runner = new SyncRunner(engine, null, lease.get());
      Optional<IdMapping> m = runner.mapping(SyncSide.LOCAL, resolved.localId());
      if (m.isPresent() && resolved.id().equals(SnapshotState.of(m.get().snapshot()).conflictId())) {
        runner.applyDecision(m.get(), resolved);
        CrmException stop = runner.flushWrites();
        runner.commit();
        if (stop != null) {
          throw stop;
        }
        runner.firstError().ifPresent(e -> {
          throw e;
        });
      }
      return resolved;
    } finally {
      engine.releaseLease();
    }
  }

}
