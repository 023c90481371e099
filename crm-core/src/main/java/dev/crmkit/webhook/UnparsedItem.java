package dev.crmkit.webhook;

import dev.crmkit.error.ValidationException;

/**
 * One element of a verified webhook payload that could not be turned into a {@link ChangeEvent}
 * (a field missing or of the wrong type). It is reported so the host can log or park it; the rest
 * of the batch is still delivered.
 *
 * @param index position of the element in the payload, from 0
 * @param reason why it could not be parsed, naming the field; never {@code null}
 * @param raw the element as the vendor sent it, cut to at most 500 characters; never {@code null}
 */
public record UnparsedItem(int index, String reason, String raw) {
  /** Longest {@link #raw()} kept. */
  public static final int MAX_RAW = 500;

  /** @throws ValidationException when the index is negative or the reason is blank */
  public UnparsedItem {
    if (index < 0) {
      throw ValidationException.of("index", Integer.toString(index), "must be 0 or more");
    }
    if (reason == null || reason.isBlank()) {
      throw ValidationException.of("reason", reason, "an unparsed item needs a reason");
    }
    raw = raw == null ? "" : raw.length() <= MAX_RAW ? raw : raw.substring(0, MAX_RAW - 3) + "...";
  }
}
