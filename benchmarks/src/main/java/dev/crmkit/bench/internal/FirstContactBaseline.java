package dev.crmkit.bench.internal;

import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.inbound.InboundMessage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * First-contact handling by hand: what a host would write with plain JDBC against the native store's
 * tables, issuing the statements {@code FirstContactHandler} over {@code NativeCustomerSystem} issues
 * for each message, each on its own connection as there:
 * <ol>
 *   <li>look up the activity by its idempotency key (and, for a redelivery, its metadata and its
 *       customer, then stop);
 *   <li>look up the customer by phone (or email) key, with its tags and fields;
 *   <li>for an unknown sender, in one transaction: lock the change counter, insert the customer and its
 *       tags, store the counter;
 *   <li>in one transaction ({@code logInteraction}): lock the counter, re-read the customer by id,
 *       insert the activity and its metadata, and when the message is newer than the customer's last
 *       contact rewrite its row with the new last-contact time and store the counter.
 * </ol>
 * Senders are serialized per phone key with striped locks, as the handler does. Not safe for use by
 * several threads at once only because of its id generator's state; the benchmark runs it on one.
 */
public final class FirstContactBaseline {
  private static final int LOCK_STRIPES = 256;
  private static final int MAX_DESCRIPTION = 2_000;
  private static final String ACTIVITY_COLUMNS =
      "id, customer_id, activity_type, channel, description, occurred_at, idempotency_key";

  private final PlainJdbc db;
  private final PhoneNumbers phones;
  private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

  /**
   * @param dataSource the native store's database; not null
   * @param tenantId the tenant whose messages these are
   * @param clock source of timestamps and ids
   * @param phones phone normalization for the tenant's region
   */
  public FirstContactBaseline(DataSource dataSource, String tenantId, Clock clock, PhoneNumbers phones) {
    this.db = new PlainJdbc(Objects.requireNonNull(dataSource, "dataSource"), tenantId, clock);
    this.phones = phones;
    for (int i = 0; i < LOCK_STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /**
   * Handles one message.
   *
   * @return what was done: {@code MATCHED}, {@code CREATED} or {@code DUPLICATE}
   * @throws ValidationException naming {@code from} when the sender's address is malformed
   * @throws SQLException when the database fails
   */
  public Outcome handle(InboundMessage m) throws SQLException {
    boolean byEmail = m.fromEmail();
    String senderKey;
    NormalizedPhone phone = null;
    if (byEmail) {
      senderKey = EmailAddresses.normalize(m.from(), "from");
    } else {
      phone = phones.normalize(m.from(), "from");
      senderKey = phone.matchKey();
    }
    String key = "msg:" + m.channel().name().toLowerCase(Locale.ROOT) + ":" + m.messageId();
    ReentrantLock lock = locks[Math.floorMod(senderKey.hashCode(), LOCK_STRIPES)];
    lock.lock();
    try {
      return handleLocked(m, key, senderKey, phone);
    } finally {
      lock.unlock();
    }
  }

  private Outcome handleLocked(InboundMessage m, String key, String senderKey, NormalizedPhone phone)
      throws SQLException {
    String earlierOwner = db.read(c -> earlierActivityOwner(c, key));
    if (earlierOwner != null) {
      db.read(c -> db.byId(c, earlierOwner));
      return Outcome.DUPLICATE;
    }
    String where = phone == null ? "AND email_key = ?" : "AND phone_key = ?";
    List<CustomerRow> found = db.read(c -> db.select(c, where, List.of(senderKey)));
    Outcome outcome = Outcome.MATCHED;
    CustomerRow customer;
    long receivedAt = m.receivedAt().toEpochMilli();
    if (found.isEmpty()) {
      customer = newCustomer(m, senderKey, phone, receivedAt);
      db.ensureCounter();
      CustomerRow toInsert = customer;
      db.write(c -> {
        long start = db.lockCounter(c);
        toInsert.createdSeq = start + 1;
        toInsert.changeSeq = start + 1;
        try (PreparedStatement ps = c.prepareStatement(CustomerRow.INSERT)) {
          toInsert.bindInsert(ps, db.tenantId());
          ps.addBatch();
          ps.executeBatch();
        }
        db.insertTags(c, Map.of(toInsert.id, toInsert.tags));
        db.insertFields(c, Map.of(toInsert.id, toInsert.fields));
        db.finishCounter(c, start, start + 1);
        return null;
      });
      outcome = Outcome.CREATED;
    } else {
      customer = found.get(0);
    }
    String customerId = customer.id;
    db.ensureCounter();
    db.write(c -> {
      long start = db.lockCounter(c);
      CustomerRow current = db.byId(c, customerId);
      String activityId = db.nextId();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO crm_activities (tenant_id, " + ACTIVITY_COLUMNS
          + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, db.tenantId());
        ps.setString(2, activityId);
        ps.setString(3, current.id);
        ps.setString(4, "MESSAGE_RECEIVED");
        ps.setString(5, m.channel().name());
        ps.setString(6, describe(m.text()));
        ps.setLong(7, receivedAt);
        ps.setString(8, key);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO crm_activity_metadata (tenant_id, activity_id, name, meta_value) VALUES (?, ?, ?, ?)")) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("messageId", m.messageId());
        meta.put("from", m.from());
        for (Map.Entry<String, String> e : meta.entrySet()) {
          ps.setString(1, db.tenantId());
          ps.setString(2, activityId);
          ps.setString(3, e.getKey());
          ps.setString(4, e.getValue());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      if (current.lastContactAt != null && current.lastContactAt >= receivedAt) {
        db.finishCounter(c, start, start);
        return null;
      }
      current.lastContactAt = receivedAt;
      current.updatedAt = db.now();
      current.changeSeq = start + 1;
      try (PreparedStatement ps = c.prepareStatement(CustomerRow.UPDATE)) {
        current.bindUpdate(ps, db.tenantId());
        ps.addBatch();
        ps.executeBatch();
      }
      db.finishCounter(c, start, start + 1);
      return null;
    });
    return outcome;
  }

  /** The customer id of the activity logged under the key, or {@code null}; reads its metadata too. */
  private String earlierActivityOwner(Connection c, String key) throws SQLException {
    List<String[]> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT " + ACTIVITY_COLUMNS + " FROM crm_activities WHERE tenant_id = ? AND idempotency_key = ?")) {
      ps.setString(1, db.tenantId());
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(new String[] {rs.getString(1), rs.getString(2)});
        }
      }
    }
    if (rows.isEmpty()) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT activity_id, name, meta_value FROM crm_activity_metadata"
        + " WHERE tenant_id = ? AND activity_id IN (?)")) {
      ps.setString(1, db.tenantId());
      ps.setString(2, rows.get(0)[0]);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rs.getString(3);
        }
      }
    }
    return rows.get(0)[1];
  }

  /** The auto-created customer: a prospect tagged auto-created, first-contact and the channel. */
  private CustomerRow newCustomer(InboundMessage m, String senderKey, NormalizedPhone phone, long receivedAt) {
    CustomerRow r = new CustomerRow();
    r.id = db.nextId();
    String channel = m.channel().name();
    r.preferredChannel = channel;
    r.segment = "PROSPECT";
    String name = m.senderName();
    if (name != null && !name.equals(m.from())) {
      int space = name.lastIndexOf(' ');
      if (space > 0) {
        r.firstName = name.substring(0, space);
        r.lastName = name.substring(space + 1);
      } else {
        r.firstName = name;
      }
    }
    if (phone == null) {
      r.email = senderKey;
      r.emailKey = senderKey;
      r.emailLooseKey = EmailAddresses.looseKey(senderKey);
    } else {
      r.phone = phone.value();
      r.phoneExtension = phone.extension();
      r.phoneKey = phone.matchKey();
      r.phoneLooseKey = phone.looseKey();
    }
    long now = db.now();
    r.createdAt = now;
    r.updatedAt = now;
    r.lastContactAt = receivedAt;
    Set<String> tags = new TreeSet<>(List.of("auto-created", "first-contact",
        "channel:" + channel.toLowerCase(Locale.ROOT)));
    r.tags.addAll(tags);
    r.nameKeys();
    return r;
  }

  private static String describe(String text) {
    if (text == null) {
      return null;
    }
    return text.length() <= MAX_DESCRIPTION ? text : text.substring(0, MAX_DESCRIPTION - 1) + "…";
  }
}
