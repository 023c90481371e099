package dev.crmkit.actions;

import java.time.Instant;
import java.util.Objects;

/**
 * One event in an {@link EventOutbox}, as stored.
 *
 * @param tenantId the event's tenant
 * @param eventId the event's id, unique per tenant
 * @param eventType the {@link EventType} name as stored; a string, so that a row written by a newer
 *     crmkit or by hand can still be read and parked
 * @param payload the event as {@link HostEventCodec} wrote it
 * @param status where it stands
 * @param attempts how many times it was claimed since it was appended or last replayed
 * @param nextAttemptAt when a {@code PENDING} entry is due; {@code null} in other statuses
 * @param lockedBy the worker holding an {@code IN_PROGRESS} entry, or {@code null}
 * @param lockedUntil when that worker's lease ends, or {@code null}
 * @param lastError the last failure's text (never a secret or a stored value of the database), or {@code null}
 * @param outcome what the action reported when it succeeded (such as a degraded write), or {@code null}
 * @param createdAt when it was appended
 * @param updatedAt when it last changed
 * @param doneAt when it became {@code DONE}, or {@code null}
 */
public record OutboxEntry(String tenantId, String eventId, String eventType, String payload, OutboxStatus status,
    int attempts, Instant nextAttemptAt, String lockedBy, Instant lockedUntil, String lastError, String outcome,
    Instant createdAt, Instant updatedAt, Instant doneAt) {

  public OutboxEntry {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(status, "status");
  }
}
