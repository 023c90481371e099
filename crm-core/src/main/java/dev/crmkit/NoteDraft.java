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
 */
public record NoteDraft(String content, String createdBy, Instant createdAt) {
  /** Longest note accepted, in characters. */
  public static final int MAX_LENGTH = Validation.MAX_LONG_TEXT;

  /**
   * @throws ValidationException naming {@code content} when blank or over its limit, {@code createdBy}
   *     when over its limit, {@code createdAt} when out of range, or a field holding a bad character
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
    Validation.throwIfAny(errors);
  }

  /** A note by nobody in particular, written now. */
  public static NoteDraft of(String content) {
    return new NoteDraft(content, null, null);
  }
}
