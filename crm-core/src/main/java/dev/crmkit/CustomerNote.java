package dev.crmkit;

import java.time.Instant;
import java.util.Objects;

/**
 * A free-text note on a customer.
 *
 * @param id the back end's note id; never null
 * @param customerId the customer the note belongs to; never null
 * @param content the text; never null
 * @param createdBy who wrote it (a user name or system name), or {@code null}
 * @param createdAt when it was written; never null
 */
public record CustomerNote(String id, String customerId, String content, String createdBy, Instant createdAt) {
  public CustomerNote {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(createdAt, "createdAt");
  }
}
