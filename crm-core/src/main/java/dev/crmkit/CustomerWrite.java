package dev.crmkit;

import dev.crmkit.error.ValidationException;

/**
 * One write of {@link CustomerSystem#bulkWrite}: either the creation of a customer from a draft, or
 * an update of the customer with a known id. Exactly one of {@code draft} and {@code update} is set;
 * {@code customerId} is set exactly with {@code update}.
 *
 * @param customerId the customer to update; {@code null} for a create
 * @param draft the values of a new customer, set as given; {@code null} for an update
 * @param update the changes to the customer {@code customerId}; {@code null} for a create
 */
public record CustomerWrite(String customerId, CustomerDraft draft, CustomerUpdate update) {
  /** @throws ValidationException naming the component that is missing, blank or set when it must not be */
  public CustomerWrite {
    if ((draft == null) == (update == null)) {
      throw ValidationException.of(draft == null ? "draft" : "update", null,
          "a write is either a create (a draft) or an update (an id and an update), not both or neither");
    }
    if (update != null && (customerId == null || customerId.isBlank())) {
      throw ValidationException.of("customerId", customerId, "an update needs the id of the customer it changes");
    }
    if (draft != null && customerId != null) {
      throw ValidationException.of("customerId", customerId, "a create must not name an id");
    }
  }

  /**
   * @param draft the new customer's values; not null
   * @return a create
   * @throws ValidationException naming {@code draft} when null
   */
  public static CustomerWrite create(CustomerDraft draft) {
    return new CustomerWrite(null, draft, null);
  }

  /**
   * @param customerId the customer to change; not blank
   * @param update the changes; not null
   * @return an update
   * @throws ValidationException naming {@code customerId} or {@code update} when missing
   */
  public static CustomerWrite update(String customerId, CustomerUpdate update) {
    return new CustomerWrite(customerId, null, update);
  }

  /** @return true for a create, false for an update */
  public boolean isCreate() {
    return draft != null;
  }
}
