package dev.crmkit.integrations.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the scheduled jobs do, apart from when and where they run ({@link Jobs}). Each method runs
 * on one node for one period, and returns a short detail for the job log (counts, never secrets);
 * an exception marks the run failed.
 */
public interface JobWork {
  /** An integration with a delta-sync schedule: its id and interval. */
  record Scheduled(String integrationId, Duration interval) {}

  /** The integrations whose schedule asks for delta syncs (ACTIVE, not MANUAL). */
  List<Scheduled> scheduled();

  /**
   * One scheduled delta sync of an integration; does nothing (returns why) when it was deleted, paused,
   * or its schedule became MANUAL since it was scheduled.
   */
  String deltaSync(String integrationId);

  /** Tests the connection of every ACTIVE and ERROR integration. */
  String healthCheck();

  /** Counts the open conflicts per integration. */
  String conflictDetection();

  /**
   * Runs again the integrations whose last run failed, each at most a few times since its last
   * success (then it stays ERROR); {@code period} names this run of the job, for the job log.
   */
  String retryFailed(String period);

  /** Deletes runs, webhook deliveries and job log rows older than {@code cutoff}. */
  String cleanup(Instant cutoff);
}
