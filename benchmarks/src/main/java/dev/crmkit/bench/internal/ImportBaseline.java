package dev.crmkit.bench.internal;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.CustomerDraft;
import dev.crmkit.OptInStatus;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Bulk import by hand: what a host would write with plain JDBC to upsert customers into the native
 * store's tables, issuing the statements {@code NativeCustomerSystem.upsert} issues. Per chunk of
 * 500 drafts, in one transaction: lock the tenant's change counter, look up the chunk's email and
 * phone keys with one {@code IN} query each, load the matched rows with their tags and fields, resolve
 * the drafts in memory (a later draft with an earlier one's key updates that customer), then write
 * key releases, row updates, row inserts, tags and custom fields as JDBC batches and store the counter.
 * Normalizes emails and phones with crmkit's identity helpers, as a host would. Not thread-safe.
 */
public final class ImportBaseline {
  /** Drafts per transaction, as the native store's bulk path. */
  public static final int CHUNK = 500;

  private final PlainJdbc db;
  private final PhoneNumbers phones;

  /**
   * @param dataSource the native store's database; not null
   * @param tenantId the tenant to write
   * @param clock source of timestamps and ids
   * @param phones phone normalization for the tenant's region
   */
  public ImportBaseline(DataSource dataSource, String tenantId, Clock clock, PhoneNumbers phones) {
    this.db = new PlainJdbc(Objects.requireNonNull(dataSource, "dataSource"), tenantId, clock);
    this.phones = phones;
  }

  /** What an import did. */
  public record Tally(int created, int updated, int rejected) {}

  /**
   * Upserts every draft.
   *
   * @throws SQLException when the database fails
   */
  public Tally run(List<CustomerDraft> drafts) throws SQLException {
    int[] tally = new int[3];
    db.ensureCounter();
    for (int start = 0; start < drafts.size(); start += CHUNK) {
      List<Item> items = new ArrayList<>();
      for (int i = start; i < Math.min(drafts.size(), start + CHUNK); i++) {
        CustomerDraft d = drafts.get(i);
        try {
          items.add(new Item(d, EmailAddresses.normalize(d.email(), "email"), phones.normalize(d.phone(), "phone")));
        } catch (ValidationException e) {
          tally[2]++;
        }
      }
      if (!items.isEmpty()) {
        db.write(c -> {
          long start0 = db.lockCounter(c);
          long last = writeChunk(c, items, start0, tally);
          db.finishCounter(c, start0, last);
          return null;
        });
      }
    }
    return new Tally(tally[0], tally[1], tally[2]);
  }

  private long writeChunk(Connection c, List<Item> items, long seqStart, int[] tally) throws SQLException {
    long now = db.now();
    Set<String> emails = new HashSet<>();
    Set<String> phoneKeys = new HashSet<>();
    for (Item it : items) {
      if (it.email != null) {
        emails.add(it.email);
      }
      if (it.phone != null) {
        phoneKeys.add(it.phone.matchKey());
      }
    }
    Map<String, String> byEmail = idsByKey(c, "email_key", emails);
    Map<String, String> byPhone = idsByKey(c, "phone_key", phoneKeys);
    Set<String> matched = new HashSet<>(byEmail.values());
    matched.addAll(byPhone.values());
    Map<String, CustomerRow> existing = new HashMap<>();
    if (!matched.isEmpty()) {
      List<String> ids = new ArrayList<>(matched);
      for (CustomerRow r : db.selectByIds(c, ids)) {
        existing.put(r.id, r);
      }
    }
    Map<String, CustomerRow> working = new HashMap<>(existing);
    Set<String> created = new LinkedHashSet<>();
    Set<String> updated = new LinkedHashSet<>();
    for (Item it : items) {
      String phoneKey = it.phone == null ? null : it.phone.matchKey();
      String id = it.email == null ? null : byEmail.get(it.email);
      if (id == null && phoneKey != null) {
        id = byPhone.get(phoneKey);
      }
      if (id == null) {
        CustomerRow fresh = newRow(it, now);
        working.put(fresh.id, fresh);
        created.add(fresh.id);
        claim(byEmail, byPhone, null, fresh);
        tally[0]++;
        continue;
      }
      String phoneHolder = phoneKey == null ? null : byPhone.get(phoneKey);
      if (phoneHolder != null && !phoneHolder.equals(id)) {
        tally[2]++;
        continue;
      }
      CustomerRow current = working.get(id);
      CustomerRow next = apply(current, it);
      if (!next.sameAs(current)) {
        next.updatedAt = now;
        working.put(id, next);
        claim(byEmail, byPhone, current, next);
        if (!created.contains(id)) {
          updated.add(id);
        }
      }
      tally[1]++;
    }

    long seq = seqStart;
    List<String> releases = new ArrayList<>();
    List<CustomerRow> updates = new ArrayList<>();
    Map<String, Set<String>> addTags = new LinkedHashMap<>();
    Map<String, Set<String>> goneFields = new LinkedHashMap<>();
    Map<String, Map<String, String>> putFields = new LinkedHashMap<>();
    for (String id : updated) {
      CustomerRow old = existing.get(id);
      CustomerRow now2 = working.get(id);
      if (!Objects.equals(old.email, now2.email) || !Objects.equals(old.phone, now2.phone)) {
        releases.add(id);
      }
      now2.changeSeq = ++seq;
      updates.add(now2);
      Set<String> added = new TreeSet<>(now2.tags);
      added.removeAll(old.tags);
      addTags.put(id, added);
      Set<String> gone = new TreeSet<>();
      Map<String, String> put = new TreeMap<>();
      old.fields.forEach((k, v) -> {
        if (!v.equals(now2.fields.get(k))) {
          gone.add(k);
        }
      });
      now2.fields.forEach((k, v) -> {
        if (!v.equals(old.fields.get(k))) {
          put.put(k, v);
        }
      });
      goneFields.put(id, gone);
      putFields.put(id, put);
    }
    List<CustomerRow> inserts = new ArrayList<>(created.size());
    for (String id : created) {
      CustomerRow r = working.get(id);
      r.createdSeq = ++seq;
      r.changeSeq = r.createdSeq;
      inserts.add(r);
    }
    if (!releases.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE crm_customers SET email_key = NULL, phone_key = NULL WHERE tenant_id = ? AND id = ?")) {
        for (String id : releases) {
          ps.setString(1, db.tenantId());
          ps.setString(2, id);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!updates.isEmpty()) {
      try (PreparedStatement ps = c.prepareStatement(CustomerRow.UPDATE)) {
        for (CustomerRow r : updates) {
          r.bindUpdate(ps, db.tenantId());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }
    if (!inserts.isEmpty()) {
      Map<String, Set<String>> tags = new LinkedHashMap<>();
      Map<String, Map<String, String>> fields = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement(CustomerRow.INSERT)) {
        for (CustomerRow r : inserts) {
          r.bindInsert(ps, db.tenantId());
          ps.addBatch();
          tags.put(r.id, r.tags);
          fields.put(r.id, r.fields);
        }
        ps.executeBatch();
      }
      db.insertTags(c, tags);
      db.insertFields(c, fields);
    }
    db.insertTags(c, addTags);
    db.deleteFields(c, goneFields);
    db.insertFields(c, putFields);
    return seq;
  }

  private Map<String, String> idsByKey(Connection c, String column, Collection<String> keys) throws SQLException {
    Map<String, String> out = new HashMap<>();
    if (keys.isEmpty()) {
      return out;
    }
    boolean keyList = db.isH2() && keys.size() > 1;
    String sql = keyList
        ? "SELECT c." + column + ", c.id FROM " + PlainJdbc.KEY_LIST + " JOIN crm_customers c ON c.tenant_id = ? AND c."
            + column + " = v.k"
        : "SELECT " + column + ", id FROM crm_customers WHERE tenant_id = ? AND " + column + " IN ("
            + PlainJdbc.placeholders(keys.size()) + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      if (keyList) {
        ps.setObject(i++, keys.toArray(new String[0]));
        ps.setString(i++, db.tenantId());
      } else {
        ps.setString(i++, db.tenantId());
        for (String k : keys) {
          ps.setString(i++, k);
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return out;
  }

  private CustomerRow newRow(Item it, long now) {
    CustomerDraft d = it.draft;
    CustomerRow r = new CustomerRow();
    r.id = db.nextId();
    r.firstName = d.firstName();
    r.lastName = d.lastName();
    r.company = d.company();
    r.preferredChannel = d.preferredChannel() == null ? null : d.preferredChannel().name();
    r.language = d.language();
    r.segment = d.segment() == null ? "PROSPECT" : d.segment().name();
    setAddress(r, d.address());
    r.optIns = optIns(d.contactPreferences().optIns());
    r.createdAt = d.createdAt() == null ? now : d.createdAt().toEpochMilli();
    r.updatedAt = now;
    r.lastContactAt = d.lastContactAt() == null ? null : d.lastContactAt().toEpochMilli();
    r.tags.addAll(d.tags());
    r.fields.putAll(d.customFields());
    setIdentity(r, it);
    r.nameKeys();
    return r;
  }

  private static CustomerRow apply(CustomerRow current, Item it) {
    CustomerDraft d = it.draft;
    CustomerRow r = current.copy();
    if (d.firstName() != null) {
      r.firstName = d.firstName();
    }
    if (d.lastName() != null) {
      r.lastName = d.lastName();
    }
    if (d.company() != null) {
      r.company = d.company();
    }
    if (d.preferredChannel() != null) {
      r.preferredChannel = d.preferredChannel().name();
    }
    if (d.language() != null) {
      r.language = d.language();
    }
    if (d.segment() != null) {
      r.segment = d.segment().name();
    }
    if (d.address() != null && !d.address().isEmpty()) {
      setAddress(r, d.address());
    }
    if (d.lastContactAt() != null) {
      r.lastContactAt = d.lastContactAt().toEpochMilli();
    }
    if (!d.contactPreferences().optIns().isEmpty()) {
      Map<Channel, OptInStatus> merged = new EnumMap<>(Channel.class);
      if (r.optIns != null) {
        for (String part : r.optIns.split(",")) {
          int eq = part.indexOf('=');
          merged.put(Channel.valueOf(part.substring(0, eq)), OptInStatus.valueOf(part.substring(eq + 1)));
        }
      }
      merged.putAll(d.contactPreferences().optIns());
      r.optIns = optIns(merged);
    }
    r.tags.addAll(d.tags());
    r.fields.putAll(d.customFields());
    if (it.email != null) {
      r.email = it.email;
      r.emailKey = it.email;
      r.emailLooseKey = EmailAddresses.looseKey(it.email);
    }
    if (it.phone != null) {
      r.phone = it.phone.value();
      r.phoneExtension = it.phone.extension();
      r.phoneKey = it.phone.matchKey();
      r.phoneLooseKey = it.phone.looseKey();
    }
    r.nameKeys();
    return r;
  }

  private static void setIdentity(CustomerRow r, Item it) {
    r.email = it.email;
    r.emailKey = it.email;
    r.emailLooseKey = EmailAddresses.looseKey(it.email);
    if (it.phone != null) {
      r.phone = it.phone.value();
      r.phoneExtension = it.phone.extension();
      r.phoneKey = it.phone.matchKey();
      r.phoneLooseKey = it.phone.looseKey();
    }
  }

  private static void setAddress(CustomerRow r, Address a) {
    boolean none = a == null || a.isEmpty();
    r.line1 = none ? null : a.line1();
    r.line2 = none ? null : a.line2();
    r.city = none ? null : a.city();
    r.region = none ? null : a.region();
    r.postalCode = none ? null : a.postalCode();
    r.country = none ? null : a.country();
  }

  private static String optIns(Map<Channel, OptInStatus> optIns) {
    if (optIns.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    optIns.forEach((ch, st) -> b.append(b.length() == 0 ? "" : ",").append(ch.name()).append('=').append(st.name()));
    return b.toString();
  }

  /** Moves key ownership in the chunk's maps from a customer's old state to its new one. */
  private static void claim(Map<String, String> byEmail, Map<String, String> byPhone, CustomerRow old,
      CustomerRow now) {
    if (old != null && old.email != null && !old.email.equals(now.email)) {
      byEmail.remove(old.email, old.id);
    }
    if (now.email != null) {
      byEmail.put(now.email, now.id);
    }
    if (old != null && old.phoneKey != null && !old.phoneKey.equals(now.phoneKey)) {
      byPhone.remove(old.phoneKey, old.id);
    }
    if (now.phoneKey != null) {
      byPhone.put(now.phoneKey, now.id);
    }
  }

  private record Item(CustomerDraft draft, String email, NormalizedPhone phone) {}
}
