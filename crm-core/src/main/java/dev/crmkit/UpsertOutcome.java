package dev.crmkit;

import dev.crmkit.error.CrmException;

/**
 * What {@link CustomerSystem#upsert} did with one draft.
 *
 * @param index the draft's position in the input list
 * @param status created, updated or rejected
 * @param customer the stored customer; {@code null} when rejected
 * @param error why the draft was rejected; {@code null} otherwise
 * @param matchedBy for {@link Status#UPDATED}, the key that found the customer; {@code null} for other
 *     statuses, and for updates of a provider that does not say
 * @param duplicateOfId for {@link Status#CREATED}, the id of an existing customer that holds the
 *     draft's phone but has another email: the draft was created rather than written over that
 *     customer, and the two are a duplicate candidate (see {@link CustomerSystem#findDuplicates});
 *     {@code null} otherwise
 */
public record UpsertOutcome(
    int index, Status status, Customer customer, CrmException error, MatchedBy matchedBy, String duplicateOfId) {

  /** An outcome that names no match reason and no duplicate candidate (the form before they existed). */
  public UpsertOutcome(int index, Status status, Customer customer, CrmException error) {
    this(index, status, customer, error, null, null);
  }

  /** An {@link Status#UPDATED} outcome with the key that matched. */
  public static UpsertOutcome updated(int index, Customer customer, MatchedBy matchedBy) {
    return new UpsertOutcome(index, Status.UPDATED, customer, null, matchedBy, null);
  }

  /**
   * A {@link Status#CREATED} outcome.
   *
   * @param duplicateOfId the customer holding the draft's phone with another email, or {@code null}
   */
  public static UpsertOutcome created(int index, Customer customer, String duplicateOfId) {
    return new UpsertOutcome(index, Status.CREATED, customer, null, null, duplicateOfId);
  }

  /** A {@link Status#REJECTED} outcome. */
  public static UpsertOutcome rejected(int index, CrmException error) {
    return new UpsertOutcome(index, Status.REJECTED, null, error, null, null);
  }

  /** What happened to a draft. */
  public enum Status {
    CREATED,
    UPDATED,
    REJECTED
  }

  /** The key by which a draft found the customer it updated. */
  public enum MatchedBy {
    /** The draft's email is the customer's email. */
    EMAIL,
    /**
     * The draft's phone identifies the customer, and the draft has no email or the customer had
     * none (a customer with another email is never updated through its phone).
     */
    PHONE
  }
}
