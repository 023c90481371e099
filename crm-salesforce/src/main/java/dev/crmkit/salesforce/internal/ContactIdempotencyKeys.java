package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.error.ValidationException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The idempotency keys of Contacts (or Leads) the sync engine creates ({@link dev.crmkit.IdempotentCreates}):
 * kept in the crmkit custom field {@value #FIELD}, which the setting {@code customField.crmkitIdempotencyKey}
 * maps to a text field of the org, and found by one SOQL {@code IN} query per 200 keys. Without the setting
 * keys are not stored and never found, so such creates are not protected. Thread-safe.
 */
public final class ContactIdempotencyKeys {
  /** The crmkit custom field name the key is kept under. */
  public static final String FIELD = "crmkitIdempotencyKey";
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Keys per query: keeps the SOQL text far below its 100,000-character limit. */
  private static final int KEYS_PER_QUERY = 200;

  private final ContactReader reader;

  public ContactIdempotencyKeys(ContactReader reader) {
    this.reader = reader;
  }

  /**
   * The draft with the key in the custom field; the draft as it is when no field is configured.
   *
   * @throws ValidationException naming {@code idempotencyKey} when it is not 1 to 64 of {@code [A-Za-z0-9-]}
   */
  public CustomerDraft withIdempotencyKey(CustomerDraft draft, String idempotencyKey) {
    Objects.requireNonNull(draft, "draft");
    if (idempotencyKey == null || !KEY.matcher(idempotencyKey).matches()) {
      throw ValidationException.of("idempotencyKey", idempotencyKey, "must be 1 to 64 of [A-Za-z0-9-]");
    }
    if (apiName().isEmpty()) {
      return draft;
    }
    Map<String, String> custom = new TreeMap<>(draft.customFields());
    custom.put(FIELD, idempotencyKey);
    return draft.toBuilder().customFields(custom).build();
  }

  /** The key a customer was created under, if any. */
  public Optional<String> idempotencyKey(Customer customer) {
    return Optional.ofNullable(customer.customFields().get(FIELD)).filter(k -> !k.isBlank());
  }

  /** Live customers by key; keys of the wrong form are left out; empty when no field is configured. */
  public Map<String, Customer> findByIdempotencyKeys(Collection<String> idempotencyKeys) {
    Map<String, Customer> found = new LinkedHashMap<>();
    Optional<String> field = apiName();
    if (field.isEmpty()) {
      return found;
    }
    List<String> wanted = idempotencyKeys.stream().filter(k -> k != null && KEY.matcher(k).matches())
        .distinct().toList();
    reader.checkFields();
    for (int from = 0; from < wanted.size(); from += KEYS_PER_QUERY) {
      List<String> chunk = wanted.subList(from, Math.min(wanted.size(), from + KEYS_PER_QUERY));
      List<Map<String, Object>> rows = reader.api().queryAllPages("SELECT " + reader.mapping().selectList()
          + " FROM " + reader.mapping().object() + " WHERE " + field.get() + " IN " + Soql.list(chunk), false);
      for (Customer c : reader.toCustomers(rows)) {
        idempotencyKey(c).ifPresent(k -> found.putIfAbsent(k, c));
      }
    }
    return found;
  }

  private Optional<String> apiName() {
    return reader.mapping().customFieldApiName(FIELD);
  }
}
