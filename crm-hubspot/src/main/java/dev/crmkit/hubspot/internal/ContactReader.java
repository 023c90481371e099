package dev.crmkit.hubspot.internal;

import dev.crmkit.Customer;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.HubSpotContactMapping;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads contacts: by id (following merges, then among the archived), by email, by phone, and turns a
 * HubSpot contact object into a {@link Customer} through the mapping. Every other job reads through
 * it, so the properties requested and the mapping applied are the same everywhere. Thread-safe.
 */
public final class ContactReader {
  /** The contact property listing the ids merged into a contact, separated by {@code ;}. */
  public static final String MERGED_IDS = "hs_merged_object_ids";
  /** Emails that can go in a URL path segment as they are. */
  private static final Pattern URL_SAFE_EMAIL = Pattern.compile("[^/\\\\?#%]+");
  private static final Pattern ID = Pattern.compile("\\d{1,19}");

  private final String tenantId;
  private final HubSpotApi api;
  private final HubSpotContactMapping mapping;
  private final PhoneNumbers phoneNumbers;
  private final Clock clock;
  private final int resultCap;
  private final List<String> readProperties;
  private final Set<String> mappedProperties;

  /**
   * @param resultCap HubSpot's cap on the results one search query can page through
   */
  public ContactReader(String tenantId, HubSpotApi api, HubSpotContactMapping mapping, PhoneNumbers phoneNumbers,
      Clock clock, int resultCap) {
    this.tenantId = tenantId;
    this.api = api;
    this.mapping = mapping;
    this.phoneNumbers = phoneNumbers;
    this.clock = clock;
    this.resultCap = resultCap;
    List<String> mapped = new ArrayList<>(mapping.propertiesToRead());
    mapped.add(Engagement.IDEMPOTENCY_KEY);
    this.mappedProperties = Set.copyOf(mapped);
    List<String> read = new ArrayList<>(mapped);
    read.add(MERGED_IDS);
    this.readProperties = List.copyOf(read);
  }

  public String tenantId() {
    return tenantId;
  }

  public HubSpotApi api() {
    return api;
  }

  public HubSpotContactMapping mapping() {
    return mapping;
  }

  public PhoneNumbers phoneNumbers() {
    return phoneNumbers;
  }

  /** The properties every contact read requests: the mapping's, the idempotency key and merged ids. */
  public List<String> readProperties() {
    return readProperties;
  }

  /** The clock's instant in whole milliseconds, as HubSpot stores times. */
  public Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /** A scan of every contact the filter groups match, from {@code start} on; see {@link ContactScan}. */
  public ContactScan scan(List<List<Filter>> groups, Long start, Set<String> startSkip) {
    return new ContactScan(api, groups, readProperties, start, startSkip, resultCap);
  }

  /** A contact object as a customer; archived when the object says so. */
  public Customer read(Map<String, Object> contact) {
    return read(contact, Boolean.TRUE.equals(contact.get("archived")));
  }

  /**
   * @param archived whether the contact is archived; true for every item of the archived list, even
   *     one that does not say so itself. Without {@code archivedAt} its deletion time is {@code
   *     updatedAt} (HubSpot's schema makes {@code archivedAt} optional)
   */
  public Customer read(Map<String, Object> contact, boolean archived) {
    Map<String, String> properties = new HashMap<>();
    HubSpotApi.properties(contact).forEach((k, v) -> {
      if (mappedProperties.contains(k)) {
        properties.put(k, v);
      }
    });
    return mapping.toCustomer(tenantId, HubSpotApi.string(contact.get("id")), properties,
        HubSpotApi.string(contact.get("createdAt")), HubSpotApi.string(contact.get("updatedAt")),
        archived, HubSpotApi.string(contact.get("archivedAt")));
  }

  /** True for text that can be a contact id (a number). */
  public static boolean isId(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** The live (or, with {@code archived}, the archived) contact object of an id; empty on 404. */
  public Optional<Map<String, Object>> fetch(String id, boolean archived) {
    try {
      return Optional.of(api.getContact(id, readProperties, archived));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /**
   * The live contact with this id (following merges).
   *
   * @param field the argument's name for the error
   * @throws ValidationException naming {@code field} when {@code id} is null
   * @throws NotFoundException when there is no live contact of that id
   */
  public Map<String, Object> requireLive(String id, String field) {
    if (id == null) {
      throw ValidationException.of(field, null, "must not be null");
    }
    if (!isId(id)) {
      throw new NotFoundException(HubSpotApi.PROVIDER, "customer", id);
    }
    return fetch(id, false).orElseThrow(() -> new NotFoundException(HubSpotApi.PROVIDER, "customer", id));
  }

  /** The id of the live contact {@link #requireLive} finds: the survivor's, for a merged-away id. */
  public String requireLiveId(String id, String field) {
    return HubSpotApi.string(requireLive(id, field).get("id"));
  }

  /** A live or archived customer by id. */
  public Optional<Customer> get(String id) {
    if (!isId(id)) {
      return Optional.empty();
    }
    return fetch(id, false).or(() -> fetch(id, true)).map(this::read);
  }

  /** A live customer by email, read by id property so a fresh write is seen. */
  public Optional<Customer> findByEmail(String email) {
    if (email == null || !EmailAddresses.isValid(email)) {
      return Optional.empty();
    }
    String normalized = EmailAddresses.normalize(email);
    if (!URL_SAFE_EMAIL.matcher(normalized).matches()) {
      // A local part may hold '/', '?', '#' or '%', which cannot travel in the URL path: read by body.
      Map<String, Object> answer = api.batchReadContacts(List.of(normalized), "email", readProperties);
      return HubSpotApi.maps(answer.get("results")).stream().findFirst().map(this::read);
    }
    try {
      return Optional.of(read(api.getContactByEmail(normalized, readProperties)));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** A live customer by phone match key, found by search; empty for a number that identifies nobody. */
  public Optional<Customer> findByPhone(String phone) {
    NormalizedPhone n = normalizeQuietly(phone);
    return n == null || !n.identifying() ? Optional.empty()
        : Optional.ofNullable(findByPhones(List.of(n)).get(n.matchKey()));
  }

  /** The normalized number, or {@code null} when it cannot be normalized. */
  public NormalizedPhone normalizeQuietly(String phone) {
    try {
      return phoneNumbers.normalize(phone);
    } catch (ValidationException e) {
      return null;
    }
  }

  /** The search alternatives (OR) that find a number; see {@code HubSpotCustomerSystem}'s documentation. */
  public static List<Filter> phoneAlternatives(NormalizedPhone n) {
    List<Filter> alternatives = new ArrayList<>();
    alternatives.add(new Filter("phone", "CONTAINS_TOKEN", n.value()));
    if (n.parsed()) {
      alternatives.add(new Filter("hs_searchable_calculated_phone_number", "EQ", n.looseKey()));
    } else {
      alternatives.add(new Filter("phone", "CONTAINS_TOKEN", n.matchKey().substring(1)));
    }
    return alternatives;
  }

  /** Live customers by phone match key (the earliest created per key), three numbers (six filter groups) per search. */
  public Map<String, Customer> findByPhones(List<NormalizedPhone> phones) {
    Map<String, Customer> found = new HashMap<>();
    List<NormalizedPhone> distinct = new ArrayList<>(phones.stream()
        .collect(Collectors.toMap(NormalizedPhone::matchKey, p -> p, (a, b) -> a, LinkedHashMap::new))
        .values());
    for (int i = 0; i < distinct.size(); i += 3) {
      List<NormalizedPhone> chunk = distinct.subList(i, Math.min(distinct.size(), i + 3));
      List<List<Filter>> groups = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (NormalizedPhone n : chunk) {
        phoneAlternatives(n).forEach(f -> groups.add(List.of(f)));
        keys.add(n.matchKey());
      }
      ContactScan scan = scan(groups, null, Set.of());
      while (scan.hasNext()) {
        Customer c = read(scan.next());
        String key = phoneNumbers.matchKey(c.phone());
        if (key != null && keys.contains(key)) {
          found.merge(key, c, (a, b) -> a.createdAt().isAfter(b.createdAt()) ? b : a);
        }
      }
    }
    return found;
  }
}
