package dev.crmkit;

import dev.crmkit.error.ValidationException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The input to log an activity.
 *
 * <p>With an {@code idempotencyKey} (such as {@code "sms:SM123"} for an inbound message id), logging
 * the same key twice for a tenant records one activity: the second call returns the first activity
 * unchanged. Systems that support this list {@link Capability#IDEMPOTENT_ACTIVITIES}.
 *
 * @param type what happened; required
 * @param channel where, or {@code null}
 * @param description short text, or {@code null}; at most 65,536 characters
 * @param occurredAt when, or {@code null} for now
 * @param metadata extra facts; never null after construction
 * @param idempotencyKey at most 200 characters, or {@code null}
 */
public record ActivityDraft(
    ActivityType type,
    Channel channel,
    String description,
    Instant occurredAt,
    Map<String, String> metadata,
    String idempotencyKey) {

  /** @throws ValidationException naming {@code type}, {@code description} or {@code idempotencyKey} */
  public ActivityDraft {
    if (type == null) {
      throw ValidationException.of("type", null, "an activity needs a type");
    }
    if (description != null && description.length() > NoteDraft.MAX_LENGTH) {
      throw ValidationException.of("description", description.substring(0, 40) + "...", "longer than 65536 characters");
    }
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
      throw ValidationException.of("idempotencyKey", idempotencyKey, "must be 1 to 200 non-blank characters");
    }
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
    metadata.forEach((k, v) -> Objects.requireNonNull(v, () -> "metadata value for '" + k + "'"));
  }

  /** An activity of a type on a channel, now, without metadata or idempotency key. */
  public static ActivityDraft of(ActivityType type, Channel channel, String description) {
    return new ActivityDraft(type, channel, description, null, Map.of(), null);
  }
}
