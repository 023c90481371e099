package dev.crmkit;

import dev.crmkit.error.CrmException;

/**
 * What {@link CustomerSystem#upsert} did with one draft.
 *
 * @param index the draft's position in the input list
 * @param status created, updated or rejected
 * @param customer the stored customer; {@code null} when rejected
 * @param error why the draft was rejected; {@code null} otherwise
 */
public record UpsertOutcome(int index, Status status, Customer customer, CrmException error) {
  /** What happened to a draft. */
  public enum Status {
    CREATED,
    UPDATED,
    REJECTED
  }
}
