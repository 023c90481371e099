package dev.crmkit.sync;

import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import java.util.Objects;

/**
 * What sync does when both sides changed the same customer since the last sync: given the last
 * synced snapshot and the two current records, decide the values each side ends up with, or park the
 * record for a person.
 *
 * <p>Strategies work on the writable fields ({@link CustomerField}) only; ids, stats and timestamps
 * are the back ends' own. Deletion is not a field: a record deleted on one side and changed on the
 * other is the sync engine's decision, not a strategy's.
 *
 * <p>Five built-ins come from the static factories; any lambda of the same shape is a custom
 * strategy, and can build its answer with {@link ConflictResolution#localWins},
 * {@link ConflictResolution#remoteWins}, {@link ConflictResolution#resolvedTo} or
 * {@link ConflictResolution#manual}:
 *
 * <pre>{@code
 * ConflictStrategy vipStaysLocal = (base, local, remote) -> local.segment() == Segment.VIP
 *     ? ConflictResolution.localWins(base, local, remote)
 *     : ConflictStrategy.lastWriteWins().resolve(base, local, remote);
 * }</pre>
 *
 * <p>Thread-safety: the built-ins are immutable and thread-safe. The sync engine may call one
 * strategy from several runs at once, so custom strategies should be stateless too.
 */
@FunctionalInterface
public interface ConflictStrategy {

  /**
   * Resolves one conflict.
   *
   * @param base the record as it was at the last successful sync (the three-way merge base), or
   *     {@code null} when there is none, for instance when two existing records were first linked
   * @param local the current record in the local system; never null
   * @param remote the current record in the remote system, already mapped to crmkit's fields;
   *     never null
   * @return the resolution; never null
   * @throws NullPointerException when {@code local} or {@code remote} is null (built-ins)
   */
  ConflictResolution resolve(Customer base, Customer local, Customer remote);

  /**
   * The side whose record was written last wins whole, by {@link Customer#updatedAt()}. On a tie the
   * local side wins, so the result never depends on call order. The two sides' clocks are trusted as
   * they are: a remote clock running ahead favours the remote side.
   *
   * <p>{@link ConflictResolution#clashingFields()} lists the fields changed on both sides to
   * different values (every differing field when there is no base); each is decided for the winner.
   */
  static ConflictStrategy lastWriteWins() {
    return WholeRecordStrategy.LAST_WRITE_WINS;
  }

  /** The local record always wins whole: the remote side is overwritten with the local values. */
  static ConflictStrategy localMaster() {
    return WholeRecordStrategy.LOCAL_MASTER;
  }

  /** The remote record always wins whole: the local side is overwritten with the remote values. */
  static ConflictStrategy externalMaster() {
    return WholeRecordStrategy.EXTERNAL_MASTER;
  }

  /**
   * Every conflict is parked for a person ({@link ConflictResolution.Outcome#MANUAL}), with the
   * fields changed on both sides to different values as {@link ConflictResolution#clashingFields()}
   * (which may be empty when the sides changed different fields; see
   * {@link ConflictResolution#differingFields()}). When local and remote already hold equal values on
   * every writable field there is nothing to decide: the result is resolved and changes nothing.
   */
  static ConflictStrategy manual() {
    return WholeRecordStrategy.MANUAL;
  }

  /**
   * A three-way merge per field against the base. For each {@link CustomerField}:
   *
   * <ul>
   *   <li>equal on both sides: kept;
   *   <li>changed on one side only (the other still equals the base): that side's value is taken;
   *   <li>changed on both sides to different values: a clash, decided by {@code fallback}.
   * </ul>
   *
   * <p>{@link CustomerField#TAGS}, {@link CustomerField#CUSTOM_FIELDS} and
   * {@link CustomerField#CONTACT_PREFERENCES} merge per element (tag, custom field name, channel) by
   * the same rules, so additions and removals from both sides all survive; only an element changed
   * differently on both sides makes a clash of that field, and only the clashing elements are decided
   * by the fallback.
   *
   * <p>With no base, nothing is known about who changed what: every field (and element) that
   * differs between the sides counts as changed on both, so a clash.
   *
   * <p>The fallback is asked once, on the whole records, and its answer is applied to the clashing
   * fields only: with {@link #lastWriteWins()} each clashing field takes the value of the side written
   * last, with {@link #localMaster()} or {@link #externalMaster()} that side's value; when the
   * fallback answers {@link ConflictResolution.Outcome#MANUAL} (as {@link #manual()} does), the whole
   * result is manual, listing the clashing fields. A custom fallback's resolved values are used the
   * same way. The fallback is not called when nothing clashes.
   *
   * @param fallback decides the clashing fields; never null
   * @return the merging strategy; immutable and thread-safe when the fallback is
   * @throws NullPointerException when {@code fallback} is null
   */
  static ConflictStrategy fieldLevelMerge(ConflictStrategy fallback) {
    return new FieldLevelMerge(Objects.requireNonNull(fallback, "fallback"));
  }
}
