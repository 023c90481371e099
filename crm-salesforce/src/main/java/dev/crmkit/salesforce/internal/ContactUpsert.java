package dev.crmkit.salesforce.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.CustomerWrite;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code upsert} by the SPI rule: each draft is matched by email, then by a phone that identifies a
 * person (never to a customer with another email: such a draft is created, naming that customer as
 * {@code duplicateOfId}); matches are updated with the draft's non-null values (custom fields added),
 * the rest created. Per round: one SOQL {@code Email IN} and one {@code Phone IN} query per
 * {@value #LOOKUP_CHUNK} drafts, then sObject Collections writes through {@link CollectionWriter}
 * (200 records a call, {@code allOrNone=false}, so a bad draft is rejected alone). A draft sharing a key
 * with an earlier draft of the call waits for the next round, so it updates the customer the earlier
 * one created. Each round holds the org's {@link OrgLocks} of its keys. Thread-safe.
 */
public final class ContactUpsert {
  /** Drafts per lookup query: keeps the SOQL text (a GET query string) well under Salesforce's URI limit. */
  static final int LOOKUP_CHUNK = 100;

  private final ContactReader reader;
  private final ContactWriter writer;
  private final CollectionWriter collections;
  private final OrgLocks locks;

  public ContactUpsert(ContactReader reader, ContactWriter writer, CollectionWriter collections, OrgLocks locks) {
    this.reader = reader;
    this.writer = writer;
    this.collections = collections;
    this.locks = locks;
  }

  /** One draft of a round: its index, normalized email and phone identity key. */
  private record Item(int index, CustomerDraft draft, String email, String phoneKey, List<String> lockKeys) {}

  public List<UpsertOutcome> upsert(List<CustomerDraft> drafts) {
    if (drafts == null) {
      throw ValidationException.of("drafts", "null", "must be a list");
    }
    UpsertOutcome[] outcomes = new UpsertOutcome[drafts.size()];
    if (drafts.isEmpty()) {
      return List.of();
    }
    reader.checkFields();
    List<Item> pending = new ArrayList<>();
    for (int i = 0; i < drafts.size(); i++) {
      CustomerDraft d = drafts.get(i);
      try {
        if (d == null) {
          throw ValidationException.of("drafts", "null", "draft " + i + " is null");
        }
        reader.mapping().toFields(d);
        NormalizedPhone phone = d.phone() == null ? null : reader.mapping().phone(d.phone());
        String email = d.email() == null ? null : EmailAddresses.normalize(d.email(), "email");
        pending.add(new Item(i, d, email, phone == null ? null : phone.identityKey(), writer.lockKeys(d.email(), d.phone())));
      } catch (CrmException e) {
        outcomes[i] = UpsertOutcome.rejected(i, e);
      }
    }
    while (!pending.isEmpty()) {
      List<Item> round = new ArrayList<>();
      List<Item> later = new ArrayList<>();
      Set<String> taken = new HashSet<>();
      for (Item item : pending) {
        if (item.lockKeys().stream().anyMatch(taken::contains)) {
          later.add(item);
        } else {
          taken.addAll(item.lockKeys());
          round.add(item);
        }
      }
      locks.locked(taken, () -> {
        round(round, outcomes);
        return null;
      });
      pending = later;
    }
    return List.of(outcomes);
  }

  private void round(List<Item> items, UpsertOutcome[] outcomes) {
    Map<String, Customer> byEmail = lookUpEmails(items);
    Map<String, Customer> byPhone = lookUpPhones(items);
    List<CustomerWrite> writes = new ArrayList<>();
    List<Item> written = new ArrayList<>();
    List<UpsertOutcome.MatchedBy> matched = new ArrayList<>();
    List<String> duplicateOf = new ArrayList<>();
    for (Item item : items) {
      Customer match = item.email() == null ? null : byEmail.get(item.email());
      UpsertOutcome.MatchedBy by = match == null ? null : UpsertOutcome.MatchedBy.EMAIL;
      String duplicate = null;
      if (match == null && item.phoneKey() != null) {
        Customer holder = byPhone.get(item.phoneKey());
        if (holder != null && (item.email() == null || holder.email() == null)) {
          match = holder;
          by = UpsertOutcome.MatchedBy.PHONE;
        } else if (holder != null) {
          duplicate = holder.id();
        }
      }
      try {
        writes.add(match == null ? CustomerWrite.create(item.draft()) : CustomerWrite.update(match.id(), CustomerUpdate.upsertOf(match, item.draft())));
        written.add(item);
        matched.add(by);
        duplicateOf.add(duplicate);
      } catch (CrmException e) {
        outcomes[item.index()] = UpsertOutcome.rejected(item.index(), e);
      }
    }
    List<UpsertOutcome> results = collections.bulkWrite(writes);
    for (int k = 0; k < results.size(); k++) {
      UpsertOutcome r = results.get(k);
      int i = written.get(k).index();
      outcomes[i] = switch (r.status()) {
        case CREATED -> UpsertOutcome.created(i, r.customer(), duplicateOf.get(k));
        case UPDATED -> UpsertOutcome.updated(i, r.customer(), matched.get(k));
        case REJECTED -> UpsertOutcome.rejected(i, r.error());
      };
    }
  }


  /** Live customers by normalized email, the oldest holder of each. */
  private Map<String, Customer> lookUpEmails(List<Item> items) {
    List<String> emails = items.stream().map(Item::email).filter(e -> e != null).distinct().toList();
    Map<String, Customer> found = new HashMap<>();
    for (int from = 0; from < emails.size(); from += LOOKUP_CHUNK) {
      List<String> chunk = emails.subList(from, Math.min(emails.size(), from + LOOKUP_CHUNK));
      for (Customer c : query("Email IN " + Soql.list(chunk))) {
        if (c.email() != null) {
          found.putIfAbsent(c.email(), c);
        }
      }
    }
    return found;
  }

  /** Live customers by phone identity key, the oldest holder of each; phones searched as written and in E.164. */
  private Map<String, Customer> lookUpPhones(List<Item> items) {
    List<Item> withPhone = items.stream().filter(i -> i.phoneKey() != null).toList();
    Map<String, Customer> found = new HashMap<>();
    for (int from = 0; from < withPhone.size(); from += LOOKUP_CHUNK) {
      Set<String> forms = new LinkedHashSet<>();
      for (Item item : withPhone.subList(from, Math.min(withPhone.size(), from + LOOKUP_CHUNK))) {
        forms.addAll(ContactReader.phoneForms(reader.mapping().phone(item.draft().phone()), item.draft().phone()));
      }
      for (Customer c : query("Phone IN " + Soql.list(forms))) {
        if (c.phone() != null) {
          String key = reader.mapping().phone(c.phone()).identityKey();
          if (key != null) {
            found.putIfAbsent(key, c);
          }
        }
      }
    }
    return found;
  }

  private List<Customer> query(String where) {
    return reader.toCustomers(reader.api().queryAllPages("SELECT " + reader.mapping().selectList() + " FROM "
        + reader.mapping().object() + " WHERE " + where + " ORDER BY CreatedDate ASC, Id ASC", false));
  }
}
