package dev.crmkit;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a delta feed.
 *
 * @param type what happened
 * @param customerId the customer's id
 * @param customer the record after the change (for a deletion, the deleted record); never null
 * @param changedAt when the change was written
 * @param mergedIntoId for a deletion by merge, the survivor's id; otherwise {@code null}
 */
public record CustomerChange(ChangeType type, String customerId, Customer customer, Instant changedAt, String mergedIntoId) {
  public CustomerChange {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(customer, "customer");
    Objects.requireNonNull(changedAt, "changedAt");
  }
}
