package dev.crmkit.hubspot.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Page;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.hubspot.internal.HubSpotApi.Search;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The idempotency keys of contacts the sync engine creates ({@link dev.crmkit.IdempotentCreates}):
 * kept in the contact property {@value Engagement#IDEMPOTENCY_KEY}, which the mapping shows as the
 * custom field of that name under its unknown-property prefix, and found by search. Thread-safe.
 */
public final class ContactIdempotencyKeys {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Keys looked up per search: one filter group each, within HubSpot's limit of five groups. */
  private static final int KEYS_PER_SEARCH = 5;

  private final ContactReader contacts;

  public ContactIdempotencyKeys(ContactReader contacts) {
    this.contacts = contacts;
  }

  /**
   * The draft with the key in the custom field.
   *
   * @throws ValidationException naming {@code idempotencyKey} when it is not 1 to 64 of {@code [A-Za-z0-9-]}
   */
  public CustomerDraft withIdempotencyKey(CustomerDraft draft, String idempotencyKey) {
    Objects.requireNonNull(draft, "draft");
    if (idempotencyKey == null || !KEY.matcher(idempotencyKey).matches()) {
      throw ValidationException.of("idempotencyKey", idempotencyKey, "must be 1 to 64 of [A-Za-z0-9-]");
    }
    Map<String, String> custom = new TreeMap<>(draft.customFields());
    custom.put(field(), idempotencyKey);
    return draft.toBuilder().customFields(custom).build();
  }

  /** The key a customer was created under, if any. */
  public Optional<String> idempotencyKey(Customer customer) {
    return Optional.ofNullable(customer.customFields().get(field())).filter(k -> !k.isBlank());
  }

  /** Live customers by key, searched {@code EQ} five keys per search; keys of the wrong form are left out. */
  public Map<String, Customer> findByIdempotencyKeys(Collection<String> idempotencyKeys) {
    List<String> wanted = idempotencyKeys.stream().filter(k -> k != null && KEY.matcher(k).matches())
        .distinct().toList();
    Map<String, Customer> found = new LinkedHashMap<>();
    for (int from = 0; from < wanted.size(); from += KEYS_PER_SEARCH) {
      List<List<Filter>> groups = wanted.subList(from, Math.min(wanted.size(), from + KEYS_PER_SEARCH)).stream()
          .map(k -> List.of(new Filter(Engagement.IDEMPOTENCY_KEY, "EQ", k))).toList();
      Page<Map<String, Object>> pages = contacts.api().searchContacts(
          new Search(groups, List.of(), contacts.readProperties(), HubSpotApi.LIST_PAGE_LIMIT, null));
      for (Map<String, Object> contact : pages.autoPaging()) {
        Customer c = contacts.read(contact);
        idempotencyKey(c).ifPresent(k -> found.putIfAbsent(k, c));
      }
    }
    return found;
  }

  private String field() {
    return contacts.mapping().unknownPropertyPrefix() + Engagement.IDEMPOTENCY_KEY;
  }
}
