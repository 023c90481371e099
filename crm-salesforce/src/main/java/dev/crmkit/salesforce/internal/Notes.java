package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerNote;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.error.NotFoundException;

/**
 * Notes on customers, as Lightning notes ({@link ContentNotes}) or classic Notes ({@link ClassicNotes}), by the
 * provider's {@code noteObject} setting. Thread-safe.
 */
public interface Notes {
  /**
   * Adds the note to the live customer (after merges).
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist or is deleted
   * @throws dev.crmkit.error.ValidationException naming the draft field the note object cannot hold
   */
  CustomerNote add(String customerId, NoteDraft draft);

  /**
   * The customer's notes, newest first, continued by a keyset cursor.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   * @throws dev.crmkit.error.ValidationException naming {@code cursor} for a cursor this list did not issue
   */
  Page<CustomerNote> list(String customerId, PageRequest page);

  /** The live customer, or {@link NotFoundException} (also for a deleted one). */
  static Customer live(ContactReader reader, String customerId) {
    Customer c = reader.get(customerId).orElseThrow(
        () -> new NotFoundException(SalesforceApi.PROVIDER, "customer", customerId));
    if (c.isDeleted()) {
      throw new NotFoundException("customer '" + customerId + "' is deleted", SalesforceApi.PROVIDER, "customer",
          customerId, 404, "ENTITY_IS_DELETED", null);
    }
    return c;
  }

  /** The customer, deleted or not, or {@link NotFoundException}. */
  static Customer existing(ContactReader reader, String customerId) {
    return reader.get(customerId).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", customerId));
  }
}
