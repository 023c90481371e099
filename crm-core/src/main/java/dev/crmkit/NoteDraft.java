package dev.crmkit;

import dev.crmkit.error.ValidationException;
import java.time.Instant;

/**
 * The input to add a note.
 *
 * @param content the text, 1 to 65,536 characters after trimming
 * @param createdBy author, or {@code null}
 * @param createdAt time to record, or {@code null} for now
 */
public record NoteDraft(String content, String createdBy, Instant createdAt) {
  /** Longest note accepted, in characters. */
  public static final int MAX_LENGTH = 65_536;

  /** @throws ValidationException naming {@code content} when blank or too long */
  public NoteDraft {
    if (content == null || content.isBlank()) {
      throw ValidationException.of("content", content, "a note must not be blank");
    }
    content = content.strip();
    if (content.length() > MAX_LENGTH) {
      throw ValidationException.of("content", content.substring(0, 40) + "...", "longer than " + MAX_LENGTH + " characters");
    }
    createdBy = createdBy == null || createdBy.isBlank() ? null : createdBy.strip();
  }

  /** A note by nobody in particular, written now. */
  public static NoteDraft of(String content) {
    return new NoteDraft(content, null, null);
  }
}
