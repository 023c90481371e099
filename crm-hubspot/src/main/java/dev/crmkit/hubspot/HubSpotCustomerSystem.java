package dev.crmkit.hubspot;

import dev.crmkit.ActivityDraft;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealUpdate;
import dev.crmkit.IdempotentCreates;
import dev.crmkit.MergeResult;
import dev.crmkit.NoteDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.AccountState;
import dev.crmkit.hubspot.internal.ContactBatchCalls;
import dev.crmkit.hubspot.internal.ContactBatchWriter;
import dev.crmkit.hubspot.internal.ContactChangeFeed;
import dev.crmkit.hubspot.internal.ContactIdempotencyKeys;
import dev.crmkit.hubspot.internal.ContactReader;
import dev.crmkit.hubspot.internal.ContactSearch;
import dev.crmkit.hubspot.internal.ContactUpsert;
import dev.crmkit.hubspot.internal.ContactWriter;
import dev.crmkit.hubspot.internal.Deals;
import dev.crmkit.hubspot.internal.Engagement;
import dev.crmkit.hubspot.internal.Engagements;
import dev.crmkit.hubspot.internal.HubSpotApi;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * {@link Capability#IDEMPOTENT_ACTIVITIES}, {@link Capability#CHANGE_FEED}, {@link Capability#TAGS},
 * {@link Capability#CUSTOM_FIELDS} and {@link Capability#DEALS}. Not {@link Capability#RESTORE}: HubSpot's API cannot restore an
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
 * <p>A note with an idempotency key is written the same way: the key goes to the note's
 * {@code crmkit_idempotency_key}, and the notes (not the activities) holding the key are searched first
 * under the account's per-key lock; an earlier note is returned as it is and nothing is written.
 *
 * <h2>Deals</h2>
 *
 * <p>Deals are HubSpot deal objects associated to the contact (association type 3); see
 * {@code Deals} in the internal package for the property mapping: {@code dealname}, {@code amount} with
 * {@code deal_currency_code} (amounts HubSpot returns without a code are in the {@code dealCurrency}
 * setting's currency), {@code pipeline}, {@code dealstage}, {@code closedate} (midnight UTC),
 * {@code hubspot_owner_id} (numeric owner ids only), custom fields through {@code dealCustomField.<name>}
 * settings, and the idempotency key in the deal property {@code crmkit_idempotency_key}, which the
 * account must define as a searchable single-line text property on deals. A keyed create searches that
 * property first under a per-key lock of the account: concurrent creates in this process make one deal,
 * but creates from other processes, or a repeat within HubSpot's search lag (a few seconds), can make a
 * second deal.
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
 * <h2>Layout</h2>
 *
 * <p>This class only delegates, one job per class of {@code dev.crmkit.hubspot.internal}:
 * {@code ContactReader} (get, find by email and phone, the contact-to-customer mapping),
 * {@code ContactWriter} (create, update, delete, merge), {@code ContactUpsert}, {@code ContactBatchWriter}
 * (bulk writes, through {@code ContactBatchCalls}), {@code ContactSearch}, {@code ContactChangeFeed},
 * {@code Engagements} (notes and activities) and {@code ContactIdempotencyKeys}; every request is built
 * in {@code HubSpotApi}, every cursor in {@code HubSpotCursors}, every HubSpot error in {@code HubSpotErrors}.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/contacts">HubSpot: contacts API</a>
 * @see <a href="https://developers.hubspot.com/docs/api/crm/search">HubSpot: CRM search</a>
 * @see <a href="https://developers.hubspot.com/docs/api/crm/engagements">HubSpot: engagements</a>
 */
public final class HubSpotCustomerSystem implements CustomerSystem, IdempotentCreates {
  /** The provider name. */
  public static final String PROVIDER = HubSpotApi.PROVIDER;
  /**
   * The contact property that holds the idempotency key of a contact created by the sync engine (see
   * {@link IdempotentCreates}); the same name as the engagements' key property. The account must define
   * it as a searchable single-line text property, best with unique values.
   */
  public static final String IDEMPOTENCY_KEY_PROPERTY = Engagement.IDEMPOTENCY_KEY;

  /** What this system supports: the features its provider's descriptor declares, written once there. */
  private static final Set<Capability> CAPABILITIES = HubSpotCustomerSystemProvider.DESCRIPTOR.features();

  private final ContactReader reader;
  private final ContactWriter writer;
  private final ContactUpsert upserts;
  private final ContactBatchWriter batchWriter;
  private final ContactSearch search;
  private final ContactChangeFeed changeFeed;
  private final Engagements engagements;
  private final ContactIdempotencyKeys idempotencyKeys;
  private final Deals deals;
  private final HubSpotApi api;

  HubSpotCustomerSystem(String tenantId, HubSpotApi api, HubSpotContactMapping mapping, PhoneNumbers phoneNumbers,
      Clock clock, AccountState account, Duration overlap, int resultCap, int writeConcurrency,
      Currency dealCurrency, Map<String, String> dealCustomFields) {
    this.api = api;
    this.reader = new ContactReader(tenantId, api, mapping, phoneNumbers, clock, resultCap);
    this.engagements = new Engagements(reader, account);
    this.writer = new ContactWriter(reader, account, engagements);
    ContactBatchCalls batches = new ContactBatchCalls(reader);
    this.upserts = new ContactUpsert(reader, batches);
    this.batchWriter = new ContactBatchWriter(reader, batches, writeConcurrency);
    this.search = new ContactSearch(reader);
    this.changeFeed = new ContactChangeFeed(reader, overlap);
    this.idempotencyKeys = new ContactIdempotencyKeys(reader);
    this.deals = new Deals(reader, account, clock, dealCurrency, dealCustomFields);
  }

  @Override
  public String providerName() {
    return PROVIDER;
  }

  @Override
  public String tenantId() {
    return reader.tenantId();
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  // ------------------------------------------------------------------------------------ contacts

  @Override
  public Optional<Customer> get(String id) {
    return reader.get(id);
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    return reader.findByEmail(email);
  }

  @Override
  public Optional<Customer> findByPhone(String phone) {
    return reader.findByPhone(phone);
  }

  @Override
  public Page<Customer> search(CustomerQuery query) {
    return search.search(query);
  }

  @Override
  public Customer create(CustomerDraft draft) {
    return writer.create(draft);
  }

  @Override
  public Customer update(String id, CustomerUpdate update) {
    return writer.update(id, update);
  }

  @Override
  public void delete(String id) {
    writer.delete(id);
  }

  @Override
  public MergeResult merge(String survivorId, String mergedId) {
    return writer.merge(survivorId, mergedId);
  }

  // ------------------------------------------------------------------------------------ bulk

  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    return upserts.upsert(drafts);
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
    return batchWriter.bulkWrite(writes);
  }

  // ------------------------------------------------------------------------------------ change feed

  @Override
  public ChangeBatch changesSince(String cursor, int limit) {
    return changeFeed.changesSince(cursor, limit);
  }

  // ------------------------------------------------------------------------------------ notes and activities

  @Override
  public CustomerNote addNote(String customerId, NoteDraft note) {
    return engagements.addNote(customerId, note);
  }

  @Override
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    return engagements.listNotes(customerId, page);
  }

  @Override
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    return engagements.addActivity(customerId, activity);
  }

  @Override
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    return engagements.listActivities(customerId, page);
  }

  @Override
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    return engagements.findActivity(idempotencyKey);
  }

  // ------------------------------------------------------------------------------------ deals

  /**
   * {@code POST /crm/v3/objects/deals} associated to the contact (type 3), after resolving the
   * pipeline (the first of {@link #pipelines()} when not given) and stage (its first open stage when
   * not given). With an idempotency key, the key is first searched in the deal property
   * {@value #IDEMPOTENCY_KEY_PROPERTY} under the account's per-key lock; see the class comment for
   * what that does not cover.
   *
   * @throws dev.crmkit.error.NotFoundException when no live contact has the id
   * @throws ValidationException naming {@code pipelineId} or {@code stageId} when the account has no
   *     such pipeline or stage, {@code owner} when it is not a numeric HubSpot owner id,
   *     {@code customFields.<name>} when no deal property is mapped to the field, or the HubSpot
   *     property HubSpot refused (such as {@code deal_currency_code} for a currency the account
   *     does not have)
   */
  @Override
  public Deal createDeal(String customerId, DealDraft deal) {
    return deals.create(customerId, deal);
  }

  /**
   * {@code GET /crm/v3/objects/deals/{id}?associations=contacts}; the customer is the lowest
   * associated contact id, {@code ""} for a deal associated to no contact. Empty for an unknown or
   * archived deal.
   */
  @Override
  public Optional<Deal> getDeal(String dealId) {
    return deals.get(dealId);
  }

  /**
   * Reads the deal, resolves the update against {@link #pipelines()} (an unknown pipeline or stage,
   * or a status disagreeing with the stage, is refused before any write), then {@code PATCH}es the
   * properties that change.
   */
  @Override
  public Deal updateDeal(String dealId, DealUpdate update) {
    return deals.update(dealId, update);
  }

  /**
   * Every deal associated to the contact ({@code GET /crm/v4/objects/contacts/{id}/associations/deals},
   * then {@code batch/read} in hundreds), newest first by {@code createdate} then id, paged behind a
   * keyset cursor. Each page reads the contact's deals again, so a contact with thousands of deals
   * costs a request per hundred deals per page.
   */
  @Override
  public Page<Deal> listDeals(String customerId, PageRequest page) {
    return deals.list(customerId, page);
  }

  /**
   * {@code GET /crm/v3/pipelines/deals}, kept for a minute per system. A stage is OPEN unless its
   * metadata says {@code isClosed}; a closed stage is WON with {@code probability} 1.0 and LOST
   * otherwise. Archived pipelines and stages, and pipelines without both a won and a lost stage,
   * are left out.
   */
  @Override
  public List<Pipeline> pipelines() {
    return deals.pipelines();
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
    return idempotencyKeys.withIdempotencyKey(draft, idempotencyKey);
  }

  @Override
  public Optional<String> idempotencyKey(Customer customer) {
    return idempotencyKeys.idempotencyKey(customer);
  }

  /**
   * Searches {@value #IDEMPOTENCY_KEY_PROPERTY} {@code EQ} each key, five keys per search. HubSpot's
   * search index follows writes after a few seconds, so a contact created moments ago may not be
   * found yet; with the property defined as unique, HubSpot then refuses the engine's second create
   * under the same key instead of duplicating the contact.
   */
  @Override
  public Map<String, Customer> findByIdempotencyKeys(Collection<String> idempotencyKeys) {
    return this.idempotencyKeys.findByIdempotencyKeys(idempotencyKeys);
  }

  // ------------------------------------------------------------------------------------- account

  /**
   * The HubSpot account (portal, also called hub) this system's credential belongs to: {@code GET
   * /account-info/v3/details}, one call each time (not cached), counted by the rate limiter like any call.
   *
   * @return the portal id in decimal, such as {@code "2519445"}
   * @throws dev.crmkit.error.AuthenticationException when the credential is refused
   * @throws CrmException when the answer has no positive {@code portalId}, or as any call fails
   * @see <a href="https://developers.hubspot.com/docs/api-reference/legacy/account/account-information/get-account-details">HubSpot: account details</a>
   */
  public String portalId() {
    Object portal = api.accountDetails().get("portalId");
    if (!(portal instanceof Number n) || n.longValue() <= 0 || n.doubleValue() != n.longValue()) {
      throw new CrmException("hubspot GET /account-info/v3/details: the answer has no positive integer portalId",
          PROVIDER, 200, null, null, null);
    }
    return Long.toString(n.longValue());
  }

  /** Releases nothing: the OkHttp client and the account's limiter belong to the provider and are shared. */
  @Override
  public void close() {
  }

  @Override
  public String toString() {
    return "HubSpotCustomerSystem[tenant=" + reader.tenantId() + "]";
  }
}
