package dev.crmkit.jdbc.internal;

import dev.crmkit.Customer;

/**
 * A customer row with the bookkeeping the public record does not show.
 *
 * @param customer the record
 * @param mergedIntoId the survivor it was merged into, or {@code null}
 * @param createdSeq the change sequence number of its creation
 * @param changeSeq the change sequence number of its latest write
 */
public record StoredCustomer(Customer customer, String mergedIntoId, long createdSeq, long changeSeq) {
  public String id() {
    return customer.id();
  }
}
