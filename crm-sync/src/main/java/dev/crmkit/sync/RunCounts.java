package dev.crmkit.sync;

import dev.crmkit.error.ValidationException;

/**
 * What a sync run did, record by record. Each record counts once as processed and at most once in
 * one of the other counters. Immutable.
 *
 * @param processed records the run looked at; 0 or more
 * @param created records created on the receiving side; 0 or more
 * @param updated records updated on the receiving side; 0 or more
 * @param deleted records deleted on the receiving side; 0 or more
 * @param skipped records that needed nothing (unchanged, echoes, filtered out); 0 or more
 * @param conflicts records changed on both sides since the last sync, whether the strategy settled
 *     them or parked them in the conflict queue; 0 or more
 * @param failed records that failed, each with a {@link RecordError}; 0 or more
 */
public record RunCounts(int processed, int created, int updated, int deleted, int skipped, int conflicts,
    int failed) {
  /** All counters 0. */
  public static final RunCounts ZERO = new RunCounts(0, 0, 0, 0, 0, 0, 0);

  /** @throws ValidationException naming the first negative counter */
  public RunCounts {
    check(processed, "processed");
    check(created, "created");
    check(updated, "updated");
    check(deleted, "deleted");
    check(skipped, "skipped");
    check(conflicts, "conflicts");
    check(failed, "failed");
  }

  /** Records written to the receiving side: {@code created + updated + deleted}. */
  public int synced() {
    return created + updated + deleted;
  }

  private static void check(int value, String field) {
    if (value < 0) {
      throw ValidationException.of(field, Integer.toString(value), "must be 0 or more");
    }
  }
}
