package dev.crmkit.examples.imports;

import java.util.Objects;

/**
 * A row that met a customer already in the store (or created earlier in the same import).
 *
 * @param file the file's name; never null
 * @param line the 1-based line the row starts on
 * @param customerId the customer the row updated, or the one it was created beside; never null
 * @param reason why, such as {@code "matched by email"}, {@code "matched by phone"} or
 *     {@code "same phone, other email: created as a duplicate candidate of <id>"}; never null
 */
public record RowMatch(String file, long line, String customerId, String reason) {
  public RowMatch {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(reason, "reason");
  }

  /** As {@code customers.csv:17: customer 0195…: matched by email}. */
  @Override
  public String toString() {
    return file + ":" + line + ": customer " + customerId + ": " + reason;
  }
}
