package dev.crmkit.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where {@link EventActions} keeps events between their submission and their processing: an outbox,
 * durable in the host's database ({@code dev.crmkit.jdbc.JdbcEventOutbox}) or in memory
 * ({@link InMemoryEventOutbox}). An implementer needs only this interface.
 *
 * <p>Rules every implementation keeps:
 * <ul>
 *   <li>An event id is stored once per tenant: a second {@link #append} of it changes nothing.
 *   <li>{@link #claim} hands each due entry to one worker at a time, across threads and processes
 *       sharing the outbox: a {@code PENDING} entry whose {@code nextAttemptAt} has come, or an
 *       {@code IN_PROGRESS} entry whose lease ended (its worker died). Claiming counts an attempt.
 *   <li>{@link #complete} and {@link #fail} change an entry only while the given worker holds it
 *       ({@code IN_PROGRESS}, {@code lockedBy} that worker), so a worker that lost its lease cannot undo
 *       the work of the one that took over.
 * </ul>
 * Implementations are thread-safe.
 */
public interface EventOutbox {

  /**
   * Stores an event as {@code PENDING}, due at {@code now}.
   *
   * @return {@code true} when stored; {@code false} when the tenant has an entry with this event id
   *     already (in any status), which is left unchanged
   */
  boolean append(HostEvent event, Instant now);

  /**
   * Claims up to {@code max} due entries for a worker: each becomes {@code IN_PROGRESS}, locked by
   * {@code workerId} until {@code now + lease}, with its attempt count raised by one.
   *
   * @param workerId 1 to 100 characters naming the worker, unique among live workers
   * @param max 1 to 1,000
   * @return the claimed entries as they are after the claim, oldest due first; empty when none is due
   */
  List<OutboxEntry> claim(String workerId, int max, Instant now, Duration lease);

  /**
   * Marks an entry the worker holds {@code DONE}.
   *
   * @param outcome what was written, at most 4,000 characters, or {@code null}
   * @return {@code false} when the worker no longer holds the entry (nothing changed)
   */
  boolean complete(String tenantId, String eventId, String workerId, String outcome, Instant now);

  /**
   * Records a failed attempt of an entry the worker holds: {@code PENDING} again, due at
   * {@code retryAt}, or {@code PARKED} when {@code retryAt} is {@code null}.
   *
   * @param error the failure's text, at most 4,000 characters; never a secret
   * @return {@code false} when the worker no longer holds the entry (nothing changed)
   */
  boolean fail(String tenantId, String eventId, String workerId, String error, Instant retryAt, Instant now);

  /**
   * The tenant's {@code PARKED} entries, oldest first.
   *
   * @param limit 1 to 1,000
   */
  List<OutboxEntry> parked(String tenantId, int limit);

  /**
   * Makes a {@code PARKED} entry {@code PENDING} again, due at {@code now}, its attempts reset to zero.
   *
   * @return {@code false} when there is no such entry or it is not parked
   */
  boolean replay(String tenantId, String eventId, Instant now);

  /** The entry of an event, in any status. */
  Optional<OutboxEntry> find(String tenantId, String eventId);

  /** How many entries the tenant has in each status; every status is a key (zero when none). */
  Map<OutboxStatus, Long> counts(String tenantId);
}
