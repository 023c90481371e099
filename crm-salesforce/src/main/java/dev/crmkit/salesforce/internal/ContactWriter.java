package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import java.util.Map;
import java.util.function.Function;

/** Creates, updates and deletes one customer. Thread-safe. */
public final class ContactWriter {
  private final ContactReader reader;

  public ContactWriter(ContactReader reader) {
    this.reader = reader;
  }

  /** {@code POST /sobjects/{Contact|Lead}}, then reads the record back. */
  public Customer create(CustomerDraft draft) {
    if (draft == null) {
      throw ValidationException.of("draft", "null", "must not be null");
    }
    reader.checkFields();
    Map<String, Object> fields = fields(draft);
    checkUnique(null, draft.email(), draft.phone());
    String id = reader.api().create(reader.mapping().object(), fields);
    return reader.get(id).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
  }

  /** The draft's fields, company included (a Contact's Account, found by name or created). */
  public Map<String, Object> fields(CustomerDraft draft) {
    return fields(draft, reader.accounts()::resolve);
  }

  /**
   * The draft's fields, company included.
   *
   * @param accountIds a company name's Account id; may throw the error that kept the name from one
   */
  public Map<String, Object> fields(CustomerDraft draft, Function<String, String> accountIds) {
    ContactMapping mapping = reader.mapping();
    Map<String, Object> fields = mapping.toFields(draft);
    if (mapping.isLead()) {
      fields.put("Company", draft.company() == null ? ContactMapping.NOT_PROVIDED : draft.company());
    } else if (draft.company() != null) {
      fields.put("AccountId", accountIds.apply(draft.company()));
    }
    return fields;
  }

  /** The update's fields, company included. */
  public Map<String, Object> fields(CustomerUpdate update) {
    return fields(update, reader.accounts()::resolve);
  }

  /**
   * The update's fields, company included.
   *
   * @param accountIds a company name's Account id; may throw the error that kept the name from one
   */
  public Map<String, Object> fields(CustomerUpdate update, Function<String, String> accountIds) {
    ContactMapping mapping = reader.mapping();
    Map<String, Object> fields = mapping.toFields(update);
    if (update.touches(CustomerField.COMPANY)) {
      String company = (String) update.valueOf(CustomerField.COMPANY);
      if (mapping.isLead()) {
        fields.put("Company", company == null ? ContactMapping.NOT_PROVIDED : company);
      } else {
        fields.put("AccountId", company == null ? null : accountIds.apply(company));
      }
    }
    return fields;
  }

  /** {@code PATCH /sobjects/{type}/{id}} of the live record (after merges), then reads it back. */
  public Customer update(String id, CustomerUpdate update) {
    if (update == null) {
      throw ValidationException.of("update", "null", "must not be null");
    }
    Customer current = live(id);
    Map<String, Object> fields = fields(update);
    checkUnique(current.id(), update.touches(CustomerField.EMAIL) ? (String) update.valueOf(CustomerField.EMAIL) : null,
        update.touches(CustomerField.PHONE) ? (String) update.valueOf(CustomerField.PHONE) : null);
    if (!fields.isEmpty()) {
      reader.api().update(reader.mapping().object(), current.id(), fields);
    }
    return reader.get(current.id()).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
  }

  /** {@code DELETE /sobjects/{type}/{id}}: to the recycle bin; a deleted customer stays deleted. */
  public void delete(String id) {
    Customer current = reader.get(id).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    if (!current.isDeleted()) {
      reader.api().delete(reader.mapping().object(), current.id());
    }
  }

  /**
   * Salesforce does not keep emails or phones unique (only a duplicate rule might): crmkit's rule is
   * checked by a query before the write. Not atomic: two concurrent writes can both pass.
   *
   * @throws ConflictException naming {@code email} or {@code phone} and the customer holding it
   */
  private void checkUnique(String self, String email, String phone) {
    if (email != null) {
      reader.findByEmail(email).filter(c -> !c.id().equals(self)).ifPresent(c -> {
        throw new ConflictException(SalesforceApi.PROVIDER, "email", c.id(),
            "email '" + email + "' belongs to customer " + c.id());
      });
    }
    if (phone != null && reader.mapping().phone(phone).identifying()) {
      reader.findByPhone(phone).filter(c -> !c.id().equals(self)).ifPresent(c -> {
        throw new ConflictException(SalesforceApi.PROVIDER, "phone", c.id(),
            "phone '" + phone + "' belongs to customer " + c.id());
      });
    }
  }

  private Customer live(String id) {
    Customer c = reader.get(id).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    if (c.isDeleted()) {
      throw new NotFoundException("customer '" + id + "' is deleted", SalesforceApi.PROVIDER, "customer", id, 404,
          "ENTITY_IS_DELETED", null);
    }
    return c;
  }
}
