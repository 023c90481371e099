package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Creates, updates and deletes one customer. Salesforce keeps neither emails nor phones unique, so a
 * write that sets one first looks it up, holding the org's {@link OrgLocks} of its email and phone: the
 * check and the write are atomic among this process's callers. Across processes, the org's duplicate
 * rule (a blocking rule on Contact email answers {@code DUPLICATES_DETECTED}) is what keeps emails
 * unique; phones have no such guard unless the org adds a matching rule. Thread-safe.
 */
public final class ContactWriter {
  private final ContactReader reader;
  private final OrgLocks locks;

  public ContactWriter(ContactReader reader, OrgLocks locks) {
    this.reader = reader;
    this.locks = locks;
  }

  /** {@code POST /sobjects/{Contact|Lead}}, then reads the record back. */
  public Customer create(CustomerDraft draft) {
    if (draft == null) {
      throw ValidationException.of("draft", "null", "must not be null");
    }
    reader.checkFields();
    Map<String, Object> fields = reader.mapping().toFields(draft);
    return locks.locked(lockKeys(draft.email(), draft.phone()), () -> {
      checkUnique(null, draft.email(), draft.phone());
      putCompany(fields, draft.company(), reader.accounts()::resolve);
      String id;
      try {
        id = reader.api().create(reader.mapping().object(), fields);
      } catch (ConflictException e) {
        throw named(e, draft.email());
      }
      return reader.get(id).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    });
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
    Map<String, Object> fields = reader.mapping().toFields(draft);
    putCompany(fields, draft.company(), accountIds);
    return fields;
  }

  private void putCompany(Map<String, Object> fields, String company, Function<String, String> accountIds) {
    if (reader.mapping().isLead()) {
      fields.put("Company", company == null ? ContactMapping.NOT_PROVIDED : company);
    } else if (company != null) {
      fields.put("AccountId", accountIds.apply(company));
    }
  }

  /** The lock keys of a write setting this email and phone: the normalized email and the phone's identity key. */
  public List<String> lockKeys(String email, String phone) {
    List<String> keys = new ArrayList<>();
    if (email != null && EmailAddresses.isValid(email)) {
      keys.add("email:" + EmailAddresses.normalize(email, "email"));
    }
    if (phone != null) {
      try {
        String key = reader.mapping().phone(phone).identityKey();
        if (key != null) {
          keys.add("phone:" + key);
        }
      } catch (ValidationException noDigits) {
        // rejected by the mapping; nothing to lock
      }
    }
    return keys;
  }

  /**
   * A duplicate rule's conflict names no field: it is the email's when the email's holder is the
   * record the rule matched.
   */
  private ConflictException named(ConflictException e, String email) {
    if (e.field() != null || email == null || e.existingId() == null) {
      return e;
    }
    boolean byEmail = reader.findByEmail(email).map(c -> c.id().equals(e.existingId())).orElse(false);
    return byEmail ? new ConflictException(e.getMessage(), SalesforceApi.PROVIDER, "email", e.existingId(),
        e.httpStatus(), e.vendorCode(), e.requestId(), e) : e;
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
    Map<String, Object> fields = reader.mapping().toFields(update);
    putCompany(fields, update, accountIds);
    return fields;
  }

  private void putCompany(Map<String, Object> fields, CustomerUpdate update, Function<String, String> accountIds) {
    ContactMapping mapping = reader.mapping();
    if (update.touches(CustomerField.COMPANY)) {
      String company = (String) update.valueOf(CustomerField.COMPANY);
      if (mapping.isLead()) {
        fields.put("Company", company == null ? ContactMapping.NOT_PROVIDED : company);
      } else {
        fields.put("AccountId", company == null ? null : accountIds.apply(company));
      }
    }
  }

  /** {@code PATCH /sobjects/{type}/{id}} of the live record (after merges), then reads it back. */
  public Customer update(String id, CustomerUpdate update) {
    if (update == null) {
      throw ValidationException.of("update", "null", "must not be null");
    }
    Customer current = live(id);
    Map<String, Object> fields = reader.mapping().toFields(update);
    String email = update.touches(CustomerField.EMAIL) ? (String) update.valueOf(CustomerField.EMAIL) : null;
    String phone = update.touches(CustomerField.PHONE) ? (String) update.valueOf(CustomerField.PHONE) : null;
    return locks.locked(lockKeys(email, phone), () -> {
      checkUnique(current.id(), email, phone);
      putCompany(fields, update, reader.accounts()::resolve);
      if (!fields.isEmpty()) {
        try {
          reader.api().update(reader.mapping().object(), current.id(), fields);
        } catch (ConflictException e) {
          throw named(e, email);
        }
      }
      return reader.get(current.id()).orElseThrow(() -> new NotFoundException(SalesforceApi.PROVIDER, "customer", id));
    });
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
   * checked by a query before the write, under the org's locks of the keys (see the class comment).
   *
   * @throws ConflictException naming {@code email} or {@code phone} and the customer holding it
   */
  void checkUnique(String self, String email, String phone) {
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
