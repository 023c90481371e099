package dev.crmkit.memory;

import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerNote;
import dev.crmkit.Deal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One tenant's data. Not thread-safe by itself: every access holds the store's monitor
 * ({@code synchronized (store)}), which {@link InMemoryCustomerSystem} takes for each operation.
 */
final class TenantStore {
  /** Every customer ever created, by id: live, soft-deleted and merged away. Sorted for keyset paging. */
  final TreeMap<String, Entry> customers = new TreeMap<>();
  /** Exact email key to the id of the live customer holding it. */
  final Map<String, String> emailOwners = new HashMap<>();
  /** Exact phone match key to the id of the live customer holding it. */
  final Map<String, String> phoneOwners = new HashMap<>();
  /** Change sequence to customer id; each customer sits at its latest change only. */
  final TreeMap<Long, String> feed = new TreeMap<>();
  /** Idempotency key to the activity recorded under it. */
  final Map<String, CustomerActivity> activitiesByKey = new HashMap<>();
  /** Idempotency key to the note added under it (as it is now: merges move it). */
  final Map<String, CustomerNote> notesByKey = new HashMap<>();
  /** Deal id to the id of the customer entry holding the deal. */
  final Map<String, String> dealOwners = new HashMap<>();
  /** Idempotency key to the id of the deal created under it. */
  final Map<String, String> dealsByKey = new HashMap<>();
  /** Order id to the id of the customer it was recorded for. */
  final Map<String, String> orders = new HashMap<>();
  long lastSeq;
  long lastInsertion;

  long nextInsertion() {
    return ++lastInsertion;
  }

  /** A stored item with the order it was inserted in, which breaks ties between equal timestamps. */
  record Stamped<T>(T value, Instant at, long insertion) {}

  /** One customer and what hangs off it. */
  static final class Entry {
    final String id;
    Customer customer;
    String emailKey;
    String phoneKey;
    String looseEmailKey;
    String loosePhoneKey;
    String nameKey;
    /**
     * Whether the customer keeps its phone without holding the phone's identity key: it was created
     * by an upsert whose phone belonged to a customer with another email. Cleared when its phone changes.
     */
    boolean sharesPhone;
    /** The survivor's id once merged away; {@code null} otherwise. */
    String mergedIntoId;
    long seq;
    long createdSeq;
    Instant changedAt;
    final List<Stamped<CustomerNote>> notes = new ArrayList<>();
    final List<Stamped<CustomerActivity>> activities = new ArrayList<>();
    /** Deals by id, each stamped with its creation, which orders the list. */
    final Map<String, Stamped<Deal>> deals = new LinkedHashMap<>();

    Entry(String id) {
      this.id = id;
    }

    boolean isMerged() {
      return mergedIntoId != null;
    }

    boolean isLive() {
      return mergedIntoId == null && customer.deletedAt() == null;
    }
  }
}
