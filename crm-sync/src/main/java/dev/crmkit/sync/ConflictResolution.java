package dev.crmkit.sync;

import dev.crmkit.Customer;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The answer of a {@link ConflictStrategy}: either {@link Outcome#RESOLVED}, with the values both
 * sides should hold, or {@link Outcome#MANUAL}, to be parked for a person. Immutable and
 * thread-safe.
 *
 * <p>A resolved answer offers the agreed values in two shapes: {@link #resolved()}, a whole record,
 * and {@link #localUpdate()} / {@link #remoteUpdate()}, the patch that brings each side to those
 * values (empty when that side already holds them). For the run log it lists the
 * {@linkplain #clashingFields() fields that clashed} and {@linkplain #decisions() which side won
 * each}.
 */
public final class ConflictResolution {

  /** Whether the conflict was decided. */
  public enum Outcome {
    /** Decided: write {@link #localUpdate()} and {@link #remoteUpdate()}. */
    RESOLVED,
    /** Not decided: park the record in the conflict queue for a person. */
    MANUAL
  }

  /**
   * How one clashing field was decided.
   *
   * @param field the field; never null
   * @param winner where its value comes from: {@link SyncSide#LOCAL}, {@link SyncSide#REMOTE} or
   *     {@link SyncSide#MERGED}; never null
   */
  public record FieldDecision(CustomerField field, SyncSide winner) {
    public FieldDecision {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(winner, "winner");
    }
  }

  private final Outcome outcome;
  private final Customer local;
  private final Customer remote;
  private final Customer resolved;
  private final CustomerUpdate localUpdate;
  private final CustomerUpdate remoteUpdate;
  private final List<FieldDecision> decisions;
  private final List<CustomerField> clashingFields;

  private ConflictResolution(
      Outcome outcome, Customer local, Customer remote, Customer resolved,
      List<FieldDecision> decisions, List<CustomerField> clashingFields) {
    this.outcome = outcome;
    this.local = local;
    this.remote = remote;
    this.resolved = resolved;
    this.localUpdate = resolved == null ? null : CustomerUpdate.between(local, resolved);
    this.remoteUpdate = resolved == null ? null : CustomerUpdate.between(remote, resolved);
    this.decisions = decisions;
    this.clashingFields = clashingFields;
  }

  /**
   * The local record wins whole. The clashing fields are those changed on both sides to different
   * values since {@code base} (every differing field when {@code base} is null); each is decided for
   * {@link SyncSide#LOCAL}.
   *
   * @param base the last synced snapshot, or {@code null} when there is none
   * @param local the current local record; never null
   * @param remote the current remote record; never null
   * @throws NullPointerException when {@code local} or {@code remote} is null
   */
  public static ConflictResolution localWins(Customer base, Customer local, Customer remote) {
    return wholeSide(SyncSide.LOCAL, base, local, remote);
  }

  /**
   * The remote record wins whole; clashing fields as for {@link #localWins}, decided for
   * {@link SyncSide#REMOTE}.
   *
   * @param base the last synced snapshot, or {@code null} when there is none
   * @param local the current local record; never null
   * @param remote the current remote record; never null
   * @throws NullPointerException when {@code local} or {@code remote} is null
   */
  public static ConflictResolution remoteWins(Customer base, Customer local, Customer remote) {
    return wholeSide(SyncSide.REMOTE, base, local, remote);
  }

  /**
   * A decided conflict with values of the caller's choosing.
   *
   * @param local the current local record; never null
   * @param remote the current remote record; never null
   * @param values a record holding the agreed value of every writable field; its other components
   *     (id, stats, timestamps) are ignored
   * @param decisions how each clashing field was decided, at most one per field; may be empty
   * @return a resolution whose {@link #resolved()} is {@code local} with the writable fields of
   *     {@code values}
   * @throws NullPointerException when an argument or a decision is null
   * @throws IllegalArgumentException when two decisions name the same field
   */
  public static ConflictResolution resolvedTo(
      Customer local, Customer remote, Customer values, List<FieldDecision> decisions) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(values, "values");
    List<FieldDecision> sorted = new ArrayList<>(Objects.requireNonNull(decisions, "decisions"));
    Set<CustomerField> seen = EnumSet.noneOf(CustomerField.class);
    for (FieldDecision d : sorted) {
      Objects.requireNonNull(d, "decision");
      if (!seen.add(d.field())) {
        throw new IllegalArgumentException("two decisions for field " + d.field().apiName());
      }
    }
    sorted.sort((a, b) -> a.field().compareTo(b.field()));
    Customer.Builder b = local.toBuilder();
    for (CustomerField f : CustomerField.values()) {
      CustomerFields.copy(b, f, values);
    }
    return new ConflictResolution(Outcome.RESOLVED, local, remote, b.build(), List.copyOf(sorted),
        sorted.stream().map(FieldDecision::field).toList());
  }

  /**
   * A conflict parked for a person.
   *
   * @param local the current local record; never null
   * @param remote the current remote record; never null
   * @param clashingFields the fields the person has to decide; may be empty; duplicates are dropped
   * @throws NullPointerException when an argument or a field is null
   */
  public static ConflictResolution manual(Customer local, Customer remote, Collection<CustomerField> clashingFields) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    Objects.requireNonNull(clashingFields, "clashingFields");
    Set<CustomerField> fields = EnumSet.noneOf(CustomerField.class);
    for (CustomerField f : clashingFields) {
      fields.add(Objects.requireNonNull(f, "clashing field"));
    }
    return new ConflictResolution(Outcome.MANUAL, local, remote, null, List.of(), List.copyOf(fields));
  }

  private static ConflictResolution wholeSide(SyncSide side, Customer base, Customer local, Customer remote) {
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(remote, "remote");
    List<FieldDecision> decisions = CustomerFields.clashing(base, local, remote).stream()
        .map(f -> new FieldDecision(f, side))
        .toList();
    return resolvedTo(local, remote, side == SyncSide.LOCAL ? local : remote, decisions);
  }

  /** Whether the conflict was decided. */
  public Outcome outcome() {
    return outcome;
  }

  /** True when {@link #outcome()} is {@link Outcome#RESOLVED}. */
  public boolean isResolved() {
    return outcome == Outcome.RESOLVED;
  }

  /** True when {@link #outcome()} is {@link Outcome#MANUAL}. */
  public boolean isManual() {
    return outcome == Outcome.MANUAL;
  }

  /** The local record the resolution was made for. */
  public Customer local() {
    return local;
  }

  /** The remote record the resolution was made for. */
  public Customer remote() {
    return remote;
  }

  /**
   * The agreed record: the local record's id, tenant, stats and timestamps with the agreed writable
   * field values.
   *
   * @throws IllegalStateException when the outcome is {@link Outcome#MANUAL}
   */
  public Customer resolved() {
    requireResolved();
    return resolved;
  }

  /**
   * The patch that brings the local record to the agreed values; empty when it already holds them.
   *
   * @throws IllegalStateException when the outcome is {@link Outcome#MANUAL}
   */
  public CustomerUpdate localUpdate() {
    requireResolved();
    return localUpdate;
  }

  /**
   * The patch that brings the remote record to the agreed values; empty when it already holds them.
   *
   * @throws IllegalStateException when the outcome is {@link Outcome#MANUAL}
   */
  public CustomerUpdate remoteUpdate() {
    requireResolved();
    return remoteUpdate;
  }

  /** True when resolved and neither side needs a write. False for a manual outcome. */
  public boolean changesNothing() {
    return isResolved() && localUpdate.isEmpty() && remoteUpdate.isEmpty();
  }

  /**
   * How each clashing field was decided, in {@link CustomerField} order; empty for a manual outcome
   * and when nothing clashed. Unmodifiable.
   */
  public List<FieldDecision> decisions() {
    return decisions;
  }

  /**
   * The fields changed on both sides to different values (for a resolved outcome, the fields of
   * {@link #decisions()}), in {@link CustomerField} order. Unmodifiable.
   */
  public List<CustomerField> clashingFields() {
    return clashingFields;
  }

  /**
   * The writable fields whose values differ between {@link #local()} and {@link #remote()}, whoever
   * changed them, in {@link CustomerField} order. Unmodifiable.
   */
  public List<CustomerField> differingFields() {
    return CustomerFields.differing(local, remote);
  }

  /** Outcome, decisions and touched field names; never field values, which may be personal data. */
  @Override
  public String toString() {
    if (isManual()) {
      return "ConflictResolution{MANUAL, clashing=" + names(clashingFields) + "}";
    }
    return "ConflictResolution{RESOLVED, decisions="
        + decisions.stream().map(d -> d.field().apiName() + "=" + d.winner()).collect(Collectors.joining(", ", "[", "]"))
        + ", localUpdate=" + names(localUpdate.fields())
        + ", remoteUpdate=" + names(remoteUpdate.fields()) + "}";
  }

  private static String names(Collection<CustomerField> fields) {
    return fields.stream().map(CustomerField::apiName).collect(Collectors.joining(", ", "[", "]"));
  }

  private void requireResolved() {
    if (outcome != Outcome.RESOLVED) {
      throw new IllegalStateException("the conflict was parked for manual resolution; clashing fields: "
          + names(clashingFields));
    }
  }
}
