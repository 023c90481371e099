package dev.crmkit.testkit;

import dev.crmkit.ActivityDraft;
import dev.crmkit.Capability;
import dev.crmkit.ChangeBatch;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerQuery;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerSystem;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.DealUpdate;
import dev.crmkit.DuplicateGroup;
import dev.crmkit.MergeResult;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.Page;
import dev.crmkit.PageRequest;
import dev.crmkit.Pipeline;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A system that offers only some capabilities of the one it wraps, the way a small vendor CRM
 * would: every other optional operation throws {@link UnsupportedCapabilityException}, drafts or
 * updates (of customers and deals) carrying tags or custom fields it cannot store are refused, and
 * without {@link Capability#IDEMPOTENT_ACTIVITIES} a note with an idempotency key is refused, as
 * {@link CustomerSystem#addNote} says.
 */
final class CapabilityLimitedCustomerSystem implements CustomerSystem {
  private final CustomerSystem delegate;
  private final Set<Capability> capabilities;

  CapabilityLimitedCustomerSystem(CustomerSystem delegate, Set<Capability> capabilities) {
    this.delegate = delegate;
    this.capabilities = Set.copyOf(capabilities);
  }

  private void need(Capability capability) {
    if (!capabilities.contains(capability)) {
      throw new UnsupportedCapabilityException(providerName(), capability);
    }
  }

  private CustomerDraft checked(CustomerDraft draft) {
    if (draft != null && !draft.tags().isEmpty()) {
      need(Capability.TAGS);
    }
    if (draft != null && !draft.customFields().isEmpty()) {
      need(Capability.CUSTOM_FIELDS);
    }
    return draft;
  }

  @Override
  public String providerName() {
    return "limited-" + delegate.providerName();
  }

  @Override
  public String tenantId() {
    return delegate.tenantId();
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public Optional<Customer> get(String id) {
    return delegate.get(id);
  }

  @Override
  public Optional<Customer> findByEmail(String email) {
    return delegate.findByEmail(email);
  }

  @Override
  public Optional<Customer> findByPhone(String phone) {
    return delegate.findByPhone(phone);
  }

  @Override
  public Page<Customer> search(CustomerQuery query) {
    need(Capability.SEARCH);
    return delegate.search(query);
  }

  @Override
  public Customer create(CustomerDraft draft) {
    return delegate.create(checked(draft));
  }

  @Override
  public Customer update(String id, CustomerUpdate update) {
    if (update != null && update.touches(CustomerField.TAGS)) {
      need(Capability.TAGS);
    }
    if (update != null && update.touches(CustomerField.CUSTOM_FIELDS)) {
      need(Capability.CUSTOM_FIELDS);
    }
    return delegate.update(id, update);
  }

  @Override
  public void delete(String id) {
    need(Capability.DELETE);
    delegate.delete(id);
  }

  @Override
  public Customer restore(String id) {
    need(Capability.RESTORE);
    return delegate.restore(id);
  }

  @Override
  public MergeResult merge(String survivorId, String mergedId) {
    need(Capability.MERGE);
    return delegate.merge(survivorId, mergedId);
  }

  @Override
  public List<DuplicateGroup> findDuplicates(int limit) {
    need(Capability.DUPLICATE_DETECTION);
    return delegate.findDuplicates(limit);
  }

  @Override
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    need(Capability.BATCH_UPSERT);
    drafts.forEach(this::checked);
    return delegate.upsert(drafts);
  }

  @Override
  public CustomerNote addNote(String customerId, NoteDraft note) {
    need(Capability.NOTES);
    if (note != null && note.idempotencyKey() != null && !capabilities.contains(Capability.IDEMPOTENT_ACTIVITIES)) {
      throw ValidationException.of("idempotencyKey", note.idempotencyKey(), "this system keeps no idempotency keys");
    }
    return delegate.addNote(customerId, note);
  }

  @Override
  public Page<CustomerNote> listNotes(String customerId, PageRequest page) {
    need(Capability.NOTES);
    return delegate.listNotes(customerId, page);
  }

  @Override
  public CustomerActivity addActivity(String customerId, ActivityDraft activity) {
    need(Capability.ACTIVITIES);
    return delegate.addActivity(customerId, activity);
  }

  @Override
  public Page<CustomerActivity> listActivities(String customerId, PageRequest page) {
    need(Capability.ACTIVITIES);
    return delegate.listActivities(customerId, page);
  }

  @Override
  public Optional<CustomerActivity> findActivity(String idempotencyKey) {
    need(Capability.IDEMPOTENT_ACTIVITIES);
    return delegate.findActivity(idempotencyKey);
  }

  @Override
  public CustomerStats recordOrder(String customerId, OrderDraft order) {
    need(Capability.ORDERS);
    return delegate.recordOrder(customerId, order);
  }

  @Override
  public Deal createDeal(String customerId, DealDraft deal) {
    need(Capability.DEALS);
    if (deal != null && !deal.customFields().isEmpty()) {
      need(Capability.CUSTOM_FIELDS);
    }
    return delegate.createDeal(customerId, deal);
  }

  @Override
  public Optional<Deal> getDeal(String dealId) {
    need(Capability.DEALS);
    return delegate.getDeal(dealId);
  }

  @Override
  public Deal updateDeal(String dealId, DealUpdate update) {
    need(Capability.DEALS);
    if (update != null && !update.customFields().isEmpty()) {
      need(Capability.CUSTOM_FIELDS);
    }
    return delegate.updateDeal(dealId, update);
  }

  @Override
  public Page<Deal> listDeals(String customerId, PageRequest page) {
    need(Capability.DEALS);
    return delegate.listDeals(customerId, page);
  }

  @Override
  public List<Pipeline> pipelines() {
    need(Capability.DEALS);
    return delegate.pipelines();
  }

  @Override
  public ChangeBatch changesSince(String cursor, int limit) {
    need(Capability.CHANGE_FEED);
    return delegate.changesSince(cursor, limit);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
