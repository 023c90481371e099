package dev.crmkit;

/**
 * Optional operations of a {@link CustomerSystem}. Get, create, update, find by email and find by
 * phone are not optional. An operation whose capability is missing throws
 * {@link dev.crmkit.error.UnsupportedCapabilityException}.
 */
public enum Capability {
  /** {@link CustomerSystem#search}. */
  SEARCH,
  /** {@link CustomerSystem#delete} (soft where the back end has it). */
  DELETE,
  /** {@link CustomerSystem#restore} of a soft-deleted customer. */
  RESTORE,
  /** {@link CustomerSystem#merge}. */
  MERGE,
  /** {@link CustomerSystem#findDuplicates}. */
  DUPLICATE_DETECTION,
  /** {@link CustomerSystem#upsert} in batches. */
  BATCH_UPSERT,
  /** {@link CustomerSystem#addNote} and {@link CustomerSystem#listNotes}. */
  NOTES,
  /** {@link CustomerSystem#addActivity} and {@link CustomerSystem#listActivities}. */
  ACTIVITIES,
  /**
   * Activities and notes with an idempotency key are recorded once; {@link CustomerSystem#findActivity}
   * works.
   */
  IDEMPOTENT_ACTIVITIES,
  /** {@link CustomerSystem#changesSince}: a delta feed with deletions. */
  CHANGE_FEED,
  /**
   * {@link CustomerSystem#createDeal}, {@link CustomerSystem#getDeal}, {@link CustomerSystem#updateDeal},
   * {@link CustomerSystem#listDeals} and {@link CustomerSystem#pipelines}; deals with an idempotency key
   * are created once.
   */
  DEALS,
  /** {@link CustomerSystem#recordOrder}. */
  ORDERS,
  /** Custom fields are stored (otherwise they are rejected, never dropped silently). */
  CUSTOM_FIELDS,
  /** Tags are stored (otherwise they are rejected, never dropped silently). */
  TAGS
}
