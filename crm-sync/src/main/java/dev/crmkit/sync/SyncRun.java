package dev.crmkit.sync;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One sync run of an integration, as the run log keeps it. Immutable.
 *
 * @param id the run's id, unique in the store
 * @param key the integration
 * @param kind what the run does, in the sync engine's words, such as {@code "pull/delta"}
 * @param status where it stands
 * @param startedAt when it started
 * @param finishedAt when it finished; {@code null} while {@link RunStatus#RUNNING}
 * @param counts what it did; while running, what it did up to its last checkpoint
 */
public record SyncRun(String id, IntegrationKey key, String kind, RunStatus status, Instant startedAt,
    Instant finishedAt, RunCounts counts) {

  /** How long the run took; empty while it is running. */
  public Optional<Duration> duration() {
    return finishedAt == null ? Optional.empty() : Optional.of(Duration.between(startedAt, finishedAt));
  }
}
