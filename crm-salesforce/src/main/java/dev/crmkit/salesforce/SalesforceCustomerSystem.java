package dev.crmkit.salesforce;

import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.Page;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.Deal;
import dev.crmkit.IdempotentCreates;
import dev.crmkit.DealDraft;
import dev.crmkit.DealUpdate;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.http.Sleeper;
import dev.crmkit.salesforce.internal.BulkIngest;
import dev.crmkit.ActivityDraft;
import dev.crmkit.CustomerActivity;
import dev.crmkit.Interaction;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.salesforce.internal.Activities;
import dev.crmkit.salesforce.internal.CollectionWriter;
import dev.crmkit.salesforce.internal.ContactChangeFeed;
import dev.crmkit.salesforce.internal.ContactIdempotencyKeys;
import dev.crmkit.salesforce.internal.ContactReader;
import dev.crmkit.salesforce.internal.ContactSearch;
import dev.crmkit.salesforce.internal.ContactUpsert;
import dev.crmkit.salesforce.internal.ContactWriter;
import dev.crmkit.salesforce.internal.OrgLocks;
import java.time.Clock;
import dev.crmkit.salesforce.internal.Opportunities;
import java.util.EnumSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant's view of a Salesforce org through the REST API: customers are Contacts (or Leads, by the
 * provider's {@code customerObject} setting). Thread-safe. Built by {@link SalesforceCustomerSystemProvider}.
 *
 * <h2>Fields</h2>
 * FirstName, LastName, Email, Phone (E.164 when it parses), Mailing* address (a Lead's Street, City,
 * State, PostalCode, Country; line 2 after a newline in the street), company as the Contact's Account
 * (found by name or created; a Lead's Company), and the custom fields {@code Customer_Segment__c},
 * {@code Total_Orders__c}, {@code Total_Revenue__c} (read into the stats), {@code Preferred_Channel__c}
 * and the checkboxes {@code Email_Opt_In__c}, {@code SMS_Opt_In__c}, {@code WhatsApp_Opt_In__c},
 * {@code Phone_Opt_In__c}, plus a field per {@code customField.<name>} setting. Contacts and Leads have no
 * standard field for a language or a last contact time: they go to the text and Date/Time fields the
 * settings {@code languageField} and {@code lastContactAtField} name. A creation time ({@code createdAt} of
 * an import) is written to {@code CreatedDate}, which Salesforce lets an API user set on create only with
 * "Set Audit Fields upon Record Creation" (setting {@code auditFields=true}). Every field the mapping uses
 * must exist on the object: the first call checks them against describe and throws
 * {@link dev.crmkit.error.ConfigurationException} naming the missing ones. Values with no place (tags; a
 * language, last contact or creation time without its setting; other channels; unmapped custom fields) are
 * rejected with a {@link dev.crmkit.error.ValidationException} naming them, never dropped. A checkbox
 * cannot be empty, so an opted-out channel reads back as unknown.
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li>{@link #get}: SOQL {@code queryAll} on the id, so a deleted record is found (with
 *       {@code deletedAt}), and a merged-away one leads to its {@code MasterRecordId}.
 *   <li>{@link #findByEmail}, {@link #findByPhone}: SOQL with escaped literals, oldest record first. A phone
 *       is matched in the forms crmkit writes (E.164, with extension, as typed, digits alone); SOQL cannot
 *       compare by digits, so a number typed in Salesforce in another form is not found.
 *   <li>{@link #search}: SOQL pages ordered by id (keyset), {@code queryAll} with {@code includeDeleted}.
 *   <li>{@link #create}, {@link #update}, {@link #delete} (to the recycle bin): sObject REST calls.
 *       Salesforce keeps neither emails nor phones unique, so create and update first look them up and throw
 *       a {@link dev.crmkit.error.ConflictException} naming {@code email} or {@code phone} and the holder.
 *       <b>What is atomic:</b> the look-up and the write hold striped locks of the email and phone shared by
 *       every system of the org in this provider instance, so concurrent callers in this process cannot both
 *       pass. Across processes (and users in Salesforce) only the org's duplicate rules guard: a blocking
 *       rule on Contact email answers {@code DUPLICATES_DETECTED}, mapped to a {@code ConflictException}
 *       naming {@code email} and the existing id; phones have no such guard unless the org adds a rule.
 *   <li>{@link #upsert}: per the SPI rule (email, then an identifying phone), SOQL {@code IN} look-ups per
 *       100 drafts, then sObject Collections; a bad draft is rejected alone; under the same locks.
 *   <li>{@link #bulkWrite}: sObject Collections, 200 records per call, {@code allOrNone=false}; it reads
 *       nothing, so a second Contact with a stored email is refused only by the org's duplicate rule.
 *   <li>{@link #addActivity}, {@link #listActivities}, {@link #findActivity}, {@link #logInteraction}:
 *       Tasks (calls with {@code TaskSubtype} Call, emails with Email, messages and the rest with Task; all
 *       Completed) and Events (meetings), with five custom Activity fields the org defines
 *       ({@code Crmkit_Activity_Type__c}, {@code Crmkit_Channel__c}, {@code Crmkit_Occurred_At__c},
 *       {@code Crmkit_Metadata__c}, {@code Crmkit_Idempotency_Key__c}); an idempotency key is recorded once
 *       per org among this process's callers (a look-up and a create under the key's lock); times to the
 *       second. {@code logInteraction} needs {@code lastContactAtField}.
 * </ul>
 * Not supported: restore and merge (Salesforce offers undelete and merge in SOAP and Apex, not as REST
 * resources; not built), notes (a classic Note has only ParentId, Title, Body and IsPrivate: no place for
 * an author or an idempotency key; Lightning notes, ContentNote through ContentVersion, which can carry
 * custom fields, are the way and are not built yet), duplicate detection and orders.
 *
 * <h2>Deals</h2>
 * Deals are Opportunities, linked to the customer by a primary OpportunityContactRole created in the same
 * {@code /composite} request (all or none), with the Contact's Account as {@code AccountId}. The org has one
 * pipeline, id {@code default}: the active values of the {@code StageName} picklist in order, each WON, LOST or
 * OPEN by its OpportunityStage's {@code IsWon}/{@code IsClosed}, read from describe and cached for 60 seconds.
 * Salesforce requires a close date and an owner: a deal without a close date is stored with 4000-12-31 (read
 * back as none), and an opportunity owned by the user who created it reads as having no owner (clearing the
 * owner hands it back to that user); owners are User ids ({@code 005...}). Amounts carry {@code CurrencyIsoCode}
 * in a multi-currency org and must be in the {@code currency} setting's currency otherwise, with at most 2
 * digits after the point. Keyed deals store the key in a unique external-id text field
 * ({@code dealIdempotencyKeyField}, default {@code Crmkit_Idempotency_Key__c}), which the org must have, like
 * every field a {@code dealCustomField.<name>} setting maps (checked against describe on first use:
 * {@link dev.crmkit.error.ConfigurationException}). With {@code customerObject=Lead} the system has no
 * {@link Capability#DEALS}: a Lead cannot hold opportunities until it is converted, and every deal call throws
 * {@link dev.crmkit.error.UnsupportedCapabilityException}.
 *
 * <h2>Errors</h2>
 * Salesforce's error array is mapped by its {@code errorCode}: duplicates to
 * {@link dev.crmkit.error.ConflictException} with the existing id, field errors to
 * {@link dev.crmkit.error.ValidationException}, {@code NOT_FOUND}/{@code ENTITY_IS_DELETED} to
 * {@link dev.crmkit.error.NotFoundException}, {@code REQUEST_LIMIT_EXCEEDED} and a spent daily budget to
 * {@link dev.crmkit.error.RateLimitedException}. An expired session (401 {@code INVALID_SESSION_ID}) is
 * refreshed and the call repeated once when OAuth credentials are configured.
 *
 * <h2>Idempotent creates</h2>
 * As {@link IdempotentCreates}, the sync engine's creates of records without an email carry a key in the
 * crmkit custom field {@value #IDEMPOTENCY_KEY_FIELD}: map it to a text field of the org (64 characters,
 * ideally a unique external id) with {@code customField.crmkitIdempotencyKey=Crmkit_Idempotency_Key__c}.
 * Without that setting the keys are neither stored nor found, and a run killed between such a create and its
 * mapping can leave a duplicate.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm">Salesforce REST API</a>
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/system_fields.htm">Salesforce: system (audit) fields</a>
 */
public final class SalesforceCustomerSystem implements CustomerSystem, IdempotentCreates {
  /** The crmkit custom field the idempotency key of an engine's create is kept in: {@value}. */
  public static final String IDEMPOTENCY_KEY_FIELD = ContactIdempotencyKeys.FIELD;

  private final ContactReader reader;
  private final ContactWriter writer;
  private final CollectionWriter collections;
  private final ContactSearch search;
  private final ContactUpsert upsert;
  private final Activities activities;
  private final Opportunities opportunities;
  private final Set<Capability> capabilities;
  private final ContactChangeFeed feed;
  private final BulkIngest bulk;
  private final int bulkApiThreshold;
  private final ContactIdempotencyKeys idempotencyKeys;

  SalesforceCustomerSystem(ContactReader reader, OrgLocks locks, Clock clock, Opportunities opportunities,
      ContactChangeFeed feed, Sleeper sleeper, int bulkApiThreshold) {
    this.reader = reader;
    this.activities = new Activities(reader, locks, clock);
    this.opportunities = opportunities;
    this.feed = feed;
    Set<Capability> features = EnumSet.copyOf(SalesforceCustomerSystemProvider.DESCRIPTOR.features());
    if (!opportunities.available()) {
      features.remove(Capability.DEALS);
    }
    this.capabilities = Set.copyOf(features);
    this.writer = new ContactWriter(reader, locks);
    this.bulk = new BulkIngest(reader, writer, sleeper, BulkIngest.MAX_UPLOAD_BYTES);
    this.bulkApiThreshold = bulkApiThreshold;
    this.collections = new CollectionWriter(reader, writer);
    this.search = new ContactSearch(reader);
    this.upsert = new ContactUpsert(reader, writer, collections, locks);
    this.idempotencyKeys = new ContactIdempotencyKeys(reader);
  }

  /**
   * The draft with the key in {@value #IDEMPOTENCY_KEY_FIELD}; the draft unchanged when that custom field
   * has no {@code customField.crmkitIdempotencyKey} setting.
   *
   * @throws dev.crmkit.error.ValidationException naming {@code idempotencyKey} when it is not 1 to 64 of
   *     {@code [A-Za-z0-9-]}
   * @throws NullPointerException naming {@code draft} when null
   */
  @Override
  public CustomerDraft withIdempotencyKey(CustomerDraft draft, String idempotencyKey) {
    return idempotencyKeys.withIdempotencyKey(draft, idempotencyKey);
  }

  @Override
  public Optional<String> idempotencyKey(Customer customer) {
    return idempotencyKeys.idempotencyKey(customer);
  }

  /** One SOQL query per 200 keys on the configured field; empty without the setting. */
  @Override
  public Map<String, Customer> findByIdempotencyKeys(Collection<String> idempotencyKeys) {
    return this.idempotencyKeys.findByIdempotencyKeys(idempotencyKeys);
  }

  @Override
  public String providerName() {
    return SalesforceCustomerSystemProvider.NAME;
  }

  @Override
  public String tenantId() {
    return reader.tenantId();
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

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

  /**
   * SOQL per page, ordered by id and continued after the last id (so pages hold exactly the limit);
   * name matches first or last name (or "first last") with escaped LIKE patterns; {@code includeDeleted}
   * reads the recycle bin through {@code queryAll}.
   *
   * @throws dev.crmkit.error.ValidationException naming {@code tag}: Salesforce holds no tags here
   */
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

  /**
   * Matches each draft by email, then by phone (SOQL {@code IN} lookups per 100 drafts), and writes the
   * creates and updates through sObject Collections, 200 per call with {@code allOrNone=false}: a bad draft
   * is rejected alone. Tags are rejected (Salesforce holds none here).
   *
   * @throws dev.crmkit.error.ValidationException naming {@code drafts} when the list is null
   */
  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    return upsert.upsert(drafts);
  }

  /**
   * Writes through sObject Collections, 200 per call with {@code allOrNone=false}: creates first, then
   * updates. Above the provider's {@code bulkApiThreshold} writes (default 2,000) it goes through Bulk API 2.0
   * ingest jobs instead ({@link BulkIngest}: CSV uploads of at most 100 MB per job, polled with backoff, results
   * mapped back to input order). A record Salesforce refuses becomes a {@code REJECTED} outcome with its error
   * mapped by code.
   *
   * @throws dev.crmkit.error.ServerException with vendor code {@code BULK_JOB_FAILED} when a Bulk API job fails,
   *     is aborted or runs past 30 minutes
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm">Salesforce: sObject Collections</a>
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm">Bulk API 2.0</a>
   */
  @Override
  public List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    if (writes != null && writes.size() > bulkApiThreshold && writes.stream().allMatch(Objects::nonNull)) {
      return bulk.bulkWrite(writes);
    }
    return collections.bulkWrite(writes);
  }

  /**
   * Records a Task (or, for a meeting, an Event) on the customer; see the class documentation for the
   * fields. With an idempotency key recorded before in the org, returns that activity and writes nothing.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist or is deleted
   * @throws dev.crmkit.error.ConfigurationException when Task or Event lacks a crmkit Activity field
   */
  @Override
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    return activities.add(customerId, activity);
  }

  /**
   * Tasks and Events of the customer, newest first.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   */
  @Override
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    return activities.list(customerId, page);
  }

  /** SOQL on the key field of Task, then of Event. */
  @Override
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    return activities.find(idempotencyKey);
  }

  /**
   * As the SPI's default: the activity, then {@code lastContactAt} moved forward in the
   * {@code lastContactAtField}.
   *
   * @throws dev.crmkit.error.ConfigurationException before anything is written when the setting
   *     {@code lastContactAtField} is not set
   */
  @Override
  public Interaction logInteraction(String customerId, ActivityDraft activity) {
    if (!reader.mapping().holdsLastContactAt()) {
      throw new ConfigurationException("tenant '" + reader.tenantId() + "', provider 'salesforce': logInteraction "
          + "needs the setting " + SalesforceCustomerSystemProvider.LAST_CONTACT_AT_FIELD);
    }
    return CustomerSystem.super.logInteraction(customerId, activity);
  }

  @Override
  public Deal createDeal(String customerId, DealDraft deal) {
    return opportunities.create(customerId, deal);
  }

  @Override
  public Optional<Deal> getDeal(String dealId) {
    return opportunities.get(dealId);
  }

  @Override
  public Deal updateDeal(String dealId, DealUpdate update) {
    return opportunities.update(dealId, update);
  }

  @Override
  public Page<Deal> listDeals(String customerId, PageRequest page) {
    return opportunities.list(customerId, page);
  }

  @Override
  public List<Pipeline> pipelines() {
    return opportunities.pipelines();
  }

  /**
   * The delta feed from SOQL {@code queryAll} ordered by {@code SystemModstamp, Id} (creates, updates, recycle-bin
   * deletions, merges as {@code DELETED} with {@code mergedIntoId} from {@code MasterRecordId}), re-reading
   * {@link ContactChangeFeed#DEFAULT_OVERLAP} behind the clock for writes that commit late and deduplicating them
   * by id, stamp and a digest of the row; hard deletions from {@code getDeleted} once caught up. The cursor is
   * opaque and versioned. A full pull reads one SOQL page per call, so it streams.
   *
   * @throws dev.crmkit.error.ValidationException naming {@code limit} (1 to 1,000) or a {@code cursor} this
   *     provider did not issue
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_getdeleted.htm">Salesforce: get deleted records</a>
   */
  @Override
  public ChangeBatch changesSince(String cursor, int limit) {
    return feed.changesSince(cursor, limit);
  }

  /** Releases nothing: the HTTP client and the org's usage counter belong to the provider. */
  @Override
  public void close() {
  }

  @Override
  public String toString() {
    return "SalesforceCustomerSystem[tenant=" + reader.tenantId() + "]";
  }
}
