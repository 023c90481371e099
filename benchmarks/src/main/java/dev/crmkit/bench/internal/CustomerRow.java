package dev.crmkit.bench.internal;

import dev.crmkit.identity.PersonNames;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One {@code crm_customers} row as a hand-written JDBC program holds it: a mutable bag of column
 * values, plus the customer's tags and custom fields. The SQL text is written out here, by hand, in the
 * same shapes the native store uses, so the baselines send the database the same statements.
 */
final class CustomerRow {
  static final String COLUMNS = "id, first_name, last_name, email, phone, phone_extension, company, preferred_channel,"
      + " language, segment, address_line1, address_line2, address_city, address_region, address_postal_code,"
      + " address_country, opt_ins, total_orders, total_revenue, revenue_currency, last_order_at, created_at,"
      + " updated_at, last_contact_at, deleted_at, merged_into_id, email_key, phone_key, email_loose_key,"
      + " phone_loose_key, name_key, name_search, created_seq, change_seq";
  static final String SELECT = "SELECT " + COLUMNS + " FROM crm_customers WHERE tenant_id = ?";
  static final String INSERT = "INSERT INTO crm_customers (" + COLUMNS + ", tenant_id) VALUES (?, ?, ?, ?, ?, ?, ?,"
      + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String UPDATE = "UPDATE crm_customers SET first_name = ?, last_name = ?, email = ?, phone = ?,"
      + " phone_extension = ?, company = ?, preferred_channel = ?, language = ?, segment = ?, address_line1 = ?,"
      + " address_line2 = ?, address_city = ?, address_region = ?, address_postal_code = ?, address_country = ?,"
      + " opt_ins = ?, total_orders = ?, total_revenue = ?, revenue_currency = ?, last_order_at = ?, created_at = ?,"
      + " updated_at = ?, last_contact_at = ?, deleted_at = ?, merged_into_id = ?, email_key = ?, phone_key = ?,"
      + " email_loose_key = ?, phone_loose_key = ?, name_key = ?, name_search = ?, change_seq = ?"
      + " WHERE tenant_id = ? AND id = ?";
  String id;
  String firstName;
  String lastName;
  String email;
  String phone;
  String phoneExtension;
  String company;
  String preferredChannel;
  String language;
  String segment;
  String line1;
  String line2;
  String city;
  String region;
  String postalCode;
  String country;
  String optIns;
  int totalOrders;
  BigDecimal totalRevenue;
  String revenueCurrency;
  Long lastOrderAt;
  Long createdAt;
  Long updatedAt;
  Long lastContactAt;
  Long deletedAt;
  String mergedIntoId;
  String emailKey;
  String phoneKey;
  String emailLooseKey;
  String phoneLooseKey;
  String nameKey;
  String nameSearch;
  long createdSeq;
  long changeSeq;
  final Set<String> tags = new TreeSet<>();
  final Map<String, String> fields = new TreeMap<>();

  CustomerRow copy() {
    CustomerRow r = new CustomerRow();
    r.id = id;
    r.firstName = firstName;
    r.lastName = lastName;
    r.email = email;
    r.phone = phone;
    r.phoneExtension = phoneExtension;
    r.company = company;
    r.preferredChannel = preferredChannel;
    r.language = language;
    r.segment = segment;
    r.line1 = line1;
    r.line2 = line2;
    r.city = city;
    r.region = region;
    r.postalCode = postalCode;
    r.country = country;
    r.optIns = optIns;
    r.totalOrders = totalOrders;
    r.totalRevenue = totalRevenue;
    r.revenueCurrency = revenueCurrency;
    r.lastOrderAt = lastOrderAt;
    r.createdAt = createdAt;
    r.updatedAt = updatedAt;
    r.lastContactAt = lastContactAt;
    r.deletedAt = deletedAt;
    r.mergedIntoId = mergedIntoId;
    r.emailKey = emailKey;
    r.phoneKey = phoneKey;
    r.emailLooseKey = emailLooseKey;
    r.phoneLooseKey = phoneLooseKey;
    r.nameKey = nameKey;
    r.nameSearch = nameSearch;
    r.createdSeq = createdSeq;
    r.changeSeq = changeSeq;
    r.tags.addAll(tags);
    r.fields.putAll(fields);
    return r;
  }

  /** Recomputes the name keys from the name columns (identity keys are set by the caller). */
  void nameKeys() {
    nameKey = PersonNames.looseKey(firstName, lastName, company);
    String full = firstName == null ? lastName : lastName == null ? firstName : firstName + " " + lastName;
    nameSearch = full == null ? null : full.toLowerCase(Locale.ROOT);
  }


  static CustomerRow read(ResultSet rs) throws SQLException {
    CustomerRow r = new CustomerRow();
    r.id = rs.getString(1);
    r.firstName = rs.getString(2);
    r.lastName = rs.getString(3);
    r.email = rs.getString(4);
    r.phone = rs.getString(5);
    r.phoneExtension = rs.getString(6);
    r.company = rs.getString(7);
    r.preferredChannel = rs.getString(8);
    r.language = rs.getString(9);
    r.segment = rs.getString(10);
    r.line1 = rs.getString(11);
    r.line2 = rs.getString(12);
    r.city = rs.getString(13);
    r.region = rs.getString(14);
    r.postalCode = rs.getString(15);
    r.country = rs.getString(16);
    r.optIns = rs.getString(17);
    r.totalOrders = rs.getInt(18);
    r.totalRevenue = rs.getBigDecimal(19);
    r.revenueCurrency = rs.getString(20);
    r.lastOrderAt = millis(rs, 21);
    r.createdAt = millis(rs, 22);
    r.updatedAt = millis(rs, 23);
    r.lastContactAt = millis(rs, 24);
    r.deletedAt = millis(rs, 25);
    r.mergedIntoId = rs.getString(26);
    r.emailKey = rs.getString(27);
    r.phoneKey = rs.getString(28);
    r.emailLooseKey = rs.getString(29);
    r.phoneLooseKey = rs.getString(30);
    r.nameKey = rs.getString(31);
    r.nameSearch = rs.getString(32);
    r.createdSeq = rs.getLong(33);
    r.changeSeq = rs.getLong(34);
    return r;
  }

  /** Binds {@link #INSERT}'s parameters. */
  void bindInsert(PreparedStatement ps, String tenantId) throws SQLException {
    ps.setString(1, id);
    int i = bindValues(ps, 2);
    ps.setLong(i, createdSeq);
    ps.setLong(i + 1, changeSeq);
    ps.setString(i + 2, tenantId);
  }

  /** Binds {@link #UPDATE}'s parameters. */
  void bindUpdate(PreparedStatement ps, String tenantId) throws SQLException {
    int i = bindValues(ps, 1);
    ps.setLong(i, changeSeq);
    ps.setString(i + 1, tenantId);
    ps.setString(i + 2, id);
  }

  private int bindValues(PreparedStatement ps, int at) throws SQLException {
    int i = at;
    ps.setString(i++, firstName);
    ps.setString(i++, lastName);
    ps.setString(i++, email);
    ps.setString(i++, phone);
    ps.setString(i++, phoneExtension);
    ps.setString(i++, company);
    ps.setString(i++, preferredChannel);
    ps.setString(i++, language);
    ps.setString(i++, segment);
    ps.setString(i++, line1);
    ps.setString(i++, line2);
    ps.setString(i++, city);
    ps.setString(i++, region);
    ps.setString(i++, postalCode);
    ps.setString(i++, country);
    ps.setString(i++, optIns);
    ps.setInt(i++, totalOrders);
    if (totalRevenue == null) {
      ps.setNull(i++, Types.DECIMAL);
    } else {
      ps.setBigDecimal(i++, totalRevenue);
    }
    ps.setString(i++, revenueCurrency);
    setMillis(ps, i++, lastOrderAt);
    setMillis(ps, i++, createdAt);
    setMillis(ps, i++, updatedAt);
    setMillis(ps, i++, lastContactAt);
    setMillis(ps, i++, deletedAt);
    ps.setString(i++, mergedIntoId);
    ps.setString(i++, emailKey);
    ps.setString(i++, phoneKey);
    ps.setString(i++, emailLooseKey);
    ps.setString(i++, phoneLooseKey);
    ps.setString(i++, nameKey);
    ps.setString(i++, nameSearch);
    return i;
  }

  private static void setMillis(PreparedStatement ps, int i, Long v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.BIGINT);
    } else {
      ps.setLong(i, v);
    }
  }

  private static Long millis(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  /** The same columns and tags as another row: what decides whether an update writes anything. */
  boolean sameAs(CustomerRow o) {
    return Objects.equals(firstName, o.firstName) && Objects.equals(lastName, o.lastName)
        && Objects.equals(email, o.email) && Objects.equals(phone, o.phone)
        && Objects.equals(phoneExtension, o.phoneExtension) && Objects.equals(company, o.company)
        && Objects.equals(preferredChannel, o.preferredChannel)
        && Objects.equals(language, o.language) && Objects.equals(segment, o.segment)
        && Objects.equals(line1, o.line1) && Objects.equals(line2, o.line2)
        && Objects.equals(city, o.city) && Objects.equals(region, o.region)
        && Objects.equals(postalCode, o.postalCode) && Objects.equals(country, o.country)
        && Objects.equals(optIns, o.optIns) && Objects.equals(lastContactAt, o.lastContactAt)
        && tags.equals(o.tags) && fields.equals(o.fields);
  }
}
