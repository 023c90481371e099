package dev.crmkit.hubspot.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.HubSpotContactMapping;
import dev.crmkit.hubspot.internal.ContactBatchCalls.Item;
import dev.crmkit.hubspot.internal.HubSpotApi.BatchInput;
import dev.crmkit.identity.NormalizedPhone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link dev.crmkit.CustomerSystem#upsert} by the SPI's matching rule, in rounds of at most 100
 * drafts: a round reads the stored contacts by email ({@code batch/read}), then by phone (search),
 * merges each match with its draft and writes with {@code batch/upsert} by email, {@code batch/update}
 * when matched by phone only, or {@code batch/create}. A draft repeating an email or phone of an
 * earlier draft of the same call waits for a later round, so it updates what the earlier one wrote.
 * Thread-safe.
 */
public final class ContactUpsert {
  private final ContactReader contacts;
  private final HubSpotApi api;
  private final HubSpotContactMapping mapping;
  private final ContactBatchCalls batches;

  public ContactUpsert(ContactReader contacts, ContactBatchCalls batches) {
    this.contacts = contacts;
    this.api = contacts.api();
    this.mapping = contacts.mapping();
    this.batches = batches;
  }

  /** One outcome per draft, in order; a draft the mapping refuses is REJECTED without a call. */
  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    if (drafts == null) {
      throw ValidationException.of("drafts", null, "must not be null");
    }
    UpsertOutcome[] outcomes = new UpsertOutcome[drafts.size()];
    List<Item> waiting = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      CustomerDraft d = drafts.get(i);
      try {
        if (d == null) {
          throw ValidationException.of("drafts[" + i + "]", null, "must not be null");
        }
        mapping.toProperties(d);
        waiting.add(new Item(i, d, d.phone() == null ? null : contacts.phoneNumbers().normalize(d.phone())));
      } catch (ValidationException e) {
        outcomes[i] = new UpsertOutcome(i, UpsertOutcome.Status.REJECTED, null, e);
      }
    }
    while (!waiting.isEmpty()) {
      // A draft sharing an email or phone with an earlier one waits for the next round, so it sees what that one wrote.
      List<Item> round = new ArrayList<>();
      List<Item> later = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (Item p : waiting) {
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

  private void upsertRound(List<Item> round, UpsertOutcome[] outcomes) {
    List<String> emails = round.stream().map(p -> p.draft.email()).filter(Objects::nonNull).distinct().toList();
    Map<String, Customer> byEmail = new HashMap<>();
    if (!emails.isEmpty()) {
      Map<String, Object> read = api.batchReadContacts(emails, "email", contacts.readProperties());
      for (Map<String, Object> c : HubSpotApi.maps(read.get("results"))) {
        Customer customer = contacts.read(c);
        if (customer.email() != null) {
          byEmail.put(customer.email(), customer);
        }
      }
    }
    List<NormalizedPhone> phones = new ArrayList<>();
    for (Item p : round) {
      p.match = p.draft.email() == null ? null : byEmail.get(p.draft.email());
      if (p.match == null && p.phone != null && p.phone.identifying()) {
        phones.add(p.phone);
      }
    }
    Map<String, Customer> byPhone = phones.isEmpty() ? Map.of() : contacts.findByPhones(phones);
    List<BatchInput> upserts = new ArrayList<>();
    List<BatchInput> updates = new ArrayList<>();
    List<BatchInput> creates = new ArrayList<>();
    Map<String, Item> byTrace = new HashMap<>();
    for (Item p : round) {
      boolean matchedByPhone = false;
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
        Customer merged = p.draft.applyTo(p.match, p.draft.email(), p.phone);
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
      batches.send(upserts, byTrace, outcomes, api::batchUpsertContactsByEmail);
    }
    if (!updates.isEmpty()) {
      batches.send(updates, byTrace, outcomes, api::batchUpdateContacts);
    }
    if (!creates.isEmpty()) {
      batches.send(creates, byTrace, outcomes, api::batchCreateContacts);
    }
  }
}
