package dev.crmkit.hubspot;

import dev.crmkit.ActivityDraft;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.MergeResult;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Segment;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ApiConnectionException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.AccountState;
import dev.crmkit.hubspot.internal.ContactScan;
import dev.crmkit.hubspot.internal.Cursors;
import dev.crmkit.hubspot.internal.Engagement;
import dev.crmkit.hubspot.internal.HubSpotApi;
import dev.crmkit.hubspot.internal.HubSpotApi.BatchInput;
import dev.crmkit.hubspot.internal.HubSpotApi.Filter;
import dev.crmkit.hubspot.internal.HubSpotApi.Search;
import dev.crmkit.hubspot.internal.HubSpotErrors;
import dev.crmkit.hubspot.internal.PropertyValues;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.IdempotentCreates;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The {@link CustomerSystem} of one tenant on one HubSpot account, over HubSpot's CRM v3 API. Built by
 * {@link HubSpotCustomerSystemProvider} (provider name {@code hubspot}); see there for the settings.
 * Thread-safe. Customers are HubSpot contacts, mapped by {@link HubSpotContactMapping}; ids are contact
 * ids (numeric strings).
 *
 * <h2>Capabilities</h2>
 *
 * <p>{@link Capability#SEARCH}, {@link Capability#DELETE}, {@link Capability#MERGE},
 * {@link Capability#BATCH_UPSERT}, {@link Capability#NOTES}, {@link Capability#ACTIVITIES},
 * {@link Capability#IDEMPOTENT_ACTIVITIES}, {@link Capability#CHANGE_FEED}, {@link Capability#TAGS} and
 * {@link Capability#CUSTOM_FIELDS}. Not {@link Capability#RESTORE}: HubSpot's API cannot restore an
 * archived contact (only a user can, in HubSpot's UI, within 90 days; see
 * <a href="https://knowledge.hubspot.com/records/restore-deleted-records">restore deleted records</a>).
 * Not {@link Capability#DUPLICATE_DETECTION} and not {@link Capability#ORDERS}: they are not built.
 * Custom fields are stored only in the properties configured with {@code customField.<name>} settings;
 * any other custom field is rejected with a {@link ValidationException}, never dropped.
 *
 * <h2>Contacts</h2>
 *
 * <ul>
 *   <li>{@link #get}: {@code GET /crm/v3/objects/contacts/{id}}, then with {@code archived=true} for a
 *       deleted (archived) contact. A merged-away id reaches the survivor, as HubSpot answers it.
 *   <li>{@link #findByEmail}: {@code GET /crm/v3/objects/contacts/{email}?idProperty=email}, not a search,
 *       so it sees a contact the moment it is written.
 *   <li>{@link #findByPhone}: a search. HubSpot keeps {@code phone} as typed text, so the provider writes
 *       E.164 (see the mapping) and searches for the number as a whole token of {@code phone}
 *       ({@code CONTAINS_TOKEN}); for a number that does not parse it also searches its digits; and it
 *       asks HubSpot's calculated {@code hs_searchable_calculated_phone_number} (the number's digits
 *       without country code) for the national number, which catches numbers other tools typed as
 *       {@code (415) 555-0100}. Each hit is then compared by the number's match key. A number HubSpot
 *       holds only in {@code mobilephone}, or typed with separators inside a token such as
 *       {@code 415-555-0100} without a calculated value, is not found. Search lags writes by a few
 *       seconds in HubSpot.
 *   <li>Phone uniqueness: HubSpot does not enforce it. {@link #create}, {@link #update} and
 *       {@link #upsert} check by {@link #findByPhone} under a per-number lock shared by every system of
 *       the account in this process, and throw {@link ConflictException} naming {@code phone}. Writers in
 *       other processes, or a number written less than HubSpot's search lag ago, can slip past this check.
 *   <li>Email uniqueness is HubSpot's own: its 409 "Contact already exists. Existing ID: n" becomes a
 *       {@link ConflictException} naming {@code email} and the existing id.
 *   <li>{@link #update}: {@code PATCH} of only the properties the update touches ({@code ""} clears). A
 *       lifecycle stage moved backwards is cleared first, since HubSpot refuses to move it back otherwise.
 *   <li>{@link #delete} archives ({@code DELETE}). HubSpot's API has no restore of an archived contact,
 *       so {@link #restore} (like {@link #findDuplicates} and {@link #recordOrder}) throws
 *       {@link UnsupportedCapabilityException}, as {@link CustomerSystem}'s default does.
 *   <li>{@link #merge}: {@code POST /crm/v3/objects/contacts/merge}, then a {@code PATCH} that unites tags
 *       and custom fields and fills what HubSpot's merge left blank, so the survivor follows
 *       {@link CustomerSystem#merge}'s rule.
 *   <li>{@link #search}: {@code POST /crm/v3/objects/contacts/search} in pages of 200, sorted by
 *       {@code lastmodifieddate} ascending; past HubSpot's 10,000-result cap a new query starts at the last
 *       {@code lastmodifieddate} seen ({@code GTE}), skipping the contacts read at exactly that time. Results
 *       are therefore ordered by last modification, not by id; a contact modified while pages are read
 *       moves to the end and may be listed twice. Criteria HubSpot cannot express exactly (a name spanning
 *       first and last name, say) are narrowed by the search and checked on each result. Deleted
 *       (archived) contacts are not searchable in HubSpot: with {@code includeDeleted} they are read from
 *       {@code GET /crm/v3/objects/contacts?archived=true} after the live ones and filtered here.
 *   <li>{@link #upsert}: in batches of 100. Drafts are matched by email ({@code batch/read} with
 *       {@code idProperty=email}), then phone (search); matches are merged with the stored record (tags and
 *       custom fields added) and written with {@code batch/upsert} by email, or {@code batch/update} when
 *       matched by phone only; the others with {@code batch/upsert} by email or, without email,
 *       {@code batch/create}. A 207 multi-status answer is read record by record through each input's
 *       {@code objectWriteTraceId}; a batch HubSpot refuses as a whole (400, 404 or 409) rejects each of
 *       its drafts with that error, while the other batches are stored. A draft repeating an email or phone
 *       of an earlier draft in the same call is written after it, so it updates what the earlier one created.
 * </ul>
 *
 * <h2>Notes and activities</h2>
 *
 * <p>Notes are note objects ({@code hs_note_body}, {@code hs_timestamp}, author in the custom note
 * property {@code crmkit_created_by}) associated to the contact (type 202), listed by a notes search on
 * {@code associations.contact}. Activities are engagements associated to the contact:
 *
 * <table>
 *   <caption>Where an activity is stored</caption>
 *   <tr><th>activity type</th><th>channel</th><th>HubSpot object (association type)</th></tr>
 *   <tr><td>CALL</td><td>any</td><td>call (194), {@code hs_call_body}</td></tr>
 *   <tr><td>EMAIL</td><td>any</td><td>email (198), {@code hs_email_text}</td></tr>
 *   <tr><td>MEETING</td><td>any</td><td>meeting (200), {@code hs_meeting_body}</td></tr>
 *   <tr><td>MESSAGE_RECEIVED, MESSAGE_SENT</td><td>SMS, WHATSAPP</td><td>communication (81) with
 *       {@code hs_communication_channel_type} {@code SMS} / {@code WHATS_APP},
 *       {@code hs_communication_logged_from} {@code CRM}</td></tr>
 *   <tr><td>MESSAGE_RECEIVED, MESSAGE_SENT</td><td>SOCIAL with metadata {@code network=linkedin}</td>
 *       <td>communication (81), {@code LINKEDIN_MESSAGE}</td></tr>
 *   <tr><td>MESSAGE_RECEIVED, MESSAGE_SENT</td><td>EMAIL / PHONE</td><td>email (198) / call (194)</td></tr>
 *   <tr><td>anything else</td><td>any</td><td>note (202) marked with {@code crmkit_activity_type}; such
 *       notes are listed as activities, not as notes</td></tr>
 * </table>
 *
 * <p>Every engagement crmkit writes carries the custom properties {@code crmkit_activity_type},
 * {@code crmkit_channel}, {@code crmkit_metadata} (JSON) and {@code crmkit_idempotency_key}; the HubSpot
 * account must define them on calls, emails, meetings, communications and notes, and
 * {@code crmkit_idempotency_key} must be searchable (a single-line text property is). An activity with an
 * idempotency key is written under a per-key lock of the account after searching the key, so concurrent
 * duplicates in this process record one engagement; other processes and HubSpot's search lag are not
 * covered. {@link #listActivities} merges the five object types in time order (newest first) behind an
 * opaque cursor.
 *
 * <h2>Change feed</h2>
 *
 * <p>{@link #changesSince} searches {@code lastmodifieddate GTE (cursor − overlap)} (overlap default
 * {@value HubSpotCustomerSystemProvider#DEFAULT_CHANGE_FEED_OVERLAP_SECONDS} seconds, for HubSpot's search
 * lag) sorted ascending, and leaves out every (contact, {@code lastmodifieddate}) the cursor already
 * covered; the cursor carries those pairs for the overlap window. Deletions come from the archived list
 * ({@code archivedAt} after the cursor), read in full on each call; an item of that list is archived
 * whatever its {@code archived} field says. One without {@code archivedAt} (optional in HubSpot's
 * schema) is reported once, dated by the read time (its customer's {@code deletedAt} is its {@code
 * updatedAt}), and its id stays in the cursor while it is on the archived list. Merges are reported as DELETED with
 * {@code mergedIntoId} when the survivor's {@code hs_merged_object_ids} is seen in the window; a merge is
 * reported again when the survivor changes after the overlap has passed. A customer is CREATED when no
 * earlier change of it was delivered and it was created within the window, UPDATED otherwise.
 *
 * <h2>Errors and retries</h2>
 *
 * <p>HubSpot's error body {@code {status, message, correlationId, category, errors[]}} becomes the typed
 * exceptions of {@code dev.crmkit.error} with the category as vendor code and the correlation id as request
 * id; a VALIDATION_ERROR names the property. 429 is retried after {@code Retry-After} (and the account's
 * limiter pauses on {@code X-HubSpot-RateLimit-Remaining: 0}); 5xx and connection errors are retried for
 * reads, searches, updates and upserts by email, which are safe to repeat. Creates and merges are not
 * retried: repeating them could create a second record or fail on the merged-away id.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/contacts">HubSpot: contacts API</a>
 * @see <a href="https://developers.hubspot.com/docs/api/crm/search">HubSpot: CRM search</a>
 * @see <a href="https://developers.hubspot.com/docs/api/crm/engagements">HubSpot: engagements</a>
 */
public final class HubSpotCustomerSystem implements CustomerSystem, IdempotentCreates {
  /** The provider name. */
  public static final String PROVIDER = "hubspot";
  /**
   * The contact property that holds the idempotency key of a contact created by the sync engine (see
   * {@link IdempotentCreates}); the same name as the engagements' key property. The account must define
   * it as a searchable single-line text property, best with unique values.
   */
  public static final String IDEMPOTENCY_KEY_PROPERTY = Engagement.IDEMPOTENCY_KEY;
  private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");
  /** Keys looked up per search: one filter group each, within HubSpot's limit of five groups. */
  private static final int KEYS_PER_SEARCH = 5;

  private static final Set<Capability> CAPABILITIES = Set.copyOf(EnumSet.of(Capability.SEARCH, Capability.DELETE,
      Capability.MERGE, Capability.BATCH_UPSERT, Capability.NOTES, Capability.ACTIVITIES,
      Capability.IDEMPOTENT_ACTIVITIES, Capability.CHANGE_FEED, Capability.TAGS, Capability.CUSTOM_FIELDS));
  private static final String MERGED_IDS = "hs_merged_object_ids";
  private static final String ASSOCIATED_CONTACT = "associations.contact";
  /** Emails that can go in a URL path segment as they are. */
  private static final Pattern URL_SAFE_EMAIL = Pattern.compile("[^/\\\\?#%]+");
  private static final List<String> STAGE_ORDER = List.of("subscriber", "lead", "marketingqualifiedlead",
      "salesqualifiedlead", "opportunity", "customer", "evangelist");
  private static final int MAX_GROUPS = 6;
  private static final int MAX_FILTERS_PER_GROUP = 5;

  private final String tenantId;
  private final HubSpotApi api;
  private final HubSpotContactMapping mapping;
  private final PhoneNumbers phoneNumbers;
  private final Clock clock;
  private final AccountState account;
  private final Duration overlap;
  private final int resultCap;
  private final int writeConcurrency;
  private final List<String> readProperties;
  private final Set<String> mappedProperties;

  HubSpotCustomerSystem(String tenantId, HubSpotApi api, HubSpotContactMapping mapping, PhoneNumbers phoneNumbers,
      Clock clock, AccountState account, Duration overlap, int resultCap, int writeConcurrency) {
    this.tenantId = tenantId;
    this.api = api;
    this.mapping = mapping;
    this.phoneNumbers = phoneNumbers;
    this.clock = clock;
    this.account = account;
    this.overlap = overlap;
    this.resultCap = resultCap;
    this.writeConcurrency = writeConcurrency;
    List<String> mapped = new ArrayList<>(mapping.propertiesToRead());
    mapped.add(IDEMPOTENCY_KEY_PROPERTY);
    this.mappedProperties = Set.copyOf(mapped);
    List<String> read = new ArrayList<>(mapped);
    read.add(MERGED_IDS);
    this.readProperties = List.copyOf(read);
  }

  @Override
  public String providerName() {
    return PROVIDER;
  }

  @Override
  public String tenantId() {
    return tenantId;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ------------------------------------------------------------------------------------ reading

  private Customer read(Map<String, Object> contact) {
    return read(contact, Boolean.TRUE.equals(contact.get("archived")));
  }

  /**
   * @param archived whether the contact is archived; true for every item of the archived list, even
   *     one that does not say so itself. Without {@code archivedAt} its deletion time is {@code
   *     updatedAt} (HubSpot's schema makes {@code archivedAt} optional)
   */
  private Customer read(Map<String, Object> contact, boolean archived) {
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

  private static boolean isId(String id) {
    return id != null && id.matches("\\d{1,19}");
  }

  private Optional<Map<String, Object>> fetch(String id, boolean archived) {
    try {
      return Optional.of(api.getContact(id, readProperties, archived));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  /** The live contact with this id (following merges). */
  private Map<String, Object> requireLive(String id, String field) {
    if (id == null) {
      throw ValidationException.of(field, null, "must not be null");
    }
    if (!isId(id)) {
      throw new NotFoundException(PROVIDER, "customer", id);
    }
    return fetch(id, false).orElseThrow(() -> new NotFoundException(PROVIDER, "customer", id));
  }

  @Override
  public Optional<Customer> get(String id) {
    if (!isId(id)) {
      return Optional.empty();
    }
    return fetch(id, false).or(() -> fetch(id, true)).map(this::read);
  }

  @Override
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

  @Override
  public Optional<Customer> findByPhone(String phone) {
    NormalizedPhone n = normalizeQuietly(phone);
    return n == null || !n.identifying() ? Optional.empty()
        : Optional.ofNullable(findByPhones(List.of(n)).get(n.matchKey()));
  }

  private NormalizedPhone normalizeQuietly(String phone) {
    try {
      return phoneNumbers.normalize(phone);
    } catch (ValidationException e) {
      return null;
    }
  }

  /** The search alternatives (OR) that find a number; see the class documentation. */
  private static List<Filter> phoneAlternatives(NormalizedPhone n) {
    List<Filter> alternatives = new ArrayList<>();
    alternatives.add(new Filter("phone", "CONTAINS_TOKEN", n.value()));
    if (n.parsed()) {
      alternatives.add(new Filter("hs_searchable_calculated_phone_number", "EQ", n.looseKey()));
    } else {
      alternatives.add(new Filter("phone", "CONTAINS_TOKEN", n.matchKey().substring(1)));
    }
    return alternatives;
  }

  /** Live customers by phone match key, three numbers (six filter groups) per search. */
  private Map<String, Customer> findByPhones(List<NormalizedPhone> phones) {
    Map<String, Customer> found = new HashMap<>();
    List<NormalizedPhone> distinct = new ArrayList<>(phones.stream()
        .collect(java.util.stream.Collectors.toMap(NormalizedPhone::matchKey, p -> p, (a, b) -> a, LinkedHashMap::new))
        .values());
    for (int i = 0; i < distinct.size(); i += 3) {
      List<NormalizedPhone> chunk = distinct.subList(i, Math.min(distinct.size(), i + 3));
      List<List<Filter>> groups = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (NormalizedPhone n : chunk) {
        phoneAlternatives(n).forEach(f -> groups.add(List.of(f)));
        keys.add(n.matchKey());
      }
      ContactScan scan = new ContactScan(api, groups, readProperties, null, Set.of(), c -> false, resultCap);
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

  // ------------------------------------------------------------------------------------ writing

  @Override
  public Customer create(CustomerDraft draft) {
    if (draft == null) {
      throw ValidationException.of("draft", null, "must not be null");
    }
    Map<String, String> properties = mapping.toProperties(draft);
    NormalizedPhone phone = draft.phone() == null ? null : phoneNumbers.normalize(draft.phone());
    return account.locked(phone == null ? null : "phone:" + phone.matchKey(), () -> {
      requirePhoneFree(phone, null);
      try {
        return read(api.createContact(properties));
      } catch (ConflictException e) {
        throw emailConflict(e, draft.email());
      }
    });
  }

  private void requirePhoneFree(NormalizedPhone phone, String selfId) {
    if (phone == null) {
      return;
    }
    Customer holder = findByPhones(List.of(phone)).get(phone.matchKey());
    if (holder != null && !holder.id().equals(selfId)) {
      throw new ConflictException(PROVIDER, "phone", holder.id(),
          "phone '" + phone.value() + "' belongs to customer " + holder.id());
    }
  }

  private static ConflictException emailConflict(ConflictException e, String email) {
    String existing = HubSpotErrors.existingId(e.getMessage());
    return new ConflictException("email '" + email + "' belongs to customer " + existing + " (" + e.getMessage() + ")",
        PROVIDER, "email", existing, e.httpStatus(), e.vendorCode(), e.requestId(), e);
  }

  @Override
  public Customer update(String id, CustomerUpdate update) {
    if (update == null) {
      throw ValidationException.of("update", null, "must not be null");
    }
    Map<String, Object> contact = requireLive(id, "id");
    Customer current = read(contact);
    Map<String, String> properties = mapping.toProperties(update);
    if (properties.isEmpty()) {
      return current;
    }
    String phoneText = update.touches(CustomerField.PHONE) ? (String) update.valueOf(CustomerField.PHONE) : null;
    NormalizedPhone phone = phoneText == null ? null : phoneNumbers.normalize(phoneText);
    return account.locked(phone == null ? null : "phone:" + phone.matchKey(), () -> {
      requirePhoneFree(phone, current.id());
      String stage = properties.get(HubSpotContactMapping.LIFECYCLE_STAGE);
      String currentStage = HubSpotApi.properties(contact).get(HubSpotContactMapping.LIFECYCLE_STAGE);
      try {
        if (stage != null && currentStage != null && STAGE_ORDER.indexOf(stage) >= 0
            && STAGE_ORDER.indexOf(stage) < STAGE_ORDER.indexOf(currentStage.toLowerCase(Locale.ROOT))) {
          api.updateContact(current.id(), Map.of(HubSpotContactMapping.LIFECYCLE_STAGE, ""));
        }
        return read(api.updateContact(current.id(), properties));
      } catch (ConflictException e) {
        throw emailConflict(e, (String) update.valueOf(CustomerField.EMAIL));
      } catch (NotFoundException e) {
        throw new NotFoundException(PROVIDER, "customer", id);
      }
    });
  }

  @Override
  public void delete(String id) {
    if (id == null) {
      throw ValidationException.of("id", null, "must not be null");
    }
    Optional<Map<String, Object>> live = isId(id) ? fetch(id, false) : Optional.empty();
    if (live.isPresent()) {
      api.archiveContact(HubSpotApi.string(live.get().get("id")));
    } else if (!isId(id) || fetch(id, true).isEmpty()) {
      throw new NotFoundException(PROVIDER, "customer", id);
    }
  }

  @Override
  public MergeResult merge(String survivorId, String mergedId) {
    Customer survivor = read(requireLive(survivorId, "survivorId"));
    Customer merged = read(requireLive(mergedId, "mergedId"));
    if (survivor.id().equals(merged.id())) {
      throw ValidationException.of("mergedId", mergedId, "is the same customer as survivorId " + survivorId);
    }
    int notes = countEngagements(merged.id(), true);
    int activities = countEngagements(merged.id(), false);
    Customer target = survivor.absorbing(merged);
    Map<String, Object> result = api.mergeContacts(survivor.id(), merged.id());
    String survivorNow = result.get("id") == null ? survivor.id() : HubSpotApi.string(result.get("id"));
    Customer after = read(requireLive(survivorNow, "survivorId"));
    CustomerUpdate rest = CustomerUpdate.between(after, target.toBuilder().id(after.id()).build());
    if (!rest.isEmpty()) {
      after = read(api.updateContact(after.id(), mapping.toProperties(rest)));
    }
    return new MergeResult(after, merged.id(), notes, activities);
  }

  // ------------------------------------------------------------------------------------ upsert

  /** One draft on its way through {@link #upsert}. */
  private static final class Pending {
    final int index;
    final CustomerDraft draft;
    final NormalizedPhone phone;
    Customer match;
    /** An update by id from {@link #bulkWrite}: the record exists, so its result is never CREATED. */
    boolean existing;

    Pending(int index, CustomerDraft draft, NormalizedPhone phone) {
      this.index = index;
      this.draft = draft;
      this.phone = phone;
    }

    String emailKey() {
      return draft.email() == null ? null : "email:" + draft.email();
    }

    String phoneKey() {
      return phone == null ? null : "phone:" + phone.matchKey();
    }
  }

  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    if (drafts == null) {
      throw ValidationException.of("drafts", null, "must not be null");
    }
    UpsertOutcome[] outcomes = new UpsertOutcome[drafts.size()];
    List<Pending> waiting = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      CustomerDraft d = drafts.get(i);
      try {
        if (d == null) {
          throw ValidationException.of("drafts[" + i + "]", null, "must not be null");
        }
        mapping.toProperties(d);
        waiting.add(new Pending(i, d, d.phone() == null ? null : phoneNumbers.normalize(d.phone())));
      } catch (ValidationException e) {
        outcomes[i] = new UpsertOutcome(i, UpsertOutcome.Status.REJECTED, null, e);
      }
    }
    while (!waiting.isEmpty()) {
      // A draft sharing an email or phone with an earlier one waits for the next round, so it sees what that one wrote.
      List<Pending> round = new ArrayList<>();
      List<Pending> later = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (Pending p : waiting) {
        boolean clash = p.emailKey() != null && keys.contains(p.emailKey()) || p.phoneKey() != null && keys.contains(p.phoneKey());
        if (clash || round.size() == HubSpotApi.BATCH_LIMIT) {
          later.add(p);
        } else {
          round.add(p);
        }
        if (p.emailKey() != null) {
          keys.add(p.emailKey());
        }
        if (p.phoneKey() != null) {
          keys.add(p.phoneKey());
        }
      }
      upsertRound(round, outcomes);
      waiting = later;
    }
    return List.of(outcomes);
  }

  /**
   * Writes in HubSpot's batches of 100 without reading first: creates with an email go through
   * {@code batch/upsert} by email (so a retried or clashing create updates the contact holding that
   * email and reports {@code UPDATED}), creates without one through {@code batch/create}, updates
   * through {@code batch/update} by id. An update that sets the segment is preceded by one {@code
   * batch/update} clearing {@code lifecyclestage} for those contacts, since HubSpot refuses to move
   * a stage backwards otherwise. Unlike {@link #create} and {@link #update}, no search checks that a
   * phone number is unused: HubSpot itself keys contacts by email only. Per-record failures of a
   * 207 answer become {@code REJECTED} outcomes.
   *
   * <p>Up to the provider's {@code writeConcurrency} batch calls are in flight at once, all through
   * the account's rate limiter. A write naming an email or id that an earlier write of the same call
   * names goes in a later wave, which starts only when the earlier wave has finished, so writes to
   * one record keep their order.
   *
   * @see <a href="https://developers.hubspot.com/docs/api/crm/contacts">HubSpot: contacts batch endpoints</a>
   */
  @Override
  public List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    if (writes == null || writes.stream().anyMatch(Objects::isNull)) {
      throw ValidationException.of("writes", String.valueOf(writes), "must be a list without null elements");
    }
    UpsertOutcome[] outcomes = new UpsertOutcome[writes.size()];
    Map<String, Pending> byTrace = new HashMap<>();
    List<WriteWave> waves = new ArrayList<>();
    Map<String, Integer> lastWave = new HashMap<>();
    for (int i = 0; i < writes.size(); i++) {
      CustomerWrite w = writes.get(i);
      String trace = Integer.toString(i);
      try {
        BatchInput input;
        String key;
        Pending p;
        if (w.isCreate()) {
          String email = w.draft().email();
          input = new BatchInput(email, mapping.toProperties(w.draft()), trace);
          key = email == null ? null : "email:" + email;
          p = new Pending(i, w.draft(), null);
        } else {
          if (!isId(w.customerId())) {
            throw new NotFoundException(PROVIDER, "customer", w.customerId());
          }
          input = new BatchInput(w.customerId(), mapping.toProperties(w.update()), trace);
          key = "id:" + w.customerId();
          p = new Pending(i, null, null);
          p.existing = true;
        }
        int wave = key == null ? 0 : lastWave.getOrDefault(key, -1) + 1;
        if (key != null) {
          lastWave.put(key, wave);
        }
        while (waves.size() <= wave) {
          waves.add(new WriteWave());
        }
        byTrace.put(trace, p);
        WriteWave target = waves.get(wave);
        (!w.isCreate() ? target.updates : input.id() != null ? target.upserts : target.creates).add(input);
      } catch (CrmException e) {
        outcomes[i] = new UpsertOutcome(i, UpsertOutcome.Status.REJECTED, null, e);
      }
    }
    for (WriteWave wave : waves) {
      runConcurrently(wave.calls(this, byTrace, outcomes));
    }
    return List.of(outcomes);
  }

  /** The writes of one wave, by endpoint; no email or id appears twice in a wave. */
  private static final class WriteWave {
    final List<BatchInput> upserts = new ArrayList<>();
    final List<BatchInput> creates = new ArrayList<>();
    final List<BatchInput> updates = new ArrayList<>();

    /** One task per batch call of at most 100 inputs. */
    List<Runnable> calls(HubSpotCustomerSystem system, Map<String, Pending> byTrace, UpsertOutcome[] outcomes) {
      List<Runnable> calls = new ArrayList<>();
      for (List<BatchInput> chunk : chunks(upserts)) {
        calls.add(() -> system.sendBatch(chunk, byTrace, outcomes, system.api::batchUpsertContactsByEmail));
      }
      for (List<BatchInput> chunk : chunks(creates)) {
        calls.add(() -> system.sendBatch(chunk, byTrace, outcomes, system.api::batchCreateContacts));
      }
      for (List<BatchInput> chunk : chunks(updates)) {
        calls.add(() -> {
          List<BatchInput> stageClears = chunk.stream()
              .filter(in -> in.properties().containsKey(HubSpotContactMapping.LIFECYCLE_STAGE))
              .map(in -> new BatchInput(in.id(), Map.of(HubSpotContactMapping.LIFECYCLE_STAGE, ""), in.traceId()))
              .toList();
          if (!stageClears.isEmpty()) {
            // Failures here show again, record by record, in the update that follows.
            system.api.batchUpdateContacts(stageClears);
          }
          system.sendBatch(chunk, byTrace, outcomes, system.api::batchUpdateContacts);
        });
      }
      return calls;
    }

    private static List<List<BatchInput>> chunks(List<BatchInput> inputs) {
      List<List<BatchInput>> chunks = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i += HubSpotApi.BATCH_LIMIT) {
        chunks.add(List.copyOf(inputs.subList(i, Math.min(inputs.size(), i + HubSpotApi.BATCH_LIMIT))));
      }
      return chunks;
    }
  }

  /**
   * Runs the calls with at most {@code writeConcurrency} at once and waits for all. The first
   * failure (transport, auth, rate limit, server) is thrown once every call has ended; outcomes of
   * the calls that succeeded are filled in either way.
   */
  private void runConcurrently(List<Runnable> calls) {
    if (calls.size() <= 1 || writeConcurrency == 1) {
      RuntimeException first = null;
      for (Runnable call : calls) {
        try {
          call.run();
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      if (first != null) {
        throw first;
      }
      return;
    }
    int threads = Math.min(writeConcurrency, calls.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "crmkit-hubspot-write");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (Runnable call : calls) {
        futures.add(pool.submit(call));
      }
      RuntimeException first = null;
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (first == null) {
            first = e.getCause() instanceof RuntimeException r ? r
                : new CrmException("hubspot batch write failed: " + e.getCause(), PROVIDER, 0, null, null, e.getCause());
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          pool.shutdownNow();
          throw new ApiConnectionException("interrupted while writing to hubspot", PROVIDER, 0, null,
              null, e);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      pool.shutdown();
    }
  }

  private void sendBatch(List<BatchInput> sent, Map<String, Pending> byTrace, UpsertOutcome[] outcomes,
      Function<List<BatchInput>, Map<String, Object>> call) {
    try {
      collect(call.apply(sent), sent, byTrace, outcomes);
    } catch (ValidationException | ConflictException | NotFoundException e) {
      // HubSpot refused the batch as a whole for its content: every write in it is rejected. Transport,
      // auth, rate-limit and server errors propagate; what earlier batches stored stays stored.
      for (BatchInput in : sent) {
        Pending p = byTrace.get(in.traceId());
        outcomes[p.index] = new UpsertOutcome(p.index, UpsertOutcome.Status.REJECTED, null, e);
      }
    }
  }

  private void upsertRound(List<Pending> round, UpsertOutcome[] outcomes) {
    List<String> emails = round.stream().map(p -> p.draft.email()).filter(Objects::nonNull).distinct().toList();
    Map<String, Customer> byEmail = new HashMap<>();
    if (!emails.isEmpty()) {
      Map<String, Object> read = api.batchReadContacts(emails, "email", readProperties);
      for (Map<String, Object> c : HubSpotApi.maps(read.get("results"))) {
        Customer customer = read(c);
        if (customer.email() != null) {
          byEmail.put(customer.email(), customer);
        }
      }
    }
    List<NormalizedPhone> phones = new ArrayList<>();
    for (Pending p : round) {
      p.match = p.draft.email() == null ? null : byEmail.get(p.draft.email());
      if (p.match == null && p.phone != null && p.phone.identifying()) {
        phones.add(p.phone);
      }
    }
    Map<String, Customer> byPhone = phones.isEmpty() ? Map.of() : findByPhones(phones);
    List<BatchInput> upserts = new ArrayList<>();
    List<BatchInput> updates = new ArrayList<>();
    List<BatchInput> creates = new ArrayList<>();
    Map<String, Pending> byTrace = new HashMap<>();
    boolean matchedByPhone;
    for (Pending p : round) {
      matchedByPhone = false;
      if (p.match == null && p.phone != null && p.phone.identifying()) {
        Customer holder = byPhone.get(p.phone.matchKey());
        // A match by phone never overwrites a contact whose email differs: the draft is its own person.
        if (holder != null && (p.draft.email() == null || holder.email() == null
            || holder.email().equalsIgnoreCase(p.draft.email()))) {
          p.match = holder;
          matchedByPhone = true;
        }
      }
      String trace = Integer.toString(p.index);
      byTrace.put(trace, p);
      Map<String, String> properties;
      if (p.match == null) {
        properties = mapping.toProperties(p.draft);
      } else {
        NormalizedPhone ph = p.phone;
        Customer merged = p.draft.applyTo(p.match, p.draft.email(), ph);
        properties = mapping.toProperties(CustomerUpdate.between(p.match, merged));
      }
      if (p.match != null && (matchedByPhone || p.draft.email() == null)) {
        updates.add(new BatchInput(p.match.id(), properties, trace));
      } else if (p.draft.email() != null) {
        upserts.add(new BatchInput(p.draft.email(), properties, trace));
      } else {
        creates.add(new BatchInput(null, properties, trace));
      }
    }
    if (!upserts.isEmpty()) {
      sendBatch(upserts, byTrace, outcomes, api::batchUpsertContactsByEmail);
    }
    if (!updates.isEmpty()) {
      sendBatch(updates, byTrace, outcomes, api::batchUpdateContacts);
    }
    if (!creates.isEmpty()) {
      sendBatch(creates, byTrace, outcomes, api::batchCreateContacts);
    }
  }

  /** Reads a batch answer (200, 201 or 207) into outcomes, record by record. */
  private void collect(Map<String, Object> answer, List<BatchInput> inputs, Map<String, Pending> byTrace,
      UpsertOutcome[] outcomes) {
    Set<String> open = new java.util.LinkedHashSet<>();
    inputs.forEach(in -> open.add(in.traceId()));
    for (Map<String, Object> error : HubSpotApi.maps(answer.get("errors"))) {
      Map<String, Object> context = error.get("context") instanceof Map<?, ?> m ? castMap(m) : Map.of();
      String trace = first(context.get("objectWriteTraceId"));
      if (trace == null || !open.remove(trace)) {
        continue;
      }
      Pending p = byTrace.get(trace);
      outcomes[p.index] = new UpsertOutcome(p.index, UpsertOutcome.Status.REJECTED, null, batchError(error, p));
    }
    List<Map<String, Object>> results = HubSpotApi.maps(answer.get("results"));
    List<Map<String, Object>> untraced = new ArrayList<>();
    for (Map<String, Object> r : results) {
      String trace = HubSpotApi.string(r.get("objectWriteTraceId"));
      if (trace != null && open.remove(trace)) {
        record(byTrace.get(trace), r, outcomes);
      } else {
        untraced.add(r);
      }
    }
    // HubSpot answers in input order; without a trace id, the remaining results follow the remaining inputs.
    java.util.Iterator<String> rest = open.iterator();
    for (Map<String, Object> r : untraced) {
      if (!rest.hasNext()) {
        break;
      }
      record(byTrace.get(rest.next()), r, outcomes);
      rest.remove();
    }
    for (String trace : open) {
      Pending p = byTrace.get(trace);
      outcomes[p.index] = new UpsertOutcome(p.index, UpsertOutcome.Status.REJECTED, null,
          new CrmException("hubspot answered the batch without a result for draft " + p.index, PROVIDER, 0, null, null, null));
    }
  }

  private void record(Pending p, Map<String, Object> result, UpsertOutcome[] outcomes) {
    boolean created = !p.existing && p.match == null && !Boolean.FALSE.equals(result.get("new"));
    outcomes[p.index] = new UpsertOutcome(p.index, created ? UpsertOutcome.Status.CREATED : UpsertOutcome.Status.UPDATED,
        read(result), null);
  }

  private static CrmException batchError(Map<String, Object> error, Pending p) {
    String category = HubSpotApi.string(error.get("category"));
    String message = "draft " + p.index + ": " + HubSpotApi.string(error.get("message"));
    if ("CONFLICT".equals(category) || message.contains("already exists")) {
      return new ConflictException(message, PROVIDER, "email", HubSpotErrors.existingId(message), 409, category, null, null);
    }
    if ("OBJECT_NOT_FOUND".equals(category)) {
      return new NotFoundException(message, PROVIDER, "customer", null, 404, category, null);
    }
    Map<String, Object> context = error.get("context") instanceof Map<?, ?> m ? castMap(m) : Map.of();
    List<FieldError> fields = new ArrayList<>();
    for (String key : context.keySet()) {
      if (!key.equals("objectWriteTraceId") && !key.equals("ids")) {
        fields.add(new FieldError(key, first(context.get(key)), message));
      }
    }
    if (fields.isEmpty()) {
      fields.add(new FieldError("draft", null, message));
    }
    return new ValidationException(PROVIDER, fields, 400, category, null);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> castMap(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static String first(Object value) {
    if (value instanceof List<?> l) {
      return l.isEmpty() || l.get(0) == null ? null : l.get(0).toString();
    }
    return value == null ? null : value.toString();
  }

  // ------------------------------------------------------------------------------------ search

  /** What a query asks HubSpot, and the exact check of each result. */
  private record Plan(List<List<Filter>> groups, Predicate<Customer> matches, boolean empty) {}

  private Plan plan(CustomerQuery q) {
    List<Filter> all = new ArrayList<>();
    List<List<Filter>> dimensions = new ArrayList<>();
    Predicate<Customer> matches = c -> true;
    if (q.email() != null) {
      if (!EmailAddresses.isValid(q.email())) {
        return new Plan(List.of(), c -> false, true);
      }
      String email = EmailAddresses.normalize(q.email());
      all.add(new Filter("email", "EQ", email));
      matches = matches.and(c -> email.equals(c.email()));
    }
    if (q.phone() != null) {
      NormalizedPhone n = normalizeQuietly(q.phone());
      if (n == null) {
        return new Plan(List.of(), c -> false, true);
      }
      dimensions.add(phoneAlternatives(n));
      matches = matches.and(c -> n.matchKey().equals(phoneNumbers.matchKey(c.phone())));
    }
    if (q.tag() != null) {
      String tag = q.tag();
      all.add(new Filter("crmkit_tags", "CONTAINS_TOKEN", tag));
      matches = matches.and(c -> c.tags().contains(tag));
    }
    if (q.segment() != null) {
      Segment segment = q.segment();
      if (segment == Segment.PROSPECT) {
        for (Segment other : Segment.values()) {
          if (other != Segment.PROSPECT) {
            mapping.stagesReadAs(other).forEach(s -> all.add(new Filter(HubSpotContactMapping.LIFECYCLE_STAGE, "NEQ", s)));
          }
        }
      } else {
        Set<String> stages = mapping.stagesReadAs(segment);
        if (stages.isEmpty()) {
          return new Plan(List.of(), c -> false, true);
        }
        dimensions.add(stages.stream().map(s -> new Filter(HubSpotContactMapping.LIFECYCLE_STAGE, "EQ", s)).toList());
      }
      matches = matches.and(c -> c.segment() == segment);
    }
    if (q.name() != null) {
      String needle = q.name().toLowerCase(Locale.ROOT);
      String token = java.util.Arrays.stream(needle.split("\\s+")).max(Comparator.comparingInt(String::length)).orElse(needle);
      dimensions.add(List.of(new Filter("firstname", "CONTAINS_TOKEN", "*" + token + "*"),
          new Filter("lastname", "CONTAINS_TOKEN", "*" + token + "*")));
      matches = matches.and(c -> contains(c.firstName(), needle) || contains(c.lastName(), needle)
          || contains(c.fullName(), needle));
    }
    // HubSpot allows 6 groups of 6 filters; what does not fit is left to the exact check of each result.
    while (product(dimensions) > MAX_GROUPS) {
      dimensions.remove(dimensions.stream().max(Comparator.comparingInt(List::size)).orElseThrow());
    }
    List<List<Filter>> groups = new ArrayList<>();
    groups.add(List.of());
    for (List<Filter> alternatives : dimensions) {
      List<List<Filter>> next = new ArrayList<>();
      for (List<Filter> g : groups) {
        for (Filter f : alternatives) {
          List<Filter> extended = new ArrayList<>(g);
          extended.add(f);
          next.add(extended);
        }
      }
      groups = next;
    }
    List<List<Filter>> out = new ArrayList<>();
    for (List<Filter> g : groups) {
      List<Filter> full = new ArrayList<>(g);
      full.addAll(all);
      out.add(full.subList(0, Math.min(full.size(), MAX_FILTERS_PER_GROUP)));
    }
    return new Plan(out.size() == 1 && out.get(0).isEmpty() ? List.of() : out, matches, false);
  }

  private static int product(List<List<Filter>> dimensions) {
    int n = 1;
    for (List<Filter> d : dimensions) {
      n *= d.size();
    }
    return n;
  }

  private static boolean contains(String text, String needle) {
    return text != null && text.toLowerCase(Locale.ROOT).contains(needle);
  }

  @Override
  public Page<Customer> search(CustomerQuery query) {
    if (query == null) {
      throw ValidationException.of("query", null, "must not be null");
    }
    Map<String, Object> state = query.page().cursor() == null ? Map.of("p", "L") : Cursors.decode("search", query.page().cursor());
    Plan plan = plan(query);
    if (plan.empty()) {
      return Page.last(List.of());
    }
    try {
      return searchPage(query, plan, state);
    } catch (ClassCastException | NullPointerException | NumberFormatException e) {
      throw Cursors.malformed(query.page().cursor(), "search");
    }
  }

  @SuppressWarnings("unchecked")
  private Page<Customer> searchPage(CustomerQuery query, Plan plan, Map<String, Object> state) {
    int limit = query.page().limit();
    List<Customer> items = new ArrayList<>();
    String phase = (String) state.get("p");
    if (!phase.equals("L") && !phase.equals("A")) {
      throw new ClassCastException(phase);
    }
    Set<String> skip = new HashSet<>((List<String>) state.getOrDefault("s", List.of()));
    if (phase.equals("L")) {
      Long window = state.get("w") == null ? null : ((Number) state.get("w")).longValue();
      ContactScan scan = new ContactScan(api, plan.groups(), readProperties, window, skip, c -> false, resultCap);
      Long last = window;
      Set<String> atLast = new HashSet<>(skip);
      while (items.size() < limit && scan.hasNext()) {
        Map<String, Object> contact = scan.next();
        Customer c = read(contact);
        if (!plan.matches().test(c)) {
          continue;
        }
        long lm = ContactScan.lastModified(contact);
        if (last == null || lm != last) {
          last = lm;
          atLast.clear();
        }
        atLast.add(c.id());
        items.add(c);
      }
      if (items.size() == limit && scan.hasNext()) {
        Map<String, Object> next = new TreeMap<>();
        next.put("p", "L");
        next.put("w", last);
        next.put("s", new ArrayList<>(new TreeSet<>(atLast)));
        return page(query, items, Cursors.encode("search", next));
      }
      if (!query.includeDeleted()) {
        return page(query, items, null);
      }
      skip.clear();
      state = Map.of("p", "A");
    }
    String after = (String) state.get("a");
    while (true) {
      Map<String, Object> list = api.listContacts(true, after, HubSpotApi.LIST_PAGE_LIMIT, readProperties);
      List<Map<String, Object>> results = HubSpotApi.maps(list.get("results"));
      String nextAfter = HubSpotApi.nextAfter(list);
      for (int i = 0; i < results.size(); i++) {
        Customer c = read(results.get(i), true);
        if (skip.contains(c.id()) || !plan.matches().test(c)) {
          continue;
        }
        if (items.size() == limit) {
          Map<String, Object> next = new TreeMap<>();
          next.put("p", "A");
          if (after != null) {
            next.put("a", after);
          }
          next.put("s", new ArrayList<>(new TreeSet<>(skip)));
          return page(query, items, Cursors.encode("search", next));
        }
        items.add(c);
        skip.add(c.id());
      }
      if (nextAfter == null) {
        return page(query, items, null);
      }
      after = nextAfter;
      skip.clear();
    }
  }

  private Page<Customer> page(CustomerQuery query, List<Customer> items, String next) {
    return new Page<>(items, next, c -> search(query.withCursor(c)));
  }

  // ------------------------------------------------------------------------------------ change feed

  /** One candidate change, with the key the cursor records it under. */
  private record Candidate(CustomerChange change, String key) {}

  @Override
  @SuppressWarnings("unchecked")
  public ChangeBatch changesSince(String cursor, int limit) {
    if (limit < 1 || limit > PageRequest.MAX_LIMIT) {
      throw ValidationException.of("limit", Integer.toString(limit), "must be between 1 and " + PageRequest.MAX_LIMIT);
    }
    Long high = null;
    Set<String> covered = new TreeSet<>();
    // Ids of archived contacts without archivedAt already reported: they have no time a window
    // could cover, so they are remembered for as long as they stay on the archived list.
    Set<String> undatedReported = new TreeSet<>();
    if (cursor != null) {
      Map<String, Object> state = Cursors.decode("feed", cursor);
      try {
        high = state.get("h") == null ? null : ((Number) state.get("h")).longValue();
        covered.addAll((List<String>) state.getOrDefault("c", List.of()));
        covered.forEach(HubSpotCustomerSystem::keyTime);
        undatedReported.addAll((List<String>) state.getOrDefault("x", List.of()));
      } catch (ClassCastException | NullPointerException | NumberFormatException | IndexOutOfBoundsException e) {
        throw Cursors.malformed(cursor, "feed");
      }
    }
    Long start = high == null ? null : high - overlap.toMillis();
    Set<String> coveredIds = new HashSet<>();
    covered.forEach(k -> coveredIds.add(k.substring(k.indexOf(':') + 1, k.lastIndexOf('@'))));

    Map<String, Candidate> byCustomer = new LinkedHashMap<>();
    ContactScan scan = new ContactScan(api, List.of(), readProperties, start, Set.of(), c -> false, resultCap);
    int fresh = 0;
    while (fresh <= limit && scan.hasNext()) {
      Map<String, Object> contact = scan.next();
      Customer c = read(contact);
      long lm = ContactScan.lastModified(contact);
      Instant at = Instant.ofEpochMilli(lm);
      String mergedIds = HubSpotApi.properties(contact).get(MERGED_IDS);
      if (mergedIds != null) {
        for (String m : mergedIds.split(";")) {
          String mid = m.strip();
          String key = "m:" + mid + "@" + lm;
          if (!mid.isEmpty() && !mid.equals(c.id()) && covered.stream().noneMatch(k -> k.startsWith("m:" + mid + "@"))) {
            Customer stub = Customer.builder().id(mid).tenantId(tenantId).createdAt(at).updatedAt(at).deletedAt(at).build();
            byCustomer.put(mid, new Candidate(new CustomerChange(ChangeType.DELETED, mid, stub, at, c.id()), key));
          }
        }
      }
      String key = "u:" + c.id() + "@" + lm;
      if (covered.contains(key)) {
        continue;
      }
      boolean created = start == null || !coveredIds.contains(c.id()) && !c.createdAt().isBefore(Instant.ofEpochMilli(start));
      byCustomer.put(c.id(), new Candidate(new CustomerChange(created ? ChangeType.CREATED : ChangeType.UPDATED, c.id(), c, at, null), key));
      fresh++;
    }
    Set<String> stillUndated = new TreeSet<>();
    String after = null;
    do {
      Map<String, Object> list = api.listContacts(true, after, HubSpotApi.LIST_PAGE_LIMIT, readProperties);
      for (Map<String, Object> contact : HubSpotApi.maps(list.get("results"))) {
        Customer c = read(contact, true);
        if (PropertyValues.absent(HubSpotApi.string(contact.get("archivedAt")))) {
          // No archivedAt: its updatedAt may predate the window, so report it once, at the read time.
          if (undatedReported.contains(c.id())) {
            stillUndated.add(c.id());
          } else if (!byCustomer.containsKey(c.id())) {
            Instant readAt = now();
            byCustomer.put(c.id(), new Candidate(new CustomerChange(ChangeType.DELETED, c.id(), c, readAt, null),
                "x:" + c.id() + "@" + readAt.toEpochMilli()));
          }
          continue;
        }
        Instant at = c.deletedAt();
        String key = "d:" + c.id() + "@" + at.toEpochMilli();
        if ((start == null || at.toEpochMilli() >= start) && !covered.contains(key) && !byCustomer.containsKey(c.id())) {
          byCustomer.put(c.id(), new Candidate(new CustomerChange(ChangeType.DELETED, c.id(), c, at, null), key));
        }
      }
      after = HubSpotApi.nextAfter(list);
    } while (after != null);

    List<Candidate> all = new ArrayList<>(byCustomer.values());
    all.sort(Comparator.comparing((Candidate x) -> x.change().changedAt()).thenComparing(x -> x.change().customerId()));
    List<Candidate> delivered = all.subList(0, Math.min(limit, all.size()));
    boolean more = all.size() > limit || fresh > limit;
    delivered.stream().filter(d -> d.key().startsWith("x:")).forEach(d -> stillUndated.add(d.change().customerId()));
    if (delivered.isEmpty() && stillUndated.equals(undatedReported)) {
      return new ChangeBatch(List.of(), cursor != null ? cursor : Cursors.encode("feed", Map.of("c", List.of())), false);
    }
    Long newHigh = delivered.isEmpty() ? high : Long.valueOf(Math.max(high == null ? Long.MIN_VALUE : high,
        delivered.get(delivered.size() - 1).change().changedAt().toEpochMilli()));
    Set<String> nextCovered = new TreeSet<>();
    covered.forEach(k -> {
      if (newHigh != null && keyTime(k) >= newHigh - overlap.toMillis()) {
        nextCovered.add(k);
      }
    });
    delivered.stream().filter(d -> !d.key().startsWith("x:")).forEach(d -> nextCovered.add(d.key()));
    Map<String, Object> next = new TreeMap<>();
    if (newHigh != null) {
      next.put("h", newHigh);
    }
    next.put("c", new ArrayList<>(nextCovered));
    if (!stillUndated.isEmpty()) {
      next.put("x", new ArrayList<>(stillUndated));
    }
    return new ChangeBatch(delivered.stream().map(Candidate::change).toList(), Cursors.encode("feed", next), more);
  }

  private static long keyTime(String key) {
    return Long.parseLong(key.substring(key.lastIndexOf('@') + 1));
  }

  // ------------------------------------------------------------------------------------ notes

  private static Filter associatedTo(String contactId) {
    return new Filter(ASSOCIATED_CONTACT, "EQ", contactId);
  }

  /** A contact's notes, leaving out the notes that hold activities. */
  private static List<Filter> noteFilters(String contactId) {
    return List.of(associatedTo(contactId), new Filter(Engagement.ACTIVITY_TYPE, "NOT_HAS_PROPERTY", null));
  }

  @Override
  public CustomerNote addNote(String customerId, NoteDraft note) {
    if (note == null) {
      throw ValidationException.of("note", null, "must not be null");
    }
    String cid = HubSpotApi.string(requireLive(customerId, "customerId").get("id"));
    Map<String, String> properties = new TreeMap<>();
    properties.put(Engagement.NOTE.bodyProperty(), note.content());
    properties.put(Engagement.TIMESTAMP, (note.createdAt() == null ? now() : note.createdAt()).toString());
    if (note.createdBy() != null) {
      properties.put(Engagement.CREATED_BY, note.createdBy());
    }
    return readNote(api.createEngagement(Engagement.NOTE.objectType(), properties, cid,
        Engagement.NOTE.associationTypeId()), cid);
  }

  private Instant now() {
    return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
  }

  private static CustomerNote readNote(Map<String, Object> object, String customerId) {
    Map<String, String> p = HubSpotApi.properties(object);
    List<FieldError> errors = new ArrayList<>();
    Instant at = PropertyValues.time(Engagement.TIMESTAMP, p.get(Engagement.TIMESTAMP), errors);
    if (at == null) {
      at = PropertyValues.time("createdAt", HubSpotApi.string(object.get("createdAt")), errors);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(PROVIDER, errors);
    }
    String author = p.get(Engagement.CREATED_BY);
    String body = p.get(Engagement.NOTE.bodyProperty());
    return new CustomerNote(HubSpotApi.string(object.get("id")), customerId, body == null ? "" : body,
        author == null || author.isBlank() ? null : author, at);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    String cid = HubSpotApi.string(requireLive(customerId, "customerId").get("id"));
    String after = null;
    if (request.cursor() != null) {
      Map<String, Object> state = Cursors.decode("notes", request.cursor());
      if (!(state.get("a") instanceof String a) || !a.matches("\\d{1,9}")) {
        throw Cursors.malformed(request.cursor(), "notes");
      }
      after = a;
    }
    List<CustomerNote> items = new ArrayList<>();
    List<Filter> filters = noteFilters(cid);
    int offset = after == null ? 0 : Integer.parseInt(after);
    String next = null;
    while (items.size() < request.limit()) {
      int want = Math.min(HubSpotApi.SEARCH_PAGE_LIMIT, request.limit() - items.size());
      Map<String, Object> answer = api.searchObjects(Engagement.NOTE.objectType(), new Search(List.of(filters),
          List.of("-" + Engagement.TIMESTAMP), Engagement.NOTE.properties(), want, Integer.toString(offset)));
      List<Map<String, Object>> results = HubSpotApi.maps(answer.get("results"));
      results.forEach(r -> items.add(readNote(r, cid)));
      offset += results.size();
      next = HubSpotApi.nextAfter(answer);
      if (next == null || results.isEmpty()) {
        next = null;
        break;
      }
    }
    String cursor = next == null ? null : Cursors.encode("notes", Map.of("a", Integer.toString(offset)));
    return new Page<>(items, cursor, c -> listNotes(customerId, request.at(c)));
  }

  // ------------------------------------------------------------------------------------ activities

  @Override
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    if (activity == null) {
      throw ValidationException.of("activity", null, "must not be null");
    }
    String cid = HubSpotApi.string(requireLive(customerId, "customerId").get("id"));
    Supplier<CustomerActivity> write = () -> {
      if (activity.idempotencyKey() != null) {
        Optional<CustomerActivity> earlier = findActivity(activity.idempotencyKey());
        if (earlier.isPresent()) {
          return earlier.get();
        }
      }
      Engagement kind = Engagement.of(activity.type(), activity.channel(), activity.metadata());
      Instant at = activity.occurredAt() == null ? now() : activity.occurredAt();
      return kind.read(api.createEngagement(kind.objectType(), kind.properties(activity, at), cid,
          kind.associationTypeId()), cid);
    };
    return account.locked(activity.idempotencyKey() == null ? null : "activity:" + activity.idempotencyKey(), write);
  }

  /** The search that lists a contact's engagements of one kind, newest first, at or before {@code until}. */
  private Search activitySearch(Engagement kind, String contactId, Long until, int limit) {
    List<Filter> filters = new ArrayList<>();
    filters.add(associatedTo(contactId));
    if (kind == Engagement.NOTE) {
      filters.add(new Filter(Engagement.ACTIVITY_TYPE, "HAS_PROPERTY", null));
    }
    if (until != null) {
      filters.add(new Filter(Engagement.TIMESTAMP, "LTE", Long.toString(until)));
    }
    return new Search(List.of(filters), List.of("-" + Engagement.TIMESTAMP), kind.properties(), limit, null);
  }

  private record Listed(Engagement kind, CustomerActivity activity) {
    String key() {
      return kind.ordinal() + ":" + activity.id();
    }
  }

  private static final Comparator<Listed> NEWEST_FIRST = Comparator
      .comparing((Listed l) -> l.activity().occurredAt(), Comparator.reverseOrder())
      .thenComparing(l -> l.kind().ordinal())
      .thenComparing(l -> Long.parseLong(l.activity().id()));

  @Override
  @SuppressWarnings("unchecked")
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    PageRequest request = page == null ? PageRequest.first() : page;
    String cid = HubSpotApi.string(requireLive(customerId, "customerId").get("id"));
    Long until = null;
    Set<String> seen = new HashSet<>();
    if (request.cursor() != null) {
      Map<String, Object> state = Cursors.decode("activities", request.cursor());
      try {
        until = ((Number) state.get("t")).longValue();
        seen.addAll((List<String>) state.get("s"));
      } catch (ClassCastException | NullPointerException e) {
        throw Cursors.malformed(request.cursor(), "activities");
      }
    }
    int want = request.limit() + seen.size() + 1;
    List<Listed> all = new ArrayList<>();
    for (Engagement kind : Engagement.values()) {
      Search search = activitySearch(kind, cid, until, Math.min(HubSpotApi.SEARCH_PAGE_LIMIT, want));
      int read = 0;
      while (true) {
        Map<String, Object> answer = api.searchObjects(kind.objectType(), search);
        List<Map<String, Object>> results = HubSpotApi.maps(answer.get("results"));
        for (Map<String, Object> r : results) {
          all.add(new Listed(kind, kind.read(r, cid)));
        }
        read += results.size();
        String next = HubSpotApi.nextAfter(answer);
        if (next == null || read >= want || results.isEmpty()) {
          break;
        }
        search = search.after(next);
      }
    }
    all.sort(NEWEST_FIRST);
    List<CustomerActivity> items = new ArrayList<>();
    Long lastAt = until;
    Set<String> atLast = new HashSet<>(seen);
    boolean more = false;
    for (Listed l : all) {
      long at = l.activity().occurredAt().toEpochMilli();
      if (until != null && at == until && seen.contains(l.key())) {
        continue;
      }
      if (items.size() == request.limit()) {
        more = true;
        break;
      }
      if (lastAt == null || at != lastAt) {
        lastAt = at;
        atLast.clear();
      }
      atLast.add(l.key());
      items.add(l.activity());
    }
    String cursor = more ? Cursors.encode("activities", Map.of("t", lastAt, "s", new ArrayList<>(new TreeSet<>(atLast)))) : null;
    return new Page<>(items, cursor, c -> listActivities(customerId, request.at(c)));
  }

  @Override
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    if (idempotencyKey == null || idempotencyKey.isBlank()) {
      throw ValidationException.of("idempotencyKey", idempotencyKey, "must not be blank");
    }
    for (Engagement kind : Engagement.values()) {
      Map<String, Object> answer = api.searchObjects(kind.objectType(), new Search(
          List.of(List.of(new Filter(Engagement.IDEMPOTENCY_KEY, "EQ", idempotencyKey))),
          List.of(Engagement.TIMESTAMP), kind.properties(), 1, null));
      for (Map<String, Object> r : HubSpotApi.maps(answer.get("results"))) {
        String id = HubSpotApi.string(r.get("id"));
        List<String> contacts = api.associatedContacts(kind.objectType(), id);
        String cid = contacts.isEmpty() ? null : get(contacts.get(0)).map(Customer::id).orElse(contacts.get(0));
        if (cid != null) {
          return Optional.of(kind.read(r, cid));
        }
      }
    }
    return Optional.empty();
  }

  /** How many notes (or activities) are associated to a contact, from the searches' {@code total}. */
  private int countEngagements(String contactId, boolean notes) {
    int total = 0;
    for (Engagement kind : notes ? List.of(Engagement.NOTE) : List.of(Engagement.values())) {
      Search search = notes
          ? new Search(List.of(noteFilters(contactId)), List.of(Engagement.TIMESTAMP), List.of(Engagement.TIMESTAMP), 1, null)
          : activitySearch(kind, contactId, null, 1);
      Object t = api.searchObjects(kind.objectType(), search).get("total");
      total += t instanceof Number n ? n.intValue() : 0;
    }
    return total;
  }

  // ------------------------------------------------------------------------------ keyed creates

  /**
   * The draft with the key in the custom field {@code hubspot.crmkit_idempotency_key} (the mapping's
   * unknown-property prefix plus {@value #IDEMPOTENCY_KEY_PROPERTY}), which is written verbatim to
   * that contact property; a contact read back shows the key in the same custom field.
   *
   * @throws ValidationException naming {@code idempotencyKey} when it is not 1 to 64 of {@code [A-Za-z0-9-]}
   */
  @Override
  public CustomerDraft withIdempotencyKey(CustomerDraft draft, String idempotencyKey) {
    Objects.requireNonNull(draft, "draft");
    if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
      throw ValidationException.of("idempotencyKey", idempotencyKey, "must be 1 to 64 of [A-Za-z0-9-]");
    }
    Map<String, String> custom = new TreeMap<>(draft.customFields());
    custom.put(idempotencyKeyField(), idempotencyKey);
    return draft.toBuilder().customFields(custom).build();
  }

  @Override
  public Optional<String> idempotencyKey(Customer customer) {
    return Optional.ofNullable(customer.customFields().get(idempotencyKeyField())).filter(k -> !k.isBlank());
  }

  /**
   * Searches {@value #IDEMPOTENCY_KEY_PROPERTY} {@code EQ} each key, five keys per search. HubSpot's
   * search index follows writes after a few seconds, so a contact created moments ago may not be
   * found yet; with the property defined as unique, HubSpot then refuses the engine's second create
   * under the same key instead of duplicating the contact.
   */
  @Override
  public Map<String, Customer> findByIdempotencyKeys(Collection<String> idempotencyKeys) {
    List<String> wanted = idempotencyKeys.stream().filter(k -> k != null && IDEMPOTENCY_KEY.matcher(k).matches())
        .distinct().toList();
    Map<String, Customer> found = new LinkedHashMap<>();
    for (int from = 0; from < wanted.size(); from += KEYS_PER_SEARCH) {
      List<List<Filter>> groups = wanted.subList(from, Math.min(wanted.size(), from + KEYS_PER_SEARCH)).stream()
          .map(k -> List.of(new Filter(IDEMPOTENCY_KEY_PROPERTY, "EQ", k))).toList();
      String after = null;
      do {
        Map<String, Object> page = api.searchContacts(
            new Search(groups, List.of(), readProperties, HubSpotApi.LIST_PAGE_LIMIT, after));
        for (Map<String, Object> contact : HubSpotApi.maps(page.get("results"))) {
          Customer c = read(contact);
          idempotencyKey(c).ifPresent(k -> found.putIfAbsent(k, c));
        }
        after = HubSpotApi.nextAfter(page);
      } while (after != null);
    }
    return found;
  }

  private String idempotencyKeyField() {
    return mapping.unknownPropertyPrefix() + IDEMPOTENCY_KEY_PROPERTY;
  }

  /** Releases nothing: the OkHttp client and the account's limiter belong to the provider and are shared. */
  @Override
  public void close() {
  }

  @Override
  public String toString() {
    return "HubSpotCustomerSystem[tenant=" + tenantId + "]";
  }
}
