package dev.crmkit;

/** What happened to a customer in a {@link CustomerChange}. */
public enum ChangeType {
  CREATED,
  UPDATED,
  /** Soft-deleted, or merged into another customer ({@link CustomerChange#mergedIntoId()} then says which). */
  DELETED
}
