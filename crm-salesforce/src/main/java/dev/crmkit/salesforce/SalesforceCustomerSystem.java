package dev.crmkit.salesforce;

import dev.crmkit.Capability;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.Page;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.salesforce.internal.CollectionWriter;
import dev.crmkit.salesforce.internal.ContactReader;
import dev.crmkit.salesforce.internal.ContactSearch;
import dev.crmkit.salesforce.internal.ContactWriter;
import java.util.List;
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
 * {@code Phone_Opt_In__c}, plus a field per {@code customField.<name>} setting. These must exist on the
 * object: the first call checks them against describe and throws
 * {@link dev.crmkit.error.ConfigurationException} naming the missing ones. Values Salesforce has no place
 * for (tags, language, last contact time, creation time, other channels, unmapped custom fields) are
 * rejected with a {@link dev.crmkit.error.ValidationException} naming them. A checkbox cannot be empty, so
 * an opted-out channel reads back as unknown.
 *
 * <h2>Operations</h2>
 * <ul>
 *   <li>{@link #get}: SOQL {@code queryAll} on the id, so a deleted record is found (with
 *       {@code deletedAt}), and a merged-away one leads to its {@code MasterRecordId}.
 *   <li>{@link #findByEmail}, {@link #findByPhone}: SOQL with escaped literals, oldest record first.
 *   <li>{@link #search}: SOQL pages ordered by id (keyset), {@code queryAll} with {@code includeDeleted}.
 *   <li>{@link #create}, {@link #update}, {@link #delete} (to the recycle bin): sObject REST calls. Salesforce
 *       does not keep emails or phones unique, so create and update first look them up and throw a
 *       {@link dev.crmkit.error.ConflictException} naming {@code email} or {@code phone} and the holder; the
 *       check is not atomic (two concurrent creates can both pass), and {@link #bulkWrite} does not read.
 *   <li>{@link #bulkWrite}: sObject Collections of 200 records ({@code allOrNone=false}), five to a
 *       composite call (one call toward the API limits): the companies' Accounts found by name or
 *       created for all writes at once, the writes, then the saved records read back; 1,000 new
 *       customers with 1,000 new companies cost four calls, with known companies two.
 * </ul>
 * Not supported: restore (undelete is a SOAP call, not a REST resource), merge (SOAP only), upsert, notes, activities, deals and the change feed (not built yet).
 *
 * <h2>Errors</h2>
 * Salesforce's error array is mapped by its {@code errorCode}: duplicates to
 * {@link dev.crmkit.error.ConflictException} with the existing id, field errors to
 * {@link dev.crmkit.error.ValidationException}, {@code NOT_FOUND}/{@code ENTITY_IS_DELETED} to
 * {@link dev.crmkit.error.NotFoundException}, {@code REQUEST_LIMIT_EXCEEDED} and a spent daily budget to
 * {@link dev.crmkit.error.RateLimitedException}. An expired session (401 {@code INVALID_SESSION_ID}) is
 * refreshed and the call repeated once when OAuth credentials are configured.
 *
 * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_rest.htm">Salesforce REST API</a>
 */
public final class SalesforceCustomerSystem implements CustomerSystem {
  private static final Set<Capability> CAPABILITIES = SalesforceCustomerSystemProvider.DESCRIPTOR.features();

  private final ContactReader reader;
  private final ContactWriter writer;
  private final CollectionWriter collections;
  private final ContactSearch search;

  SalesforceCustomerSystem(ContactReader reader) {
    this.reader = reader;
    this.writer = new ContactWriter(reader);
    this.collections = new CollectionWriter(reader, writer);
    this.search = new ContactSearch(reader);
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
    return CAPABILITIES;
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
   * Writes through sObject Collections, 200 per call with {@code allOrNone=false}: creates first, then
   * updates. A record Salesforce refuses becomes a {@code REJECTED} outcome with its error mapped by code.
   *
   * @see <a href="https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_create.htm">Salesforce: sObject Collections</a>
   */
  @Override
  public List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    return collections.bulkWrite(writes);
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
