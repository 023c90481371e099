package dev.crmkit;

import dev.crmkit.error.CrmException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One tenant's view of one back end that stores customers: the native store, an in-memory store, or
 * a vendor CRM. The one interface a host codes against.
 *
 * <p>Implementations are thread-safe. Ids are the back end's own. Every lookup follows merges: a
 * customer merged into another is reached through its old id. Lookups by email and phone normalize
 * their argument the way stored values are normalized (see {@link dev.crmkit.identity}) and never
 * return soft-deleted customers.
 *
 * <p>Optional operations (each names its {@link Capability}) have default methods that throw
 * {@link UnsupportedCapabilityException} naming the provider and the capability: an implementation
 * overrides those it supports and lists them in {@link #capabilities()} (and in its provider's
 * {@link dev.crmkit.provider.ProviderDescriptor#features()}).
 *
 * <p>Errors: every method throws {@link dev.crmkit.error.ValidationException} for bad arguments
 * (naming the field), {@link UnsupportedCapabilityException} for an operation
 * whose {@link Capability} is missing, and the transport errors of the back end
 * ({@link dev.crmkit.error.ApiConnectionException}, {@link dev.crmkit.error.ServerException}, ...).
 * A failed write writes nothing.
 */
public interface CustomerSystem extends AutoCloseable {

  /** The provider's name, such as {@code "native"}. */
  String providerName();

  /** The tenant this instance serves. */
  String tenantId();

  /** The optional operations this back end supports. */
  Set<Capability> capabilities();

  /** True when {@code capability} is in {@link #capabilities()}. */
  default boolean supports(Capability capability) {
    return capabilities().contains(capability);
  }

  /**
   * Reads a customer by id, following merges, including a soft-deleted one.
   *
   * @return the customer, or empty when no customer has (or had, before a merge) that id
   */
  Optional<Customer> get(String id);

  /**
   * Reads a customer by id.
   *
   * @throws dev.crmkit.error.NotFoundException when there is none
   */
  default Customer require(String id) {
    return get(id).orElseThrow(() -> new dev.crmkit.error.NotFoundException(providerName(), "customer", id));
  }

  /** The live customer with this email (matched case-insensitively), or empty. A malformed email matches nothing. */
  Optional<Customer> findByEmail(String email);

  /** The live customer with this phone in any format, or empty. A number without digits matches nothing. */
  Optional<Customer> findByPhone(String phone);

  /**
   * Searches customers; see {@link CustomerQuery} for the criteria. Requires {@link Capability#SEARCH}.
   *
   * @return the first page; {@link Page#autoPaging()} reads the rest
   */
  default Page<Customer> search(CustomerQuery query) {
    throw new UnsupportedCapabilityException(providerName(), Capability.SEARCH);
  }

  /**
   * Creates a customer.
   *
   * @return the stored customer with its new id
   * @throws dev.crmkit.error.ConflictException when another live customer of the tenant has the same
   *     email or phone (the exception names the field and the existing id)
   * @throws dev.crmkit.error.ValidationException naming a field the back end rejects
   */
  Customer create(CustomerDraft draft);

  /**
   * Updates a customer.
   *
   * @return the updated customer
   * @throws dev.crmkit.error.NotFoundException when there is no such customer
   * @throws dev.crmkit.error.ConflictException when the new email or phone belongs to another customer
   */
  Customer update(String id, CustomerUpdate update);

  /**
   * Deletes a customer: soft (recoverable by {@link #restore}) where the back end has it. Deleting a
   * deleted customer does nothing. Requires {@link Capability#DELETE}.
   *
   * @throws dev.crmkit.error.NotFoundException when there is no such customer
   */
  default void delete(String id) {
    throw new UnsupportedCapabilityException(providerName(), Capability.DELETE);
  }

  /**
   * Restores a soft-deleted customer. Requires {@link Capability#RESTORE}.
   *
   * @return the live customer
   * @throws dev.crmkit.error.NotFoundException when there is no such customer
   * @throws dev.crmkit.error.ConflictException when its email or phone was taken in the meantime
   */
  default Customer restore(String id) {
    throw new UnsupportedCapabilityException(providerName(), Capability.RESTORE);
  }

  /**
   * Merges one customer into another. The survivor keeps its values and takes the merged one's
   * values for fields it lacks; tags and custom fields are united; notes and activities move to it.
   * The merged id is recorded: {@link #get} with it returns the survivor. Requires {@link Capability#MERGE}.
   *
   * @throws dev.crmkit.error.NotFoundException when either customer does not exist
   * @throws dev.crmkit.error.ValidationException naming {@code mergedId} when both ids are the same customer
   */
  default MergeResult merge(String survivorId, String mergedId) {
    throw new UnsupportedCapabilityException(providerName(), Capability.MERGE);
  }

  /**
   * Finds groups of live customers that share a loose identity key (see
   * {@link dev.crmkit.identity}). Requires {@link Capability#DUPLICATE_DETECTION}.
   *
   * @param limit at most this many groups, 1 to 10,000
   */
  default List<DuplicateGroup> findDuplicates(int limit) {
    throw new UnsupportedCapabilityException(providerName(), Capability.DUPLICATE_DETECTION);
  }

  /**
   * Creates or updates customers in batches. Each draft is matched by email, then phone; a match is
   * updated with the draft's non-null values (tags and custom fields are added), otherwise a
   * customer is created. Only a phone that identifies a person is matched
   * ({@link dev.crmkit.identity.NormalizedPhone#identifying()}: not a fragment such as {@code -4940}),
   * and never to a customer whose email differs from the draft's: such a draft is created, and its
   * outcome names that customer in {@link UpsertOutcome#duplicateOfId()} where the provider reports it.
   * A bad draft is rejected alone; the others are stored. Requires {@link Capability#BATCH_UPSERT}.
   *
   * @return one outcome per draft, in input order; an update says by which key it matched
   *     ({@link UpsertOutcome#matchedBy()}) where the provider reports it
   */
  default List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    throw new UnsupportedCapabilityException(providerName(), Capability.BATCH_UPSERT);
  }

  /**
   * Writes values the caller has already decided, in the back end's batch sizes, without reading
   * anything first: the write path of a sync engine or a bulk export, which knows each record's
   * target values and remote id. Unlike {@link #upsert}, nothing is matched by phone and nothing is
   * merged: a create stores its draft as given, and an update applies its {@link CustomerUpdate}
   * (tags and custom fields it sets replace the stored ones) to the customer with that id.
   *
   * <p>A back end that keys customers by email may answer a create whose email already belongs to a
   * live customer by updating that customer with the draft's values and reporting
   * {@link UpsertOutcome.Status#UPDATED} (HubSpot does, which makes a retried create safe); others
   * reject it with a {@link dev.crmkit.error.ConflictException}. Either way no second customer with
   * that email is stored. A bad write is rejected alone; the others are stored.
   *
   * <p>The default runs {@link #create} and {@link #update} one write at a time; providers with
   * batch endpoints override it.
   *
   * @param writes the writes, none {@code null}; may be empty
   * @return one outcome per write, in input order: {@code CREATED} or {@code UPDATED} with the
   *     customer as stored, or {@code REJECTED} with the error ({@link
   *     dev.crmkit.error.NotFoundException} for an unknown id)
   * @throws dev.crmkit.error.ValidationException naming {@code writes} when the list or an element is null
   */
  default List<UpsertOutcome> bulkWrite(List<CustomerWrite> writes) {
    if (writes == null || writes.stream().anyMatch(Objects::isNull)) {
      throw ValidationException.of("writes", String.valueOf(writes), "must be a list without null elements");
    }
    List<UpsertOutcome> outcomes = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      CustomerWrite w = writes.get(i);
      try {
        outcomes.add(w.isCreate()
            ? new UpsertOutcome(i, UpsertOutcome.Status.CREATED, create(w.draft()), null)
            : new UpsertOutcome(i, UpsertOutcome.Status.UPDATED, update(w.customerId(), w.update()), null));
      } catch (CrmException e) {
        outcomes.add(new UpsertOutcome(i, UpsertOutcome.Status.REJECTED, null, e));
      }
    }
    return outcomes;
  }

  /**
   * Adds a note. Requires {@link Capability#NOTES}. With an idempotency key already recorded for the
   * tenant, on a system with {@link Capability#IDEMPOTENT_ACTIVITIES}, returns that earlier note and
   * writes nothing; other systems reject a note with a key ({@link dev.crmkit.error.ValidationException}
   * naming {@code idempotencyKey}) rather than write it twice.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   */
  default CustomerNote addNote(String customerId, NoteDraft note) {
    throw new UnsupportedCapabilityException(providerName(), Capability.NOTES);
  }

  /** Lists a customer's notes, newest first. Requires {@link Capability#NOTES}. */
  default Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    throw new UnsupportedCapabilityException(providerName(), Capability.NOTES);
  }

  /**
   * Logs an activity. With an idempotency key already recorded for the tenant, returns that earlier
   * activity and writes nothing. Requires {@link Capability#ACTIVITIES}.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   */
  default CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    throw new UnsupportedCapabilityException(providerName(), Capability.ACTIVITIES);
  }

  /**
   * Logs an interaction: adds the activity as {@link #addActivity} does (once per idempotency key)
   * and moves the customer's {@code lastContactAt} forward to the activity's time, never back.
   * Requires {@link Capability#ACTIVITIES}.
   *
   * <p>{@link Interaction#duplicate()} says whether this call logged the activity or found one logged
   * earlier under the same idempotency key (and wrote nothing). A back end that decides this
   * atomically (the native store and the memory provider do) reports, of any number of concurrent calls
   * with one key, exactly one as not a duplicate. The default looks the key up with
   * {@link #findActivity} first (when the system has {@link Capability#IDEMPOTENT_ACTIVITIES}), then adds
   * the activity, reads the customer and updates it when needed: two calls racing through it may both
   * report a new log.
   *
   * @return the activity and the customer after it, and whether it was a duplicate
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   */
  default Interaction logInteraction(String customerId, ActivityDraft activity) {
    if (activity != null && activity.idempotencyKey() != null && supports(Capability.IDEMPOTENT_ACTIVITIES)) {
      Optional<CustomerActivity> earlier = findActivity(activity.idempotencyKey());
      if (earlier.isPresent()) {
        return Interaction.earlier(earlier.get(), require(earlier.get().customerId()));
      }
    }
    CustomerActivity logged = addActivity(customerId, activity);
    Customer customer = require(logged.customerId());
    if (customer.lastContactAt() == null || customer.lastContactAt().isBefore(logged.occurredAt())) {
      customer = update(customer.id(), CustomerUpdate.builder().lastContactAt(logged.occurredAt()).build());
    }
    return Interaction.logged(logged, customer);
  }

  /** Lists a customer's activities, newest first. Requires {@link Capability#ACTIVITIES}. */
  default Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    throw new UnsupportedCapabilityException(providerName(), Capability.ACTIVITIES);
  }

  /**
   * The activity recorded under an idempotency key, or empty. Requires
   * {@link Capability#IDEMPOTENT_ACTIVITIES}.
   */
  default Optional<CustomerActivity> findActivity(String idempotencyKey) {
    throw new UnsupportedCapabilityException(providerName(), Capability.IDEMPOTENT_ACTIVITIES);
  }

  /**
   * Records an order: updates the customer's {@link CustomerStats} and logs an
   * {@link ActivityType#ORDER_PLACED} activity. Recording the same order id twice counts it once.
   * Requires {@link Capability#ORDERS}.
   *
   * @return the customer's stats after the order
   * @throws dev.crmkit.error.ValidationException naming {@code currency} when it differs from earlier orders'
   */
  default CustomerStats recordOrder(String customerId, OrderDraft order) {
    throw new UnsupportedCapabilityException(providerName(), Capability.ORDERS);
  }

  /**
   * Creates a deal for a customer. With an idempotency key already used by the tenant, returns that
   * earlier deal and writes nothing. Requires {@link Capability#DEALS}.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   * @throws dev.crmkit.error.ValidationException naming {@code pipelineId} or {@code stageId} when the
   *     tenant has no such pipeline or stage (see {@link #pipelines()}), or a field the back end cannot hold
   */
  default Deal createDeal(String customerId, DealDraft deal) {
    throw new UnsupportedCapabilityException(providerName(), Capability.DEALS);
  }

  /** The deal with this id, if any. Requires {@link Capability#DEALS}. */
  default Optional<Deal> getDeal(String dealId) {
    throw new UnsupportedCapabilityException(providerName(), Capability.DEALS);
  }

  /**
   * Updates a deal. Requires {@link Capability#DEALS}.
   *
   * @return the deal after the update
   * @throws dev.crmkit.error.NotFoundException when the deal does not exist
   * @throws dev.crmkit.error.ValidationException naming {@code pipelineId}, {@code stageId} or
   *     {@code status} as {@link DealUpdate#applyTo} does
   */
  default Deal updateDeal(String dealId, DealUpdate update) {
    throw new UnsupportedCapabilityException(providerName(), Capability.DEALS);
  }

  /**
   * Lists a customer's deals, newest first. Requires {@link Capability#DEALS}.
   *
   * @throws dev.crmkit.error.NotFoundException when the customer does not exist
   */
  default Page<Deal> listDeals(String customerId, PageRequest page) {
    throw new UnsupportedCapabilityException(providerName(), Capability.DEALS);
  }

  /**
   * The tenant's pipelines with their stages, the first being the default for new deals; never
   * empty. Requires {@link Capability#DEALS}.
   */
  default List<Pipeline> pipelines() {
    throw new UnsupportedCapabilityException(providerName(), Capability.DEALS);
  }

  /**
   * The delta feed: customers created, updated or deleted after a cursor, oldest first. Writes that
   * share a timestamp are never skipped. Requires {@link Capability#CHANGE_FEED}.
   *
   * @param cursor a cursor from an earlier {@link ChangeBatch#nextCursor()}, or {@code null} for the
   *     beginning of time
   * @param limit at most this many changes, 1 to {@value PageRequest#MAX_LIMIT}
   * @throws dev.crmkit.error.ValidationException naming {@code cursor} when it was not issued by this back end
   */
  default ChangeBatch changesSince(String cursor, int limit) {
    throw new UnsupportedCapabilityException(providerName(), Capability.CHANGE_FEED);
  }

  /** Releases what this instance holds (connections, threads). Never throws a checked exception. */
  @Override
  void close();
}
