package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The input to add a note. Text holds no {@code U+0000} and no unpaired surrogate; lengths count
 * UTF-16 units.
 *
 * @param content the text, 1 to 65,536 characters after trimming
 * @param createdBy author, at most 255 characters after trimming, or {@code null}
 * @param createdAt time to record, in years 0001 to 9999, or {@code null} for now; the native store
 *     and the memory provider reject a time more than one day ahead of their clock
 * @param idempotencyKey 1 to 200 characters, not blank, or {@code null}; adding a note with a key the
 *     tenant already used returns the earlier note (see {@link CustomerSystem#addNote})
 */
public record NoteDraft(String content, String createdBy, Instant createdAt, String idempotencyKey) {
  /** Longest note accepted, in characters. */
  public static final int MAX_LENGTH = Validation.MAX_LONG_TEXT;

  /**
   * @throws ValidationException naming {@code content} when blank or over its limit, {@code createdBy}
   *     when over its limit, {@code createdAt} when out of range, {@code idempotencyKey} when blank or
   *     over 200 characters, or a field holding a bad character
   */
  public NoteDraft {
    List<FieldError> errors = new ArrayList<>();
    if (content == null || content.isBlank()) {
      errors.add(new FieldError("content", Validation.abbreviate(content), "a note must not be blank"));
    } else {
      content = Validation.text(content, "content", MAX_LENGTH, errors);
    }
    createdBy = Validation.text(createdBy, "createdBy", errors);
    Validation.instant(createdAt, "createdAt", errors);
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      errors.add(new FieldError("idempotencyKey", Validation.abbreviate(idempotencyKey), "must not be blank"));
    } else {
      Validation.check(idempotencyKey, "idempotencyKey", Validation.MAX_IDEMPOTENCY_KEY, errors);
    }
    Validation.throwIfAny(errors);
  }

  /** A note without an idempotency key. */
  public NoteDraft(String content, String createdBy, Instant createdAt) {
    this(content, createdBy, createdAt, null);
  }

  /** A copy with an idempotency key. */
  public NoteDraft withIdempotencyKey(String key) {
    return new NoteDraft(content, createdBy, createdAt, key);
  }

  /** A note by nobody in particular, written now. */
  public static NoteDraft of(String content) {
    return new NoteDraft(content, null, null);
  }
}
