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
import dev.crmkit.MergeResult;
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
import dev.crmkit.salesforce.internal.ClassicNotes;
import dev.crmkit.salesforce.internal.ContentNotes;
import dev.crmkit.salesforce.internal.Notes;
import dev.crmkit.CustomerNote;
import dev.crmkit.NoteDraft;
import dev.crmkit.salesforce.internal.SoapCalls;
import dev.crmkit.salesforce.internal.UndeleteAndMerge;
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
 *   <li>{@link #bulkWrite}: sObject Collections of 200 records ({@code allOrNone=false}), five to a
 *       composite call (one call toward the API limits): the companies' Accounts found by name or
 *       created for all writes at once, the writes, then the saved records read back; 1,000 new
 *       customers with 1,000 new companies cost four calls, with known companies two. Above
 *       {@code bulkApiThreshold} writes, Bulk API 2.0 ingest jobs. It does not look emails up, so a second
 *       Contact with a stored email is refused only by the org's duplicate rule.
 *   <li>{@link #addActivity}, {@link #listActivities}, {@link #findActivity}, {@link #logInteraction}:
 *       Tasks (calls with {@code TaskSubtype} Call, emails with Email, messages and the rest with Task; all
 *       Completed) and Events (meetings), with five custom Activity fields the org defines
 *       ({@code Crmkit_Activity_Type__c}, {@code Crmkit_Channel__c}, {@code Crmkit_Occurred_At__c},
 *       {@code Crmkit_Metadata__c}, {@code Crmkit_Idempotency_Key__c}); an idempotency key is recorded once
 *       per org among this process's callers (a look-up and a create under the key's lock); times to the
 *       second. {@code logInteraction} needs {@code lastContactAtField}.
 *   <li>{@link #restore}, {@link #merge}: the partner SOAP API's {@code undelete()} and {@code merge()} at
 *       {@code /services/Soap/u/NN.0} (REST has neither), with the access token as the {@code SessionHeader}'s
 *       session; an expired session is refreshed and the call repeated once, as for REST.
 * </ul>
 * Not supported: duplicate detection and orders. Restore and merge go through the partner SOAP API's
 * {@code undelete()} and {@code merge()} calls (REST has neither).
 *
 * <h2>Notes</h2>
 * By default ({@code noteObject=ContentNote}) notes are Lightning notes: a ContentVersion whose
 * {@code PathOnClient} ends {@code .snote}, with the note as escaped HTML in {@code VersionData} and
 * {@code FirstPublishLocationId} the customer (Salesforce links the new ContentDocument, the note's id, to it).
 * Four custom ContentVersion fields the org defines hold what a ContentNote cannot: {@code Crmkit_Author__c}
 * (Text 255), {@code Crmkit_Created_At__c} (Date/Time), {@code Crmkit_Idempotency_Key__c} (Text 200, External ID)
 * and {@code Crmkit_Text__c} (Long Text Area 131,072, a plain-text copy so a page of notes costs two SOQL queries
 * besides the customer's read, instead of one blob {@code GET} per note); they are checked against describe on first use
 * ({@link dev.crmkit.error.ConfigurationException} naming the missing ones). A key is recorded once per org among
 * this process's callers, as for activities. Lists read the customer's ContentDocumentLinks, then the latest
 * {@code SNOTE} versions, newest first by {@code Crmkit_Created_At__c} (notes made in Salesforce, which lack it,
 * come last). With {@code noteObject=Note} notes are classic Notes ({@code ParentId}, {@code Title} the first line
 * up to 80 characters, {@code Body} up to 32,000): a Note has no place for an author or an idempotency key, and
 * takes a time only as {@code CreatedDate} with {@code auditFields=true}, so a draft with one it cannot hold is
 * refused with a {@link dev.crmkit.error.ValidationException} naming it, although the system lists
 * {@link Capability#IDEMPOTENT_ACTIVITIES} (for its activities; keyed notes, as the document-sent action writes,
 * are therefore refused with classic notes).
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
 * {@link dev.crmkit.error.RateLimitedException}. An expired session (401 {@code INVALID_SESSION_ID}, or the SOAP
 * fault {@code sf:INVALID_SESSION_ID} with HTTP 500) is refreshed and the call repeated once when OAuth
 * credentials are configured. A SOAP fault is read with a hardened XML reader (no DTD, no entities) and mapped
 * by its {@code sf:} code like a REST error.
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
  private final Notes notes;
  private final Opportunities opportunities;
  private final Set<Capability> capabilities;
  private final ContactChangeFeed feed;
  private final BulkIngest bulk;
  private final int bulkApiThreshold;
  private final ContactIdempotencyKeys idempotencyKeys;
  private final UndeleteAndMerge undeleteAndMerge;

  SalesforceCustomerSystem(ContactReader reader, OrgLocks locks, Clock clock, Opportunities opportunities,
      ContactChangeFeed feed, Sleeper sleeper, int bulkApiThreshold, boolean classicNotes, SoapCalls soap) {
    this.reader = reader;
    this.activities = new Activities(reader, locks, clock);
    this.notes = classicNotes ? new ClassicNotes(reader) : new ContentNotes(reader, locks, clock);
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
    this.undeleteAndMerge = new UndeleteAndMerge(reader, writer, locks, soap, notes);
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
   * SOAP {@code undelete()} of a customer in the recycle bin, after checking that no live customer took its email
   * or phone meanwhile (under the org's locks, as create). Restoring a live customer returns it unchanged.
   *
   * @throws dev.crmkit.error.NotFoundException when no customer has the id, or the record is no longer in the
   *     recycle bin (emptied, or past its 15 days)
   * @throws dev.crmkit.error.ConflictException naming {@code email} or {@code phone} and the live customer holding it
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_undelete.htm">Salesforce: undelete()</a>
   */
  @Override
  public Customer restore(String id) {
    return undeleteAndMerge.restore(id);
  }

  /**
   * SOAP {@code merge()} of one live customer into another. Salesforce keeps the master's values, so the merged
   * customer's values for the survivor's blank fields (names, company, email, phone, address, language, preferred
   * channel, a prospect's segment, missing custom fields, a later last contact time) are sent in the request's
   * {@code masterRecord}; opt-ins stay the survivor's. Salesforce itself moves the merged record's Tasks, Events,
   * Notes and opportunity roles, and leaves it in the recycle bin with {@code MasterRecordId}, so {@link #get}
   * with its id returns the survivor. {@code activitiesMoved} counts the Tasks and Events Salesforce re-parented,
   * {@code notesMoved} its Notes.
   *
   * @throws dev.crmkit.error.ValidationException naming {@code mergedId} when both ids are one customer
   * @throws dev.crmkit.error.NotFoundException when either customer does not exist or is deleted
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_calls_merge.htm">Salesforce: merge()</a>
   */
  @Override
  public MergeResult merge(String survivorId, String mergedId) {
    return undeleteAndMerge.merge(survivorId, mergedId);
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
   * Adds the note as a Lightning note (a ContentVersion with the crmkit ContentVersion fields; with an idempotency
   * key recorded before in the org, returns that note and writes nothing) or, with {@code noteObject=Note}, as a
   * classic Note, which refuses an author, a time and a key; see the class documentation.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist or is deleted
   * @throws dev.crmkit.error.ValidationException naming {@code createdBy}, {@code idempotencyKey} or (without
   *     {@code auditFields=true}) {@code createdAt} for a classic Note, or {@code content} over its 32,000 characters
   * @throws dev.crmkit.error.ConfigurationException when ContentVersion lacks a crmkit note field
   */
  @Override
  public CustomerNote addNote(String customerId, NoteDraft note) {
    return notes.add(customerId, note);
  }

  /**
   * The customer's notes, newest first.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   * @throws dev.crmkit.error.ValidationException naming {@code cursor} for a cursor this list did not issue
   */
  @Override
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    return notes.list(customerId, page);
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
