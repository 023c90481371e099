package dev.crmkit.sync;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.policy.ConflictResolution.Side;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The conflicts a {@link SyncEngine}'s integration parked for a person: list them, inspect one (its
 * clashing fields with the local, remote and last synced values), and resolve it by choosing a side
 * or giving merged values. Get one from {@link SyncEngine#conflicts()}. Thread-safe.
 */
public final class ConflictQueue {
  private static final Logger LOG = LoggerFactory.getLogger(ConflictQueue.class);
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
   * Resolves a conflict and writes the decision to both records: {@link Side#LOCAL} or
   * {@link Side#REMOTE} takes that side's current values for every synced field; {@link Side#MERGED}
   * takes {@code mergedValues} for the fields it names (a {@code null} value clears the field) and, for
   * the others, the value of the side that changed it since the last sync. The records are written now
   * when no run holds the integration's lease, else by the next run.
   *
   * @param conflictId the conflict's id
   * @param choice the side whose values win, or {@link Side#MERGED}
   * @param mergedValues for {@link Side#MERGED}, field name (as in {@link FieldConflict#field()}) to
   *     value, for fields of the conflict only; {@code null} or empty for the other choices
   * @param resolvedBy who decided, such as a user id; 1 to 255 characters
   * @return the resolved conflict
   * @throws NotFoundException ({@code "conflict"}) when there is no such conflict
   * @throws ConflictException when it is resolved already
   * @throws ValidationException naming {@code conflictId}, {@code choice}, {@code mergedValues} or
   *     {@code resolvedBy}
   */
  public SyncConflict resolve(String conflictId, Side choice, Map<String, String> mergedValues, String resolvedBy) {
    SyncConflict resolved = engine.store().resolveConflict(engine.key(), conflictId, choice, mergedValues, resolvedBy);
    if (engine.tryLease()) {
      try {
        SyncRunner runner = new SyncRunner(engine, null);
        Optional<IdMapping> m = runner.mapping(SyncSide.LOCAL, resolved.localId());
        if (m.isPresent() && resolved.id().equals(SnapshotState.of(m.get().snapshot()).conflictId())) {
          runner.applyDecision(m.get(), resolved);
          runner.commit();
        }
      } catch (CrmException | SyncRunner.Abort e) {
        // The decision is stored; the next run finds the record parked with a resolved conflict and applies it.
        LOG.warn("conflict {} of {} resolved; writing it failed and is left to the next run: {}", resolved.id(),
            engine.key(), e.getMessage());
      } finally {
        engine.releaseLease();
      }
    }
    return resolved;
  }
}
