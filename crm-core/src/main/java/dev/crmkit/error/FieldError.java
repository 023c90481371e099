package dev.crmkit.error;

import java.util.Objects;

/**
 * One rejected field of an input.
 *
 * @param field the field's name as the API spells it, such as {@code "email"} or {@code "tags[2]"}
 * @param value the rejected value as given (may be {@code null} for a missing value)
 * @param message why it was rejected
 */
public record FieldError(String field, String value, String message) {
  public FieldError {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + (value == null ? " (missing)" : " '" + value + "'") + ": " + message;
  }
}
