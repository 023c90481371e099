package dev.crmkit.jdbc.internal;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerStats;
import dev.crmkit.Money;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.identity.PhoneNumbers;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Statements on {@code crm_customers}, {@code crm_customer_tags} and {@code crm_customer_fields}
 * for one tenant. A customer is read in two statements: its row, then its tags and custom fields in
 * one {@code UNION ALL} (for a whole page at once with {@code IN}).
 */
public final class CustomerTable {
  /** Most parameters put in one {@code IN (...)} list. */
  public static final int IN_CHUNK = 500;

  static final String COLUMNS = "id, first_name, last_name, email, phone, phone_extension, company, preferred_channel,"
      + " language, segment, address_line1, address_line2, address_city, address_region, address_postal_code,"
      + " address_country, opt_ins, total_orders, total_revenue, revenue_currency, last_order_at, created_at,"
      + " updated_at, last_contact_at, deleted_at, merged_into_id, email_key, phone_key, email_loose_key,"
      + " phone_loose_key, name_key, name_search, created_seq, change_seq";

  private static final int COLUMN_COUNT = 34;

  /** The unique key column of live customers' normalized emails, for {@link #selectOne} and {@link #idsByKey}. */
  public static final String EMAIL_KEY = "email_key";
  /** The unique key column of live customers' phone identity keys, for {@link #selectOne} and {@link #idsByKey}. */
  public static final String PHONE_KEY = "phone_key";

  /** {@code SELECT <columns> FROM crm_customers WHERE tenant_id = ?}; append {@code AND ...}. */
  public static final String SELECT = "SELECT " + COLUMNS + " FROM crm_customers WHERE tenant_id = ?";

  private static final String INSERT = "INSERT INTO crm_customers (" + COLUMNS + ", tenant_id) VALUES ";
  private static final String INSERT_ROW = "(" + Jdbc.placeholders(COLUMN_COUNT + 1) + ")";
  private static final String UPDATE = "UPDATE crm_customers SET first_name = ?, last_name = ?, email = ?, phone = ?,"
      + " phone_extension = ?, company = ?, preferred_channel = ?, language = ?, segment = ?, address_line1 = ?,"
      + " address_line2 = ?, address_city = ?, address_region = ?, address_postal_code = ?, address_country = ?,"
      + " opt_ins = ?, total_orders = ?, total_revenue = ?, revenue_currency = ?, last_order_at = ?, created_at = ?,"
      + " updated_at = ?, last_contact_at = ?, deleted_at = ?, merged_into_id = ?, email_key = ?, phone_key = ?,"
      + " email_loose_key = ?, phone_loose_key = ?, name_key = ?, name_search = ?, change_seq = ?"
      + " WHERE tenant_id = ? AND id = ?";

  private final String tenantId;
  private final Dialect dialect;
  private final PhoneNumbers phones;

  public CustomerTable(String tenantId, Dialect dialect, PhoneNumbers phones) {
    this.tenantId = tenantId;
    this.dialect = dialect;
    this.phones = phones;
  }

  /** Runs {@code SELECT ... WHERE tenant_id = ? <where>} and attaches tags and custom fields. */
  public List<StoredCustomer> select(Connection c, String where, List<?> params) throws SQLException {
    List<Object> all = new ArrayList<>(params.size() + 1);
    all.add(tenantId);
    all.addAll(params);
    return query(c, SELECT + " " + where, all);
  }

  /**
   * The live or deleted customers whose {@code column} holds one of {@code keys} (at most {@link
   * #IN_CHUNK}), with {@code more} appended to the condition, such as {@code "AND deleted_at IS NULL"}.
   */
  public List<StoredCustomer> selectByKeys(Connection c, String column, List<String> keys, String more)
      throws SQLException {
    if (useKeyList(keys.size())) {
      List<Object> params = List.of(keys.toArray(new String[0]), tenantId);
      return query(c, "SELECT " + COLUMNS + " FROM " + keyList() + " JOIN crm_customers c ON c.tenant_id = ? AND c."
          + column + " = v.k " + more, params);
    }
    return select(c, "AND " + column + " IN (" + Jdbc.placeholders(keys.size()) + ") " + more, keys);
  }

  /**
   * H2 looks an {@code IN (?, ?, ...)} list up through an index only on the index's first column, so
   * {@code tenant_id = ? AND id IN (...)} reads the tenant's whole index (100 ms per lookup at 50,000
   * customers). A join from an array parameter, {@code UNNEST(?) v(k)}, is an index lookup per key.
   */
  private boolean useKeyList(int keys) {
    // One key: H2 turns IN (?) into an equality, which its index serves directly.
    return dialect == Dialect.H2 && keys > 1;
  }

  private static String keyList() {
    return "UNNEST(CAST(? AS VARCHAR ARRAY)) v(k)";
  }

  private List<StoredCustomer> query(Connection c, String sql, List<Object> params) throws SQLException {
    List<Row> rows = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(read(rs));
        }
      }
    }
    attachTagsAndFields(c, rows);
    List<StoredCustomer> out = new ArrayList<>(rows.size());
    for (Row r : rows) {
      Customer cu = r.builder.tags(r.tags).customFields(r.fields).build();
      boolean sharesPhone = !cu.isDeleted() && r.mergedIntoId == null && r.phoneKey == null
          && IdentityKeys.phoneKey(cu.phone(), phones) != null;
      out.add(new StoredCustomer(cu, r.mergedIntoId, r.createdSeq, r.changeSeq, sharesPhone));
    }
    return out;
  }

  /**
   * What {@link #search} filters by. Every criterion is optional (null); the keys are normalized
   * already.
   *
   * @param includeDeleted whether soft-deleted customers match too
   * @param name a fragment of the name, matched case-insensitively anywhere in it
   * @param emailKey the normalized email; a deleted customer (which released its key) matches by its email
   * @param phoneKey the phone's identity key; with {@code phone}, the normalized phone a deleted customer
   *     matches by
   * @param phone the normalized phone; used only with {@code phoneKey} and {@code includeDeleted}
   * @param segment a segment name
   * @param tag a tag the customer holds
   * @param afterId the id the page starts after
   * @param limit the most customers returned
   */
  public record Filter(boolean includeDeleted, String name, String emailKey, String phoneKey, String phone,
      String segment, String tag, String afterId, int limit) {}

  /** The customers that match a filter, in id order: two statements (rows, then tags and fields). */
  public List<StoredCustomer> search(Connection c, Filter f) throws SQLException {
    StringBuilder where = new StringBuilder();
    List<Object> params = new ArrayList<>();
    if (!f.includeDeleted()) {
      where.append(" AND deleted_at IS NULL");
    }
    if (f.name() != null) {
      where.append(" AND name_search LIKE ? ESCAPE '!'");
      params.add("%" + f.name().toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_")
          + "%");
    }
    if (f.emailKey() != null) {
      where.append(f.includeDeleted() ? " AND (email_key = ? OR (deleted_at IS NOT NULL AND email = ?))"
          : " AND email_key = ?");
      params.add(f.emailKey());
      if (f.includeDeleted()) {
        params.add(f.emailKey());
      }
    }
    if (f.phoneKey() != null) {
      where.append(f.includeDeleted() ? " AND (phone_key = ? OR (deleted_at IS NOT NULL AND phone = ?))"
          : " AND phone_key = ?");
      params.add(f.phoneKey());
      if (f.includeDeleted()) {
        params.add(f.phone());
      }
    }
    if (f.segment() != null) {
      where.append(" AND segment = ?");
      params.add(f.segment());
    }
    if (f.tag() != null) {
      where.append(" AND id IN (SELECT customer_id FROM crm_customer_tags WHERE tenant_id = ? AND tag = ?)");
      params.add(tenantId);
      params.add(f.tag());
    }
    if (f.afterId() != null) {
      where.append(" AND id > ?");
      params.add(f.afterId());
    }
    // tenant_id is fixed by the WHERE; naming it lets H2 read the primary key in order instead of sorting.
    where.append(" ORDER BY tenant_id, id LIMIT ?");
    params.add(f.limit());
    return select(c, where.toString(), params);
  }

  /** Up to {@code limit} customers whose change number is above {@code afterSeq}, in change order. */
  public List<StoredCustomer> changedAfter(Connection c, long afterSeq, int limit) throws SQLException {
    // ORDER BY names the index's leading tenant_id (fixed by the WHERE) so that H2 reads the index in order
    // and stops after LIMIT rows; ordering by change_seq alone made it sort every later row, per page.
    return select(c, "AND change_seq > ? ORDER BY tenant_id, change_seq LIMIT ?", List.of(afterSeq, limit));
  }

  /** A loose key that {@link #duplicates} groups live customers by. */
  public enum LooseKey {
    EMAIL("email_loose_key"),
    PHONE("phone_loose_key"),
    NAME("name_key");

    private final String column;

    LooseKey(String column) {
      this.column = column;
    }
  }

  /**
   * Up to {@code limit} groups of live customers sharing a loose key: the key's value (in key order) to
   * its customers (oldest first). One statement for the keys, then two per {@value #IN_CHUNK} keys.
   */
  public Map<String, List<Customer>> duplicates(Connection c, LooseKey looseKey, int limit) throws SQLException {
    String column = looseKey.column;
    List<String> keys = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM crm_customers WHERE tenant_id = ?"
        + " AND deleted_at IS NULL AND " + column + " IS NOT NULL GROUP BY " + column
        + " HAVING COUNT(*) > 1 ORDER BY " + column + " LIMIT ?")) {
      ps.setString(1, tenantId);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          keys.add(rs.getString(1));
        }
      }
    }
    Map<String, List<Customer>> byKey = new LinkedHashMap<>();
    keys.forEach(k -> byKey.put(k, new ArrayList<>()));
    for (int i = 0; i < keys.size(); i += IN_CHUNK) {
      List<String> part = keys.subList(i, Math.min(keys.size(), i + IN_CHUNK));
      for (StoredCustomer s : selectByKeys(c, column, part, "AND deleted_at IS NULL ORDER BY created_at, id")) {
        byKey.get(looseKeyOf(s.customer(), looseKey)).add(s.customer());
      }
    }
    return byKey;
  }

  private String looseKeyOf(Customer c, LooseKey looseKey) {
    IdentityKeys keys = IdentityKeys.of(c, phones);
    return switch (looseKey) {
      case EMAIL -> keys.emailLooseKey();
      case PHONE -> keys.phoneLooseKey();
      case NAME -> keys.nameKey();
    };
  }

  /** The customer with this id or, for a merged-away id, its survivor; deleted ones included. */
  public StoredCustomer findFollowingMerges(Connection c, String id) throws SQLException {
    StoredCustomer s = selectOne(c, "id", id);
    if (s == null || s.mergedIntoId() == null) {
      return s;
    }
    String survivor = survivorOf(c, id);
    return survivor == null ? s : selectOne(c, "id", survivor);
  }

  /**
   * {@link #findFollowingMerges} that also locks the customer's row until the transaction ends, for a
   * write that depends on what it read. A merge that commits while this waits for the lock leaves the
   * locked row merged away; the survivor is then looked up and locked in turn.
   */
  public StoredCustomer lockFollowingMerges(Connection c, String id) throws SQLException {
    String wanted = id;
    for (int hop = 0; hop < 4; hop++) {
      List<StoredCustomer> found = select(c, "AND id = ?" + dialect.forUpdate(), List.of(wanted));
      if (found.isEmpty() || found.get(0).mergedIntoId() == null) {
        return found.isEmpty() ? null : found.get(0);
      }
      String survivor = survivorOf(c, wanted);
      wanted = survivor == null ? found.get(0).mergedIntoId() : survivor;
    }
    return findFollowingMerges(c, id);
  }

  /** The customer a merged-away id now lives on, or {@code null}. */
  private String survivorOf(Connection c, String mergedId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT survivor_id FROM crm_merged_ids WHERE tenant_id = ? AND merged_id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, mergedId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  /**
   * The one customer (or none) whose unique key column holds {@code key}, with its tags and custom
   * fields, in one statement: its row, then its tags and its fields (joined to it by the key) by {@code
   * UNION ALL}. Every branch is an equality on indexed columns. On H2 it takes three plain statements
   * instead (see {@link #selectOneInParts}): calls within the process, not round trips.
   *
   * @param column {@code id}, {@code email_key} or {@code phone_key}
   * @param key the value; not null
   */
  public StoredCustomer selectOne(Connection c, String column, String key) throws SQLException {
    if (dialect == Dialect.H2) {
      return selectOneInParts(c, column, key);
    }
    String nulls = ", NULL".repeat(COLUMN_COUNT - 1);
    String owner = column.equals("id") ? " WHERE x.tenant_id = ? AND x.customer_id = ?"
        : " JOIN crm_customers c ON c.tenant_id = x.tenant_id AND c.id = x.customer_id"
            + " WHERE x.tenant_id = ? AND c." + column + " = ?";
    String sql = "SELECT " + COLUMNS + ", NULL, NULL, 0 FROM crm_customers WHERE tenant_id = ? AND " + column + " = ?"
        + " UNION ALL SELECT x.customer_id" + nulls + ", x.tag, NULL, 1 FROM crm_customer_tags x" + owner
        + " UNION ALL SELECT x.customer_id" + nulls + ", x.name, x.field_value, 2 FROM crm_customer_fields x" + owner;
    Row row = null;
    Set<String> tags = new TreeSet<>();
    Map<String, String> fields = new TreeMap<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      Jdbc.bind(ps, List.of(tenantId, key, tenantId, key, tenantId, key));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          switch (rs.getInt(COLUMN_COUNT + 3)) {
            case 0 -> row = read(rs);
            case 1 -> tags.add(rs.getString(COLUMN_COUNT + 1));
            default -> fields.put(rs.getString(COLUMN_COUNT + 1), rs.getString(COLUMN_COUNT + 2));
          }
        }
      }
    }
    if (row == null) {
      return null;
    }
    return new StoredCustomer(row.builder.tags(tags).customFields(fields).build(), row.mergedIntoId, row.createdSeq,
        row.changeSeq);
  }

  /**
   * {@link #selectOne} for H2: the row, then its tags, then its fields, each a plain statement. H2 keeps
   * the parsed form of a plain query per session and finds it again by its text, but parses a {@code
   * UNION} anew on every prepare (about a third of a first-contact message's time went to that); and
   * it starts a join of the tags to the key's row from the tags' tenant range.
   */
  private StoredCustomer selectOneInParts(Connection c, String column, String key) throws SQLException {
    Row row = null;
    try (PreparedStatement ps = c.prepareStatement(SELECT + " AND " + column + " = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          row = read(rs);
        }
      }
    }
    if (row == null) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT tag FROM crm_customer_tags WHERE tenant_id = ? AND customer_id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, row.id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.tags.add(rs.getString(1));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT name, field_value FROM crm_customer_fields WHERE tenant_id = ? AND customer_id = ?")) {
      ps.setString(1, tenantId);
      ps.setString(2, row.id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.fields.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return new StoredCustomer(row.builder.tags(row.tags).customFields(row.fields).build(), row.mergedIntoId,
        row.createdSeq, row.changeSeq);
  }

  /** Customers by id, in no particular order. */
  public Map<String, StoredCustomer> findByIds(Connection c, Collection<String> ids) throws SQLException {
    Map<String, StoredCustomer> out = new HashMap<>();
    List<String> list = new ArrayList<>(ids);
    for (int i = 0; i < list.size(); i += IN_CHUNK) {
      List<String> part = list.subList(i, Math.min(list.size(), i + IN_CHUNK));
      for (StoredCustomer s : selectByKeys(c, "id", part, "")) {
        out.put(s.id(), s);
      }
    }
    return out;
  }

  /** Key to id of live customers holding one of the keys in a key column ({@code email_key} or {@code phone_key}). */
  public Map<String, String> idsByKey(Connection c, String column, Collection<String> keys) throws SQLException {
    Map<String, String> out = new HashMap<>();
    List<String> list = new ArrayList<>(keys);
    for (int i = 0; i < list.size(); i += IN_CHUNK) {
      List<String> part = list.subList(i, Math.min(list.size(), i + IN_CHUNK));
      List<Object> params = new ArrayList<>(part.size() + 1);
      String sql;
      if (useKeyList(part.size())) {
        params.add(part.toArray(new String[0]));
        params.add(tenantId);
        sql = "SELECT c." + column + ", c.id FROM " + keyList() + " JOIN crm_customers c ON c.tenant_id = ? AND c."
            + column + " = v.k";
      } else {
        params.add(tenantId);
        params.addAll(part);
        sql = "SELECT " + column + ", id FROM crm_customers WHERE tenant_id = ? AND " + column + " IN ("
            + Jdbc.placeholders(part.size()) + ")";
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Jdbc.bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getString(1), rs.getString(2));
          }
        }
      }
    }
    return out;
  }

  /**
   * Inserts customers (rows, tags, custom fields) with multi-row {@code INSERT}s: one statement per
   * table for up to {@link Dialect#maxParameters} parameters, where a JDBC batch would still execute
   * one statement per row on the server.
   */
  public void insert(Connection c, List<StoredCustomer> customers) throws SQLException {
    if (customers.isEmpty()) {
      return;
    }
    int perStatement = dialect.maxParameters() / (COLUMN_COUNT + 1);
    for (int from = 0; from < customers.size(); from += perStatement) {
      List<StoredCustomer> part = customers.subList(from, Math.min(customers.size(), from + perStatement));
      try (PreparedStatement ps = c.prepareStatement(INSERT + rows(INSERT_ROW, part.size()))) {
        int at = 1;
        for (StoredCustomer s : part) {
          ps.setString(at, s.id());
          int next = bindValues(ps, at + 1, s);
          ps.setLong(next, s.createdSeq());
          ps.setLong(next + 1, s.changeSeq());
          ps.setString(next + 2, tenantId);
          at = next + 3;
        }
        ps.executeUpdate();
      }
    }
    Map<String, Set<String>> tags = new LinkedHashMap<>();
    Map<String, Map<String, String>> fields = new LinkedHashMap<>();
    for (StoredCustomer s : customers) {
      tags.put(s.id(), s.customer().tags());
      fields.put(s.id(), s.customer().customFields());
    }
    insertTags(c, tags);
    insertFields(c, fields);
  }

  /** Rewrites customer rows (not their tags or custom fields) in one batch. */
  public void update(Connection c, List<StoredCustomer> customers) throws SQLException {
    if (customers.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
      for (StoredCustomer s : customers) {
        int next = bindValues(ps, 1, s);
        ps.setLong(next, s.changeSeq());
        ps.setString(next + 1, tenantId);
        ps.setString(next + 2, s.id());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Moves a customer's last contact (and updated time) forward to {@code at}, with a new change
   * number, unless it is already at or after {@code at} or the customer was merged away.
   *
   * @return true when the row changed
   */
  public boolean moveLastContact(Connection c, String id, Instant at, Instant now, long changeSeq)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE crm_customers SET last_contact_at = ?, updated_at = ?,"
        + " change_seq = ? WHERE tenant_id = ? AND id = ? AND merged_into_id IS NULL"
        + " AND (last_contact_at IS NULL OR last_contact_at < ?)")) {
      ps.setLong(1, at.toEpochMilli());
      ps.setLong(2, now.toEpochMilli());
      ps.setLong(3, changeSeq);
      ps.setString(4, tenantId);
      ps.setString(5, id);
      ps.setLong(6, at.toEpochMilli());
      return ps.executeUpdate() == 1;
    }
  }

  /** Clears the unique keys of customers, so keys can move between them within one transaction. */
  public void releaseKeys(Connection c, Collection<String> ids) throws SQLException {
    if (ids.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "UPDATE crm_customers SET email_key = NULL, phone_key = NULL WHERE tenant_id = ? AND id = ?")) {
      for (String id : ids) {
        ps.setString(1, tenantId);
        ps.setString(2, id);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** Adds tags, customer id to tags, with multi-row {@code INSERT}s; every tag must be new for its customer. */
  public void insertTags(Connection c, Map<String, ? extends Collection<String>> tagsById) throws SQLException {
    List<String> values = new ArrayList<>();
    tagsById.forEach((id, tags) -> tags.forEach(tag -> values.addAll(List.of(tenantId, id, tag))));
    insertRows(c, "INSERT INTO crm_customer_tags (tenant_id, customer_id, tag) VALUES ", 3, values);
  }

  /** Multi-row {@code INSERT}s of {@code values}, {@code width} to a row, as few statements as the dialect allows. */
  private void insertRows(Connection c, String insert, int width, List<String> values) throws SQLException {
    int perStatement = dialect.maxParameters() / width * width;
    String row = "(" + Jdbc.placeholders(width) + ")";
    for (int from = 0; from < values.size(); from += perStatement) {
      List<String> part = values.subList(from, Math.min(values.size(), from + perStatement));
      try (PreparedStatement ps = c.prepareStatement(insert + rows(row, part.size() / width))) {
        for (int i = 0; i < part.size(); i++) {
          ps.setString(i + 1, part.get(i));
        }
        ps.executeUpdate();
      }
    }
  }

  /** {@code row} repeated {@code n} times, comma-separated. */
  private static String rows(String row, int n) {
    StringBuilder b = new StringBuilder(n * (row.length() + 2));
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : ", ").append(row);
    }
    return b.toString();
  }

  /** Removes tags, customer id to tags, in one JDBC batch. */
  public void deleteTags(Connection c, Map<String, ? extends Collection<String>> tagsById) throws SQLException {
    if (tagsById.values().stream().allMatch(Collection::isEmpty)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM crm_customer_tags WHERE tenant_id = ? AND customer_id = ? AND tag = ?")) {
      for (Map.Entry<String, ? extends Collection<String>> e : tagsById.entrySet()) {
        for (String tag : e.getValue()) {
          ps.setString(1, tenantId);
          ps.setString(2, e.getKey());
          ps.setString(3, tag);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** Adds custom fields, customer id to fields, with multi-row {@code INSERT}s; every name must be new for its customer. */
  public void insertFields(Connection c, Map<String, Map<String, String>> fieldsById) throws SQLException {
    List<String> values = new ArrayList<>();
    fieldsById.forEach((id, fields) -> fields.forEach((name, value) -> values.addAll(List.of(tenantId, id, name,
        value))));
    insertRows(c, "INSERT INTO crm_customer_fields (tenant_id, customer_id, name, field_value) VALUES ", 4, values);
  }

  /** Removes custom fields by name, customer id to names. */
  public void deleteFields(Connection c, Map<String, ? extends Collection<String>> namesById) throws SQLException {
    if (namesById.values().stream().allMatch(Collection::isEmpty)) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM crm_customer_fields WHERE tenant_id = ? AND customer_id = ? AND name = ?")) {
      for (Map.Entry<String, ? extends Collection<String>> e : namesById.entrySet()) {
        for (String name : e.getValue()) {
          ps.setString(1, tenantId);
          ps.setString(2, e.getKey());
          ps.setString(3, name);
          ps.addBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /**
   * Writes the difference between two states of customers' tags and custom fields.
   *
   * @param before id to the stored state
   * @param after id to the new state
   */
  public void writeTagAndFieldChanges(Connection c, Map<String, Customer> before, Map<String, Customer> after)
      throws SQLException {
    Map<String, Set<String>> addTags = new LinkedHashMap<>();
    Map<String, Set<String>> removeTags = new LinkedHashMap<>();
    Map<String, Set<String>> removeFields = new LinkedHashMap<>();
    Map<String, Map<String, String>> addFields = new LinkedHashMap<>();
    for (Map.Entry<String, Customer> e : after.entrySet()) {
      Customer old = before.get(e.getKey());
      Customer now = e.getValue();
      Set<String> added = new TreeSet<>(now.tags());
      added.removeAll(old.tags());
      Set<String> removed = new TreeSet<>(old.tags());
      removed.removeAll(now.tags());
      addTags.put(now.id(), added);
      removeTags.put(now.id(), removed);
      Set<String> gone = new TreeSet<>();
      Map<String, String> put = new TreeMap<>();
      old.customFields().forEach((k, v) -> {
        if (!v.equals(now.customFields().get(k))) {
          gone.add(k);
        }
      });
      now.customFields().forEach((k, v) -> {
        if (!v.equals(old.customFields().get(k))) {
          put.put(k, v);
        }
      });
      removeFields.put(now.id(), gone);
      addFields.put(now.id(), put);
    }
    deleteTags(c, removeTags);
    insertTags(c, addTags);
    deleteFields(c, removeFields);
    insertFields(c, addFields);
  }

  private int bindValues(PreparedStatement ps, int at, StoredCustomer s) throws SQLException {
    Customer cu = s.customer();
    IdentityKeys keys = IdentityKeys.of(cu, phones);
    Address a = cu.address();
    CustomerStats st = cu.stats();
    int i = at;
    ps.setString(i++, cu.firstName());
    ps.setString(i++, cu.lastName());
    ps.setString(i++, cu.email());
    ps.setString(i++, cu.phone());
    ps.setString(i++, cu.phoneExtension());
    ps.setString(i++, cu.company());
    ps.setString(i++, cu.preferredChannel() == null ? null : cu.preferredChannel().name());
    ps.setString(i++, cu.language());
    ps.setString(i++, cu.segment().name());
    ps.setString(i++, a == null ? null : a.line1());
    ps.setString(i++, a == null ? null : a.line2());
    ps.setString(i++, a == null ? null : a.city());
    ps.setString(i++, a == null ? null : a.region());
    ps.setString(i++, a == null ? null : a.postalCode());
    ps.setString(i++, a == null ? null : a.country());
    ps.setString(i++, encode(cu.contactPreferences()));
    ps.setInt(i++, st.totalOrders());
    dialect.setDecimal(ps, i++, st.totalRevenue() == null ? null : st.totalRevenue().amount());
    ps.setString(i++, st.totalRevenue() == null ? null : st.totalRevenue().currency().getCurrencyCode());
    setMillis(ps, i++, st.lastOrderAt());
    setMillis(ps, i++, cu.createdAt());
    setMillis(ps, i++, cu.updatedAt());
    setMillis(ps, i++, cu.lastContactAt());
    setMillis(ps, i++, cu.deletedAt());
    ps.setString(i++, s.mergedIntoId());
    ps.setString(i++, keys.emailKey());
    ps.setString(i++, s.sharesPhone() ? null : keys.phoneKey());
    ps.setString(i++, keys.emailLooseKey());
    ps.setString(i++, keys.phoneLooseKey());
    ps.setString(i++, keys.nameKey());
    ps.setString(i++, keys.nameSearch());
    return i;
  }

  private static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, t.toEpochMilli());
    }
  }

  private Row read(ResultSet rs) throws SQLException {
    Row r = new Row();
    r.id = rs.getString(1);
    String channel = rs.getString(8);
    String revenue = rs.getString(19);
    String currency = rs.getString(20);
    int orders = rs.getInt(18);
    CustomerStats stats = CustomerStats.NONE;
    if (orders > 0 && revenue != null && currency != null) {
      Money total = money(new BigDecimal(revenue), currency);
      stats = new CustomerStats(orders, total, CustomerStats.average(total, orders), millis(rs, 21));
    }
    Address address = new Address(rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(14),
        rs.getString(15), rs.getString(16));
    r.builder = Customer.builder()
        .id(rs.getString(1))
        .tenantId(tenantId)
        .firstName(rs.getString(2))
        .lastName(rs.getString(3))
        .email(rs.getString(4))
        .phone(rs.getString(5))
        .phoneExtension(rs.getString(6))
        .company(rs.getString(7))
        .preferredChannel(channel == null ? null : Channel.valueOf(channel))
        .language(rs.getString(9))
        .segment(Segment.valueOf(rs.getString(10)))
        .address(address.isEmpty() ? null : address)
        .contactPreferences(decode(rs.getString(17)))
        .stats(stats)
        .createdAt(millis(rs, 22))
        .updatedAt(millis(rs, 23))
        .lastContactAt(millis(rs, 24))
        .deletedAt(millis(rs, 25));
    r.mergedIntoId = rs.getString(26);
    r.phoneKey = rs.getString(28);
    r.createdSeq = rs.getLong(33);
    r.changeSeq = rs.getLong(34);
    return r;
  }

  /** Stored decimals come back with the column's scale; show them with the currency's fraction digits. */
  static Money money(BigDecimal stored, String currencyCode) {
    Money m = new Money(stored, Money.currency(currencyCode));
    int digits = Math.max(m.currency().getDefaultFractionDigits(), 0);
    BigDecimal amount = stored.stripTrailingZeros();
    if (amount.scale() < digits) {
      amount = amount.setScale(digits);
    }
    return new Money(amount, m.currency());
  }

  private static Instant millis(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private void attachTagsAndFields(Connection c, List<Row> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    Map<String, Row> byId = new HashMap<>();
    for (Row r : rows) {
      byId.put(r.id, r);
    }
    List<String> ids = new ArrayList<>(byId.keySet());
    for (int i = 0; i < ids.size(); i += IN_CHUNK) {
      List<String> part = ids.subList(i, Math.min(ids.size(), i + IN_CHUNK));
      List<Object> params = new ArrayList<>(part.size() * 2 + 2);
      String sql;
      if (useKeyList(part.size())) {
        String[] keys = part.toArray(new String[0]);
        params.addAll(List.of(keys, tenantId, keys, tenantId));
        sql = "SELECT t.customer_id, 0, t.tag, NULL FROM " + keyList() + " JOIN crm_customer_tags t"
            + " ON t.tenant_id = ? AND t.customer_id = v.k"
            + " UNION ALL SELECT f.customer_id, 1, f.name, f.field_value FROM " + keyList() + " JOIN crm_customer_fields f"
            + " ON f.tenant_id = ? AND f.customer_id = v.k";
      } else {
        String in = Jdbc.placeholders(part.size());
        params.add(tenantId);
        params.addAll(part);
        params.add(tenantId);
        params.addAll(part);
        sql = "SELECT customer_id, 0, tag, NULL FROM crm_customer_tags WHERE tenant_id = ? AND customer_id IN (" + in + ")"
            + " UNION ALL SELECT customer_id, 1, name, field_value FROM crm_customer_fields"
            + " WHERE tenant_id = ? AND customer_id IN (" + in + ")";
      }
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Jdbc.bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Row r = byId.get(rs.getString(1));
            if (rs.getInt(2) == 0) {
              r.tags.add(rs.getString(3));
            } else {
              r.fields.put(rs.getString(3), rs.getString(4));
            }
          }
        }
      }
    }
  }

  static String encode(ContactPreferences prefs) {
    if (prefs.optIns().isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    prefs.optIns().forEach((ch, st) -> b.append(b.length() == 0 ? "" : ",").append(ch.name()).append('=')
        .append(st.name()));
    return b.toString();
  }

  static ContactPreferences decode(String s) {
    if (s == null || s.isEmpty()) {
      return ContactPreferences.UNKNOWN;
    }
    Map<Channel, OptInStatus> m = new EnumMap<>(Channel.class);
    for (String part : s.split(",")) {
      int eq = part.indexOf('=');
      m.put(Channel.valueOf(part.substring(0, eq)), OptInStatus.valueOf(part.substring(eq + 1)));
    }
    return new ContactPreferences(m);
  }

  private static final class Row {
    private String id;
    private Customer.Builder builder;
    private String mergedIntoId;
    private String phoneKey;
    private long createdSeq;
    private long changeSeq;
    private final Set<String> tags = new TreeSet<>();
    private final Map<String, String> fields = new TreeMap<>();
  }
}
