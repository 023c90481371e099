package dev.crmkit.jdbc.internal;

import dev.crmkit.Customer;
import java.util.Objects;

/**
 * A customer row with the bookkeeping the public record does not show.
 *
 * @param customer the record
 * @param mergedIntoId the survivor it was merged into, or {@code null}
 * @param createdSeq the change sequence number of its creation
 * @param changeSeq the change sequence number of its latest write
 * @param sharesPhone whether the live customer keeps its phone without holding the phone's identity key
 *     ({@code phone_key} is null): a bulk upsert created it because the phone belonged to a customer
 *     with another email. The key stays with that customer until this one's phone changes.
 */
public record StoredCustomer(Customer customer, String mergedIntoId, long createdSeq, long changeSeq,
    boolean sharesPhone) {

  /** A row that holds every key it has. */
  public StoredCustomer(Customer customer, String mergedIntoId, long createdSeq, long changeSeq) {
    this(customer, mergedIntoId, createdSeq, changeSeq, false);
  }

  public String id() {
    return customer.id();
  }

  /**
   * This row rewritten with a new state of its customer: same merge target and creation number, and
   * still sharing its phone while the phone is unchanged.
   */
  public StoredCustomer rewritten(Customer next, long nextChangeSeq) {
    return new StoredCustomer(next, mergedIntoId, createdSeq, nextChangeSeq,
        sharesPhone && Objects.equals(customer.phone(), next.phone()));
  }
}
