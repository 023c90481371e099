package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The input to log an activity.
 *
 * <p>With an {@code idempotencyKey} (such as {@code "sms:SM123"} for an inbound message id), logging
 * the same key twice for a tenant records one activity: the second call returns the first activity
 * unchanged. Systems that support this list {@link Capability#IDEMPOTENT_ACTIVITIES}.
 *
 * <p>Text holds no {@code U+0000} and no unpaired surrogate; lengths count UTF-16 units.
 *
 * @param type what happened; required
 * @param channel where, or {@code null}
 * @param description short text, or {@code null}; at most 65,536 characters
 * @param occurredAt when, in years 0001 to 9999, or {@code null} for now; the native store and the
 *     memory provider reject a time more than one day ahead of their clock
 * @param metadata extra facts: keys 1 to 255 characters, values not null and at most 65,536
 *     characters; {@code null} given becomes empty; never null after construction
 * @param idempotencyKey 1 to 200 characters, not blank, or {@code null}
 */
public record ActivityDraft(
    ActivityType type,
    Channel channel,
    String description,
    Instant occurredAt,
    Map<String, String> metadata,
    String idempotencyKey) {

  /**
   * @throws ValidationException naming {@code type} when null, or each of {@code description},
   *     {@code occurredAt}, {@code metadata} (a null, empty or over-long key), {@code metadata.<key>}
   *     (a null or over-long value) and {@code idempotencyKey} that breaks its limit
   */
  public ActivityDraft {
    List<FieldError> errors = new ArrayList<>();
    if (type == null) {
      errors.add(new FieldError("type", null, "an activity needs a type"));
    }
    Validation.check(description, "description", Validation.MAX_LONG_TEXT, errors);
    Validation.instant(occurredAt, "occurredAt", errors);
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      errors.add(new FieldError("idempotencyKey", Validation.abbreviate(idempotencyKey), "must not be blank"));
    } else {
      Validation.check(idempotencyKey, "idempotencyKey", Validation.MAX_IDEMPOTENCY_KEY, errors);
    }
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(Validation.metadata(metadata, errors));
    Validation.throwIfAny(errors);
  }

  /** An activity of a type on a channel, now, without metadata or idempotency key. */
  public static ActivityDraft of(ActivityType type, Channel channel, String description) {
    return new ActivityDraft(type, channel, description, null, Map.of(), null);
  }
}
