package dev.crmkit.jdbc.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.UpsertOutcome;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bulk import path of {@code upsert}. Drafts go in chunks, one transaction per chunk, holding the
 * tenant's change counter from its start (the chunk reads the customers it matches without locking
 * them one by one). A chunk looks up every email and phone key it holds in two {@code IN} queries,
 * loads the matched customers in two more, resolves the drafts in memory (so a later draft with the
 * same key updates the customer an earlier one created), takes all its change numbers in one
 * statement, and writes: key releases and row updates as JDBC batches, new rows, tags and custom
 * fields as multi-row {@code INSERT}s. Bad drafts are rejected before the chunk's transaction opens.
 *
 * <p>After a call that wrote at least {@value #ANALYZE_MIN_ROWS} customers and, since the last
 * refresh, at least half as many as the tenant holds, the planner's statistics of the customer tables
 * are refreshed ({@code ANALYZE}): right after a bulk load PostgreSQL has none and reads the tenant's
 * whole index for every key lookup, which makes imports and first contact quadratic.
 */
public final class BulkUpsert {
  /** Drafts per transaction. */
  public static final int CHUNK = 500;
  /** Fewest customers written, in one call and since the last refresh, before statistics are refreshed. */
  public static final int ANALYZE_MIN_ROWS = 1_000;
  private static final List<String> ANALYZED = List.of("crm_customers", "crm_customer_tags", "crm_customer_fields");

  private final Jdbc jdbc;
  private final ChangeCounter counter;
  private final CustomerTable table;
  private final TimeOrderedIds ids;
  private final PhoneNumbers phones;
  private final Clock clock;
  private final String tenantId;
  private final AtomicLong writtenSinceAnalyze = new AtomicLong();

  public BulkUpsert(Jdbc jdbc, ChangeCounter counter, CustomerTable table, TimeOrderedIds ids, PhoneNumbers phones,
      Clock clock, String tenantId) {
    this.jdbc = jdbc;
    this.counter = counter;
    this.table = table;
    this.ids = ids;
    this.phones = phones;
    this.clock = clock;
    this.tenantId = tenantId;
  }

  /** Upserts the drafts; one outcome per draft, in input order. */
  public List<UpsertOutcome> run(List<CustomerDraft> drafts) {
    UpsertOutcome[] outcomes = new UpsertOutcome[drafts.size()];
    counter.ensureRow();
    long written = 0;
    for (int start = 0; start < drafts.size(); start += CHUNK) {
      List<Item> items = new ArrayList<>();
      for (int i = start; i < Math.min(drafts.size(), start + CHUNK); i++) {
        if (drafts.get(i) == null) {
          outcomes[i] = rejected(i, new ValidationException(Jdbc.PROVIDER, List.of(
              new FieldError("drafts[" + i + "]", null, "a draft must not be null"))));
          continue;
        }
        try {
          items.add(new Item(i, Drafts.normalize(drafts.get(i), phones, clock)));
        } catch (ValidationException e) {
          outcomes[i] = rejected(i, e);
        }
      }
      if (!items.isEmpty()) {
        written += jdbc.writeRetrying(c -> {
          ChangeCounter.Sequence seq = counter.begin(c);
          counter.lockNow(seq);
          return writeChunk(c, items, seq, outcomes);
        });
      }
    }
    if (written >= ANALYZE_MIN_ROWS) {
      refreshStatistics(written);
    }
    return List.of(outcomes);
  }

  /** Refreshes the planner's statistics when the customers written since the last refresh are a large share. */
  private void refreshStatistics(long written) {
    long since = writtenSinceAnalyze.addAndGet(written);
    long customers = jdbc.read(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM crm_customers WHERE tenant_id = ?")) {
        ps.setString(1, tenantId);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      }
    });
    if (since * 2 < customers) {
      return;
    }
    writtenSinceAnalyze.set(0);
    try {
      jdbc.autoCommit(c -> {
        try (Statement s = c.createStatement()) {
          for (String table : ANALYZED) {
            s.execute(jdbc.dialect().analyzeSql(table));
          }
        }
        return null;
      });
    } catch (CrmException e) {
      // Statistics are an optimization: a user without the right to analyze still gets every row stored.
    }
  }

  private static UpsertOutcome rejected(int index, CrmException e) {
    return UpsertOutcome.rejected(index, e);
  }

  /** Resolves and writes one chunk; returns the number of customer rows written. */
  private int writeChunk(Connection c, List<Item> items, ChangeCounter.Sequence seq, UpsertOutcome[] outcomes)
      throws SQLException {
    Instant now = Instant.ofEpochMilli(clock.millis());
    Set<String> emails = new HashSet<>();
    Set<String> phoneKeys = new HashSet<>();
    for (Item it : items) {
      if (it.n.email() != null) {
        emails.add(it.n.email());
      }
      if (it.n.phone() != null) {
        String key = it.n.phone().identityKey();
        if (key != null) {
          phoneKeys.add(key);
        }
      }
    }
    Map<String, String> byEmail = table.idsByKey(c, "email_key", emails);
    Map<String, String> byPhone = table.idsByKey(c, "phone_key", phoneKeys);
    Set<String> matched = new HashSet<>(byEmail.values());
    matched.addAll(byPhone.values());
    Map<String, StoredCustomer> existing = table.findByIds(c, matched);

    Map<String, Customer> working = new HashMap<>();
    existing.forEach((id, s) -> working.put(id, s.customer()));
    // Customers that keep a phone whose key another customer (with another email) holds.
    Set<String> sharing = new HashSet<>();
    existing.forEach((id, s) -> {
      if (s.sharesPhone()) {
        sharing.add(id);
      }
    });
    Set<String> created = new LinkedHashSet<>();
    Set<String> updated = new LinkedHashSet<>();
    Map<Integer, String> resultIds = new LinkedHashMap<>();
    Map<Integer, UpsertOutcome.MatchedBy> matches = new HashMap<>();
    Map<Integer, String> duplicatesOf = new HashMap<>();

    for (Item it : items) {
      String email = it.n.email();
      String phoneKey = it.n.phone() == null ? null : it.n.phone().identityKey();
      String id = email == null ? null : byEmail.get(email);
      UpsertOutcome.MatchedBy by = UpsertOutcome.MatchedBy.EMAIL;
      String duplicateOf = null;
      if (id == null && phoneKey != null) {
        String holder = byPhone.get(phoneKey);
        if (holder != null && email != null && working.get(holder).email() != null) {
          // Another person's email behind the same number: never written over; created beside it.
          duplicateOf = holder;
        } else {
          id = holder;
          by = UpsertOutcome.MatchedBy.PHONE;
        }
      }
      if (id == null) {
        Customer fresh = Drafts.newCustomer(it.n, ids.next(), tenantId, now);
        working.put(fresh.id(), fresh);
        created.add(fresh.id());
        if (duplicateOf == null) {
          claim(byEmail, byPhone, sharing, null, fresh);
        } else {
          sharing.add(fresh.id());
          byEmail.put(email, fresh.id());
          duplicatesOf.put(it.index, duplicateOf);
        }
        resultIds.put(it.index, fresh.id());
        continue;
      }
      String phoneHolder = phoneKey == null ? null : byPhone.get(phoneKey);
      boolean ownSharedPhone = sharing.contains(id)
          && Objects.equals(phoneKey, IdentityKeys.phoneKey(working.get(id).phone(), phones));
      if (phoneHolder != null && !phoneHolder.equals(id) && !ownSharedPhone) {
        outcomes[it.index] = rejected(it.index, new ConflictException(Jdbc.PROVIDER, "phone", phoneHolder,
            "phone '" + it.n.phone().value() + "' belongs to customer " + phoneHolder
                + ", but the email matches customer " + id));
        continue;
      }
      Customer current = working.get(id);
      Customer next = Drafts.apply(current, it.n, now);
      if (next != current) {
        working.put(id, next);
        claim(byEmail, byPhone, sharing, current, next);
        if (!created.contains(id)) {
          updated.add(id);
        }
      }
      resultIds.put(it.index, id);
      matches.put(it.index, by);
    }

    seq.reserve(updated.size() + created.size());
    List<String> releases = new ArrayList<>();
    List<StoredCustomer> updates = new ArrayList<>();
    Map<String, Customer> before = new LinkedHashMap<>();
    Map<String, Customer> after = new LinkedHashMap<>();
    for (String id : updated) {
      StoredCustomer old = existing.get(id);
      Customer written = working.get(id);
      if (!Objects.equals(old.customer().email(), written.email())
          || !Objects.equals(old.customer().phone(), written.phone())) {
        releases.add(id);
      }
      updates.add(new StoredCustomer(written, old.mergedIntoId(), old.createdSeq(), seq.next(), sharing.contains(id)));
      before.put(id, old.customer());
      after.put(id, written);
    }
    List<StoredCustomer> inserts = new ArrayList<>(created.size());
    for (String id : created) {
      long s = seq.next();
      inserts.add(new StoredCustomer(working.get(id), null, s, s, sharing.contains(id)));
    }
    table.releaseKeys(c, releases);
    table.update(c, updates);
    table.insert(c, inserts);
    table.writeTagAndFieldChanges(c, before, after);

    resultIds.forEach((index, id) -> outcomes[index] = matches.containsKey(index)
        ? UpsertOutcome.updated(index, working.get(id), matches.get(index))
        : UpsertOutcome.created(index, working.get(id), duplicatesOf.get(index)));
    return updates.size() + inserts.size();
  }

  /**
   * Moves the in-memory key ownership from a customer's old state to its new one. A customer sharing
   * its phone claims no phone key until its phone changes.
   */
  private void claim(Map<String, String> byEmail, Map<String, String> byPhone, Set<String> sharing, Customer old,
      Customer now) {
    if (old != null && old.email() != null && !old.email().equals(now.email())) {
      byEmail.remove(old.email(), old.id());
    }
    if (now.email() != null) {
      byEmail.put(now.email(), now.id());
    }
    if (sharing.contains(now.id())) {
      if (old != null && Objects.equals(old.phone(), now.phone())) {
        return;
      }
      sharing.remove(now.id());
    }
    String oldPhone = old == null ? null : IdentityKeys.phoneKey(old.phone(), phones);
    String newPhone = IdentityKeys.phoneKey(now.phone(), phones);
    if (oldPhone != null && !oldPhone.equals(newPhone)) {
      byPhone.remove(oldPhone, old.id());
    }
    if (newPhone != null) {
      byPhone.put(newPhone, now.id());
    }
  }

  private record Item(int index, Drafts.Normalized n) {}
}
