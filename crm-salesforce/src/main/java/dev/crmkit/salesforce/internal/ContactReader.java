package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads customers: by id (following merges through {@code MasterRecordId}), by email, by phone, with
 * every value bound as an escaped SOQL literal ({@link Soql}). Checks once, against describe, that
 * every mapped custom field exists. Thread-safe.
 */
public final class ContactReader {
  private static final int MAX_MERGE_HOPS = 10;
  private final String tenantId;
  private final SalesforceApi api;
  private final ContactMapping mapping;
  private final Map<String, String> accountNames = new ConcurrentHashMap<>();
  private final AccountResolver accounts;
  private volatile boolean described;

  public ContactReader(String tenantId, SalesforceApi api, ContactMapping mapping) {
    this.tenantId = tenantId;
    this.api = api;
    this.mapping = mapping;
    this.accounts = new AccountResolver(api, accountNames::put, AccountResolver.DEFAULT_CAPACITY);
  }

  /** The tenant's Accounts by name, cached. */
  public AccountResolver accounts() {
    return accounts;
  }

  public String tenantId() {
    return tenantId;
  }

  public SalesforceApi api() {
    return api;
  }

  public ContactMapping mapping() {
    return mapping;
  }

  /**
   * Checks once that the object has every custom field the mapping uses.
   *
   * @throws ConfigurationException naming the missing fields
   */
  public void checkFields() {
    if (described) {
      return;
    }
    Set<String> present = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    if (api.describe(mapping.object()).get("fields") instanceof List<?> fields) {
      for (Object f : fields) {
        if (f instanceof Map<?, ?> m && m.get("name") instanceof String name) {
          present.add(name);
        }
      }
    }
    Set<String> missing = new LinkedHashSet<>(mapping.customFieldNames());
    missing.removeAll(present);
    if (!missing.isEmpty()) {
      throw new ConfigurationException("tenant '" + tenantId + "', provider 'salesforce': " + mapping.object()
          + " has no field " + missing + " (describe); create them in Setup or fix the customField.* settings");
    }
    described = true;
  }

  /** By id, including a deleted one, following merges; empty for an id that is not a Salesforce id. */
  public Optional<Customer> get(String id) {
    if (!Soql.isId(id)) {
      return Optional.empty();
    }
    checkFields();
    String current = id;
    for (int hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      List<Map<String, Object>> rows = api.queryAllPages("SELECT " + mapping.selectList() + " FROM " + mapping.object()
          + " WHERE Id = " + Soql.literal(current), true);
      if (rows.isEmpty()) {
        return Optional.empty();
      }
      Map<String, Object> row = rows.get(0);
      if (row.get("MasterRecordId") instanceof String master && !master.isBlank()) {
        current = master;
        continue;
      }
      return Optional.of(toCustomers(rows).get(0));
    }
    return Optional.empty();
  }

  /** The live customer with this email (Salesforce compares emails case-insensitively); empty for a malformed one. */
  public Optional<Customer> findByEmail(String email) {
    if (email == null || email.isBlank()) {
      return Optional.empty();
    }
    checkFields();
    if (!EmailAddresses.isValid(email)) {
      return Optional.empty();
    }
    String normalized = EmailAddresses.normalize(email, "email");
    return first("Email = " + Soql.literal(normalized));
  }

  /** The live customer with this phone: as written by crmkit (E.164) or as typed; empty for one without digits. */
  public Optional<Customer> findByPhone(String phone) {
    if (phone == null || phone.isBlank()) {
      return Optional.empty();
    }
    checkFields();
    NormalizedPhone p;
    try {
      p = mapping.phone(phone);
    } catch (ValidationException noDigits) {
      return Optional.empty();
    }
    Set<String> forms = phoneForms(p, phone);
    return first("Phone IN " + Soql.list(forms));
  }

  /**
   * The stored forms a phone may have: as crmkit writes it (E.164 with extension), E.164, as typed, and
   * its digits alone (how crmkit writes a number that does not parse). SOQL cannot compare by digits, so a
   * number typed in Salesforce in another unparseable form is not found.
   */
  public static Set<String> phoneForms(NormalizedPhone p, String typed) {
    Set<String> forms = new LinkedHashSet<>(List.of(p.withExtension(), p.value(), typed.strip()));
    String digits = typed.replaceAll("[^0-9]", "");
    if (!digits.isEmpty()) {
      forms.add(digits);
    }
    return forms;
  }

  private Optional<Customer> first(String where) {
    List<Map<String, Object>> rows = api.query("SELECT " + mapping.selectList() + " FROM " + mapping.object()
        + " WHERE " + where + " ORDER BY CreatedDate ASC LIMIT 1", false, 200).items();
    return rows.isEmpty() ? Optional.empty() : Optional.of(toCustomers(rows).get(0));
  }

  /** Rows as customers; a Contact's company is its Account's name, read for the whole page in one query. */
  public List<Customer> toCustomers(List<Map<String, Object>> rows) {
    if (!mapping.isLead()) {
      Set<String> unknown = new TreeSet<>();
      rows.forEach(r -> {
        if (r.get("AccountId") instanceof String a && Soql.isId(a) && !accountNames.containsKey(a)) {
          unknown.add(a);
        }
      });
      if (!unknown.isEmpty()) {
        for (Map<String, Object> a : api.queryAllPages("SELECT Id, Name FROM Account WHERE Id IN "
            + Soql.list(unknown), false)) {
          accountNames.put((String) a.get("Id"), String.valueOf(a.get("Name")));
        }
      }
    }
    List<Customer> out = new ArrayList<>(rows.size());
    for (Map<String, Object> r : rows) {
      String company = r.get("AccountId") instanceof String a ? accountNames.get(a) : null;
      out.add(mapping.toCustomer(tenantId, r, company));
    }
    return out;
  }

  /** The id of the Account named {@code name}, created when there is none (see {@link AccountResolver#resolve}). */
  public String accountId(String name) {
    return accounts.resolve(name);
  }
}
