package dev.crmkit.hubspot;

import dev.crmkit.Address;
import dev.crmkit.Channel;
import dev.crmkit.ContactPreferences;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerField;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Money;
import dev.crmkit.OptInStatus;
import dev.crmkit.Segment;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.hubspot.internal.PropertyValues;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Currency;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IllformedLocaleException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Maps crmkit customers to HubSpot CRM v3 contact properties and back. Pure: no I/O. Built with
 * {@link #builder()}; immutable and thread-safe, so one instance serves every call for a tenant.
 *
 * <p>Every value HubSpot sends or takes is a string. Writes return a map of property internal name
 * to value, where {@code ""} clears the property (HubSpot's way of unsetting one). Reads treat a
 * property that is absent, {@code null} or blank as unset.
 *
 * <h2>Standard properties</h2>
 *
 * <table>
 *   <caption>Customer parts and the contact properties that hold them</caption>
 *   <tr><th>customer</th><th>property</th><th>shape</th></tr>
 *   <tr><td>firstName, lastName, company</td><td>{@code firstname}, {@code lastname}, {@code company}</td>
 *       <td>text</td></tr>
 *   <tr><td>email</td><td>{@code email}</td><td>read back trimmed and lower-cased</td></tr>
 *   <tr><td>phone, phoneExtension</td><td>{@code phone}</td><td>written as E.164 when the number parses for
 *       the configured region, followed by {@code " ext. "} and the extension when there is one, such as
 *       {@code +14155550100 ext. 12}; a number that does not parse is written as typed. Read back through the
 *       same {@link PhoneNumbers}, which splits the extension off again.</td></tr>
 *   <tr><td>language</td><td>{@code hs_language}</td><td>written lower-case ({@code pt-br}, as HubSpot's
 *       options are); read back as a canonical BCP 47 tag ({@code pt-BR})</td></tr>
 *   <tr><td>segment</td><td>{@code lifecyclestage}</td><td>see below</td></tr>
 *   <tr><td>address</td><td>{@code address} (line 1), {@code crmkit_address_line2}, {@code city},
 *       {@code state} (region), {@code zip}, {@code country}</td><td>text</td></tr>
 *   <tr><td>createdAt, updatedAt</td><td>the contact's {@code createdAt}, {@code updatedAt}; when absent
 *       {@code createdate}, {@code lastmodifieddate}</td><td>time</td></tr>
 *   <tr><td>draft's createdAt</td><td>{@code createdate}</td><td>time, written only from a draft</td></tr>
 *   <tr><td>lastContactAt</td><td>{@code notes_last_contacted}</td><td>time</td></tr>
 *   <tr><td>preferredChannel</td><td>{@code crmkit_preferred_channel}</td><td>the {@link Channel} name in
 *       lower case, such as {@code whatsapp}; read in any case</td></tr>
 *   <tr><td>tags</td><td>{@code crmkit_tags}</td><td>values joined by {@code ;}, as HubSpot's
 *       multiple-checkbox properties hold them</td></tr>
 *   <tr><td>stats</td><td>{@code crmkit_total_orders}, {@code crmkit_total_revenue}, {@code crmkit_currency},
 *       {@code crmkit_average_order_value}, {@code crmkit_last_order_at}</td><td>a whole number, decimals as
 *       {@link BigDecimal} plain strings, an ISO 4217 code, a time</td></tr>
 *   <tr><td>contact preferences</td><td>{@code hs_email_optout} for {@link Channel#EMAIL} (inverse:
 *       {@code true} means opted out); {@code crmkit_optin_<channel>} for every other channel, such as
 *       {@code crmkit_optin_sms}</td><td>{@code true} or {@code false}; unset means unknown</td></tr>
 * </table>
 *
 * <p>Every {@code crmkit_*} name and {@code notes_last_contacted} is configurable; the {@code crmkit_*}
 * properties are custom properties the HubSpot account must define. Times are written as ISO-8601 in
 * UTC and read from ISO-8601 (any offset), a date alone (midnight UTC) or epoch milliseconds.
 *
 * <h2>Lifecycle stage and segment</h2>
 *
 * <p>Read by default: {@code subscriber}, {@code lead}, {@code marketingqualifiedlead}, {@code
 * salesqualifiedlead} and {@code opportunity} are {@link Segment#PROSPECT}; {@code customer} is {@link
 * Segment#STANDARD}; {@code evangelist} is {@link Segment#VIP}; an unset stage is {@link Segment#PROSPECT}.
 * Any other stage (such as {@code other} or a custom stage id) reads as {@link Segment#PROSPECT} and its
 * raw value is kept in the custom field {@code hubspot.lifecyclestage} (the unknown-property prefix plus
 * {@code lifecyclestage}). Written by default: PROSPECT is {@code lead}, STANDARD and ACTIVE are {@code
 * customer}, VIP is {@code evangelist}. A write whose custom fields hold {@code hubspot.lifecyclestage}
 * writes that raw stage instead, so an unknown stage survives a read-modify-write. HubSpot refuses to
 * move a contact's stage backwards unless it is first cleared; that is the provider's concern.
 *
 * <h2>Custom fields</h2>
 *
 * <ul>
 *   <li>A custom field configured with {@link Builder#customFieldProperty} is written to and read from its
 *       property.
 *   <li>A custom field named with the unknown-property prefix (default {@code hubspot.}), such as {@code
 *       hubspot.hs_lead_status}, is written verbatim to the property after the prefix. It may not name a
 *       property this mapping writes from another part of the customer, {@code lifecyclestage} excepted.
 *   <li>With {@link Builder#passThroughPrefix} set (say {@code crmkit_cf_}), any other custom field whose
 *       name is a valid HubSpot property name in lower case is written to the prefix plus its name, and
 *       such properties read back under the name without the prefix.
 *   <li>Any other custom field is rejected with a {@link ValidationException} holding one error per
 *       unmapped field, named {@code customFields.<name>}; nothing is dropped silently.
 * </ul>
 *
 * <p>Reading, a property this mapping does not know (neither standard, configured nor passed through) is
 * kept in the custom fields under the unknown-property prefix plus its name, such as {@code
 * hubspot.hs_lead_status}; it is never dropped. {@code hs_object_id} is the contact id and is not kept.
 *
 * <p>Clearing custom fields ({@link CustomerUpdate} replaces them all) clears every configured custom
 * field property the update leaves out. Passed-through and {@code hubspot.}-prefixed properties the
 * update leaves out are not cleared: HubSpot has no way to list them without reading the contact first.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/contacts">HubSpot: contacts API</a>
 * @see <a href="https://knowledge.hubspot.com/properties/hubspots-default-contact-properties">HubSpot: default
 *     contact properties</a>
 */
public final class HubSpotContactMapping {
  /** The lifecycle stage property. */
  public static final String LIFECYCLE_STAGE = "lifecyclestage";

  private static final Pattern PROPERTY_NAME = Pattern.compile("[a-z][a-z0-9_]{0,99}");
  private static final Pattern CUSTOM_FIELD_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
  private static final String EXTENSION_SEPARATOR = " ext. ";
  private static final char TAG_SEPARATOR = ';';

  private static final String FIRSTNAME = "firstname";
  private static final String LASTNAME = "lastname";
  private static final String EMAIL = "email";
  private static final String PHONE = "phone";
  private static final String COMPANY = "company";
  private static final String ADDRESS = "address";
  private static final String CITY = "city";
  private static final String STATE = "state";
  private static final String ZIP = "zip";
  private static final String COUNTRY = "country";
  private static final String LANGUAGE = "hs_language";
  private static final String LEAD_STATUS = "hs_lead_status";
  private static final String CREATEDATE = "createdate";
  private static final String LASTMODIFIEDDATE = "lastmodifieddate";
  private static final String OBJECT_ID = "hs_object_id";

  private final PhoneNumbers phoneNumbers;
  private final Map<String, Segment> stageToSegment;
  private final Map<Segment, String> segmentToStage;
  private final String lastContactProperty;
  private final String addressLine2Property;
  private final String preferredChannelProperty;
  private final String tagsProperty;
  private final String totalOrdersProperty;
  private final String totalRevenueProperty;
  private final String currencyProperty;
  private final String averageOrderValueProperty;
  private final String lastOrderAtProperty;
  private final Map<Channel, OptInProperty> optIns;
  private final Map<String, String> customFieldToProperty;
  private final Map<String, String> propertyToCustomField;
  private final String passThroughPrefix;
  private final String unknownPropertyPrefix;
  private final Set<String> owned;
  private final List<String> propertiesToRead;

  private record OptInProperty(String name, boolean optOut) {}

  private HubSpotContactMapping(Builder b) {
    phoneNumbers = b.phoneNumbers;
    stageToSegment = Collections.unmodifiableMap(new TreeMap<>(b.stageToSegment));
    segmentToStage = Collections.unmodifiableMap(new EnumMap<>(b.segmentToStage));
    lastContactProperty = b.lastContactProperty;
    addressLine2Property = b.addressLine2Property;
    preferredChannelProperty = b.preferredChannelProperty;
    tagsProperty = b.tagsProperty;
    totalOrdersProperty = b.totalOrdersProperty;
    totalRevenueProperty = b.totalRevenueProperty;
    currencyProperty = b.currencyProperty;
    averageOrderValueProperty = b.averageOrderValueProperty;
    lastOrderAtProperty = b.lastOrderAtProperty;
    optIns = Collections.unmodifiableMap(new EnumMap<>(b.optIns));
    customFieldToProperty = Collections.unmodifiableMap(new TreeMap<>(b.customFields));
    Map<String, String> reverse = new TreeMap<>();
    customFieldToProperty.forEach((field, property) -> reverse.put(property, field));
    propertyToCustomField = Collections.unmodifiableMap(reverse);
    passThroughPrefix = b.passThroughPrefix;
    unknownPropertyPrefix = b.unknownPropertyPrefix;
    owned = Collections.unmodifiableSet(ownedProperties());
    Set<String> read = new TreeSet<>(owned);
    read.add(LEAD_STATUS);
    read.add(CREATEDATE);
    read.add(LASTMODIFIEDDATE);
    propertiesToRead = List.copyOf(read);
  }

  /** The mapping with every default; see the class documentation. */
  public static HubSpotContactMapping defaults() {
    return builder().build();
  }

  /** A builder holding the defaults; see the class documentation. */
  public static Builder builder() {
    return new Builder();
  }

  // Every property written from a customer part; the unknown-property rule never claims these.
  private Set<String> ownedProperties() {
    Set<String> s = new TreeSet<>(List.of(FIRSTNAME, LASTNAME, EMAIL, PHONE, COMPANY, ADDRESS, CITY, STATE, ZIP,
        COUNTRY, LANGUAGE, LIFECYCLE_STAGE));
    s.addAll(List.of(lastContactProperty, addressLine2Property, preferredChannelProperty, tagsProperty,
        totalOrdersProperty, totalRevenueProperty, currencyProperty, averageOrderValueProperty,
        lastOrderAtProperty));
    optIns.values().forEach(o -> s.add(o.name()));
    s.addAll(customFieldToProperty.values());
    return s;
  }

  /**
   * The property names a GET, list or search must request so that {@link #toCustomer} sees every part of
   * the customer: the standard properties, {@code hs_lead_status}, {@code createdate}, {@code
   * lastmodifieddate}, and every configured property. Properties behind {@link Builder#passThroughPrefix}
   * cannot be listed and are only read when the provider requests them by name.
   *
   * @return sorted, distinct, unmodifiable; never empty
   */
  public List<String> propertiesToRead() {
    return propertiesToRead;
  }

  /** The prefix of custom fields that hold unknown properties or are written verbatim, such as {@code hubspot.}. */
  public String unknownPropertyPrefix() {
    return unknownPropertyPrefix;
  }

  /**
   * The lifecycle stages this mapping reads as {@code segment}, lower case. An unset stage and any stage not
   * listed for another segment read as {@link Segment#PROSPECT}, so for PROSPECT this lists only the stages
   * named for it explicitly.
   *
   * @param segment the segment; not null
   * @return sorted, unmodifiable; empty when no stage reads as {@code segment}
   */
  public Set<String> stagesReadAs(Segment segment) {
    Objects.requireNonNull(segment, "segment");
    Set<String> out = new TreeSet<>();
    stageToSegment.forEach((stage, s) -> {
      if (s == segment) {
        out.add(stage);
      }
    });
    return Collections.unmodifiableSet(out);
  }

  /**
   * The properties that create a contact from a draft. Only the draft's present parts are written; its
   * tags are written as the whole {@code crmkit_tags} value and its opt-ins as given. Stats are not part
   * of a draft; see {@link #toProperties(CustomerStats)}.
   *
   * @param draft the draft; not null
   * @return property name to value, sorted, unmodifiable; never contains {@code ""}
   * @throws ValidationException listing every part that cannot be written: an unmapped custom field
   *     ({@code customFields.<name>}), a {@code hubspot.}-prefixed custom field naming a property the
   *     mapping owns, a tag holding {@code ;} ({@code tags})
   */
  public Map<String, String> toProperties(CustomerDraft draft) {
    Objects.requireNonNull(draft, "draft");
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> out = new TreeMap<>();
    putIfPresent(out, FIRSTNAME, draft.firstName());
    putIfPresent(out, LASTNAME, draft.lastName());
    putIfPresent(out, EMAIL, draft.email());
    if (draft.phone() != null) {
      out.put(PHONE, phone(draft.phone()));
    }
    putIfPresent(out, COMPANY, draft.company());
    if (draft.preferredChannel() != null) {
      out.put(preferredChannelProperty, channel(draft.preferredChannel()));
    }
    if (draft.language() != null) {
      out.put(LANGUAGE, draft.language().toLowerCase(Locale.ROOT));
    }
    if (draft.segment() != null) {
      out.put(LIFECYCLE_STAGE, segmentToStage.get(draft.segment()));
    }
    if (!draft.tags().isEmpty()) {
      out.put(tagsProperty, tags(draft.tags(), errors));
    }
    if (draft.address() != null) {
      address(draft.address(), out);
      out.values().removeIf(String::isEmpty);
    }
    draft.contactPreferences().optIns().forEach((channel, status) -> {
      OptInProperty p = optIns.get(channel);
      out.put(p.name(), String.valueOf((status == OptInStatus.OPTED_OUT) == p.optOut()));
    });
    customFields(draft.customFields(), false, out, errors);
    if (draft.createdAt() != null) {
      out.put(CREATEDATE, PropertyValues.time(draft.createdAt()));
    }
    if (draft.lastContactAt() != null) {
      out.put(lastContactProperty, PropertyValues.time(draft.lastContactAt()));
    }
    throwIfAny(errors);
    return Collections.unmodifiableMap(out);
  }

  /**
   * The properties that apply an update to a contact: each touched field is written, and each cleared
   * one is written as {@code ""}. A cleared or replaced address writes all six address properties; replaced
   * contact preferences write every configured opt-in property ({@code ""} for an unknown channel);
   * replaced custom fields write {@code ""} to every configured custom field property they leave out.
   *
   * @param update the update; not null
   * @return property name to value, sorted, unmodifiable; empty when the update touches nothing
   * @throws ValidationException as {@link #toProperties(CustomerDraft)} does
   */
  @SuppressWarnings("unchecked")
  public Map<String, String> toProperties(CustomerUpdate update) {
    Objects.requireNonNull(update, "update");
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> out = new TreeMap<>();
    for (CustomerField field : update.fields()) {
      Object v = update.valueOf(field);
      switch (field) {
        case FIRST_NAME -> out.put(FIRSTNAME, text(v));
        case LAST_NAME -> out.put(LASTNAME, text(v));
        case EMAIL -> out.put(EMAIL, text(v));
        case PHONE -> out.put(PHONE, v == null ? "" : phone((String) v));
        case COMPANY -> out.put(COMPANY, text(v));
        case PREFERRED_CHANNEL -> out.put(preferredChannelProperty, v == null ? "" : channel((Channel) v));
        case LANGUAGE -> out.put(LANGUAGE, v == null ? "" : ((String) v).toLowerCase(Locale.ROOT));
        case SEGMENT -> out.put(LIFECYCLE_STAGE, segmentToStage.get(v == null ? Segment.PROSPECT : (Segment) v));
        case TAGS -> out.put(tagsProperty, v == null ? "" : tags((Set<String>) v, errors));
        case ADDRESS -> address(v == null ? new Address(null, null, null, null, null, null) : (Address) v, out);
        case CONTACT_PREFERENCES -> {
          ContactPreferences prefs = v == null ? ContactPreferences.UNKNOWN : (ContactPreferences) v;
          optIns.forEach((channel, p) -> {
            OptInStatus status = prefs.statusOf(channel);
            out.put(p.name(), status == null ? "" : String.valueOf((status == OptInStatus.OPTED_OUT) == p.optOut()));
          });
        }
        case CUSTOM_FIELDS -> customFields(v == null ? Map.of() : (Map<String, String>) v, true, out, errors);
        case LAST_CONTACT_AT -> out.put(lastContactProperty, v == null ? "" : PropertyValues.time((Instant) v));
      }
    }
    throwIfAny(errors);
    return Collections.unmodifiableMap(out);
  }

  /**
   * The properties that hold order statistics. With no orders the count is written as {@code 0} and the
   * money properties are cleared ({@code ""}); the last order time is written or cleared as the stats hold it.
   *
   * @param stats the statistics; not null
   * @return the five stats properties, sorted, unmodifiable
   */
  public Map<String, String> toProperties(CustomerStats stats) {
    Objects.requireNonNull(stats, "stats");
    Map<String, String> out = new TreeMap<>();
    out.put(totalOrdersProperty, Integer.toString(stats.totalOrders()));
    out.put(totalRevenueProperty, stats.totalRevenue() == null ? "" : stats.totalRevenue().amount().toPlainString());
    out.put(currencyProperty, stats.totalRevenue() == null ? "" : stats.totalRevenue().currency().getCurrencyCode());
    out.put(averageOrderValueProperty,
        stats.averageOrderValue() == null ? "" : stats.averageOrderValue().amount().toPlainString());
    out.put(lastOrderAtProperty, stats.lastOrderAt() == null ? "" : PropertyValues.time(stats.lastOrderAt()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * Reads a contact, shaped as HubSpot's {@code SimplePublicObject}, into a customer.
   *
   * @param tenantId the tenant; not null
   * @param id the contact id; not null
   * @param properties the contact's {@code properties}; not null; values may be {@code null} (unset)
   * @param createdAt the contact's {@code createdAt}, ISO-8601 or epoch milliseconds; when {@code null} the
   *     {@code createdate} property is used
   * @param updatedAt the contact's {@code updatedAt}; when {@code null} the {@code lastmodifieddate}
   *     property is used
   * @param archived whether the contact is archived; an archived contact is a soft-deleted customer
   * @param archivedAt the contact's {@code archivedAt}, or {@code null}; an archived contact without it
   *     gets {@code updatedAt} as its {@code deletedAt}; ignored when {@code archived} is false
   * @return the customer; unknown properties sit in its custom fields as the class documentation says
   * @throws ValidationException listing every malformed value, each named by its property (or {@code
   *     createdAt}, {@code updatedAt}, {@code archivedAt}) with the value: a time, number, count, currency,
   *     checkbox, channel, language or email HubSpot should not have sent; a missing creation or update
   *     time; stats whose revenue is present without orders or the reverse
   */
  public Customer toCustomer(String tenantId, String id, Map<String, String> properties, String createdAt,
      String updatedAt, boolean archived, String archivedAt) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(properties, "properties");
    List<FieldError> errors = new ArrayList<>();
    Map<String, String> p = new HashMap<>();
    properties.forEach((k, v) -> {
      if (k != null && !PropertyValues.absent(v)) {
        p.put(k, v);
      }
    });
    Customer.Builder b = Customer.builder().tenantId(tenantId).id(id);

    Instant createdate = PropertyValues.time(CREATEDATE, p.get(CREATEDATE), errors);
    Instant lastmodified = PropertyValues.time(LASTMODIFIEDDATE, p.get(LASTMODIFIEDDATE), errors);
    Instant created = createdAt == null ? createdate : PropertyValues.time("createdAt", createdAt, errors);
    Instant updated = updatedAt == null ? lastmodified : PropertyValues.time("updatedAt", updatedAt, errors);
    if (created == null && createdAt == null && createdate == null) {
      errors.add(new FieldError("createdAt", null, "neither createdAt nor createdate is present"));
    }
    if (updated == null && updatedAt == null && lastmodified == null) {
      errors.add(new FieldError("updatedAt", null, "neither updatedAt nor lastmodifieddate is present"));
    }
    b.createdAt(created).updatedAt(updated);
    if (archived) {
      Instant at = PropertyValues.time("archivedAt", archivedAt, errors);
      b.deletedAt(at == null ? updated : at);
    }

    b.firstName(p.get(FIRSTNAME)).lastName(p.get(LASTNAME)).company(p.get(COMPANY));
    b.email(email(p.get(EMAIL), errors));
    readPhone(p.get(PHONE), b, errors);
    b.language(language(p.get(LANGUAGE), errors));
    b.address(readAddress(p));
    b.lastContactAt(PropertyValues.time(lastContactProperty, p.get(lastContactProperty), errors));
    b.preferredChannel(readChannel(p.get(preferredChannelProperty), errors));
    b.tags(readTags(p.get(tagsProperty)));
    b.stats(readStats(p, errors));
    b.contactPreferences(readOptIns(p, errors));

    Map<String, String> custom = new TreeMap<>();
    String stage = p.get(LIFECYCLE_STAGE);
    if (stage != null) {
      Segment segment = stageToSegment.get(stage.strip().toLowerCase(Locale.ROOT));
      if (segment == null) {
        custom.put(unknownPropertyPrefix + LIFECYCLE_STAGE, stage);
      }
      b.segment(segment);
    }
    p.forEach((name, value) -> {
      String field = propertyToCustomField.get(name);
      if (field != null) {
        custom.put(field, value);
      } else if (passThroughPrefix != null && name.startsWith(passThroughPrefix)
          && name.length() > passThroughPrefix.length()) {
        custom.put(name.substring(passThroughPrefix.length()), value);
      } else if (!owned.contains(name) && !name.equals(CREATEDATE) && !name.equals(LASTMODIFIEDDATE)
          && !name.equals(OBJECT_ID)) {
        custom.put(unknownPropertyPrefix + name, value);
      }
    });
    b.customFields(custom);
    throwIfAny(errors);
    return b.build();
  }

  private static void putIfPresent(Map<String, String> out, String property, String value) {
    if (value != null) {
      out.put(property, value);
    }
  }

  private static String text(Object v) {
    return v == null ? "" : (String) v;
  }

  private String phone(String typed) {
    NormalizedPhone n = phoneNumbers.normalize(typed);
    return n.extension() == null ? n.value() : n.value() + EXTENSION_SEPARATOR + n.extension();
  }

  private static String channel(Channel c) {
    return c.name().toLowerCase(Locale.ROOT);
  }

  private static String tags(Set<String> tags, List<FieldError> errors) {
    StringBuilder s = new StringBuilder();
    for (String tag : new TreeSet<>(tags)) {
      if (tag.indexOf(TAG_SEPARATOR) >= 0) {
        errors.add(new FieldError("tags", tag,
            "a tag must not contain ';': HubSpot separates multiple-checkbox values with it"));
      }
      if (s.length() > 0) {
        s.append(TAG_SEPARATOR);
      }
      s.append(tag);
    }
    return s.toString();
  }

  private void address(Address a, Map<String, String> out) {
    out.put(ADDRESS, text(a.line1()));
    out.put(addressLine2Property, text(a.line2()));
    out.put(CITY, text(a.city()));
    out.put(STATE, text(a.region()));
    out.put(ZIP, text(a.postalCode()));
    out.put(COUNTRY, text(a.country()));
  }

  private void customFields(Map<String, String> fields, boolean replaceAll, Map<String, String> out,
      List<FieldError> errors) {
    if (replaceAll) {
      customFieldToProperty.forEach((field, property) -> {
        if (!fields.containsKey(field)) {
          out.put(property, "");
        }
      });
    }
    for (Map.Entry<String, String> e : new TreeMap<>(fields).entrySet()) {
      String name = e.getKey();
      String mapped = customFieldToProperty.get(name);
      if (mapped != null) {
        out.put(mapped, e.getValue());
      } else if (name.startsWith(unknownPropertyPrefix)) {
        String property = name.substring(unknownPropertyPrefix.length());
        if (property.equals(LIFECYCLE_STAGE) || !owned.contains(property) && PROPERTY_NAME.matcher(property).matches()) {
          out.put(property, e.getValue());
        } else {
          errors.add(new FieldError("customFields." + name, e.getValue(), owned.contains(property)
              ? "names the property '" + property + "', which this mapping writes from another customer field"
              : "'" + property + "' is not a HubSpot property name (lower-case letters, digits, '_')"));
        }
      } else if (passThroughPrefix != null && PROPERTY_NAME.matcher(name).matches()) {
        out.put(passThroughPrefix + name, e.getValue());
      } else {
        errors.add(new FieldError("customFields." + name, e.getValue(), passThroughPrefix == null
            ? "no HubSpot property is mapped to this custom field (configure customFieldProperty)"
            : "no HubSpot property is mapped to this custom field and its name is not a HubSpot property name"
                + " (lower-case letters, digits, '_') to pass through"));
      }
    }
  }

  private static String email(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return EmailAddresses.normalize(value, EMAIL);
    } catch (ValidationException e) {
      errors.addAll(e.fieldErrors());
      return null;
    }
  }

  private void readPhone(String value, Customer.Builder b, List<FieldError> errors) {
    if (value == null) {
      return;
    }
    try {
      NormalizedPhone n = phoneNumbers.normalize(value, PHONE);
      b.phone(n.value()).phoneExtension(n.extension());
    } catch (ValidationException e) {
      errors.addAll(e.fieldErrors());
    }
  }

  private static String language(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return new Locale.Builder().setLanguageTag(value.strip().replace('_', '-')).build().toLanguageTag();
    } catch (IllformedLocaleException e) {
      errors.add(new FieldError(LANGUAGE, value, "not a BCP 47 language tag such as 'en' or 'pt-br'"));
      return null;
    }
  }

  private Address readAddress(Map<String, String> p) {
    Address a = new Address(p.get(ADDRESS), p.get(addressLine2Property), p.get(CITY), p.get(STATE), p.get(ZIP),
        p.get(COUNTRY));
    return a.isEmpty() ? null : a;
  }

  private Channel readChannel(String value, List<FieldError> errors) {
    if (value == null) {
      return null;
    }
    try {
      return Channel.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError(preferredChannelProperty, value, "not a channel such as 'email' or 'whatsapp'"));
      return null;
    }
  }

  private static Set<String> readTags(String value) {
    Set<String> tags = new TreeSet<>();
    if (value != null) {
      for (String t : value.split(String.valueOf(TAG_SEPARATOR))) {
        if (!t.isBlank()) {
          tags.add(t.strip());
        }
      }
    }
    return tags;
  }

  private CustomerStats readStats(Map<String, String> p, List<FieldError> errors) {
    int before = errors.size();
    Integer orders = PropertyValues.count(totalOrdersProperty, p.get(totalOrdersProperty), errors);
    BigDecimal revenue = PropertyValues.decimal(totalRevenueProperty, p.get(totalRevenueProperty), errors);
    BigDecimal average = PropertyValues.decimal(averageOrderValueProperty, p.get(averageOrderValueProperty), errors);
    Instant lastOrder = PropertyValues.time(lastOrderAtProperty, p.get(lastOrderAtProperty), errors);
    String code = p.get(currencyProperty);
    Currency currency = null;
    if (code != null) {
      try {
        currency = Currency.getInstance(code.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        errors.add(new FieldError(currencyProperty, code, "not an ISO 4217 currency code"));
      }
    }
    if (errors.size() > before) {
      return null;
    }
    int n = orders == null ? 0 : orders;
    if ((n == 0) != (revenue == null)) {
      errors.add(new FieldError(totalRevenueProperty, p.get(totalRevenueProperty),
          "must be present exactly when " + totalOrdersProperty + " is above 0 (it is " + n + ")"));
      return null;
    }
    if (revenue == null) {
      return new CustomerStats(0, null, null, lastOrder);
    }
    if (currency == null) {
      errors.add(new FieldError(currencyProperty, null, "must be present when " + totalRevenueProperty + " is"));
      return null;
    }
    Money total = new Money(revenue, currency);
    Money avg = average == null ? CustomerStats.average(total, n) : new Money(average, currency);
    return new CustomerStats(n, total, avg, lastOrder);
  }

  private ContactPreferences readOptIns(Map<String, String> p, List<FieldError> errors) {
    Map<Channel, OptInStatus> out = new EnumMap<>(Channel.class);
    optIns.forEach((channel, o) -> {
      Boolean set = PropertyValues.bool(o.name(), p.get(o.name()), errors);
      if (set != null) {
        out.put(channel, set != o.optOut() ? OptInStatus.OPTED_IN : OptInStatus.OPTED_OUT);
      }
    });
    return new ContactPreferences(out);
  }

  private static void throwIfAny(List<FieldError> errors) {
    if (!errors.isEmpty()) {
      throw new ValidationException("hubspot", errors);
    }
  }

  /**
   * Builds {@link HubSpotContactMapping}s; not thread-safe. Starts from the defaults the class
   * documentation lists. Property names must be HubSpot internal names: a lower-case letter, then up to
   * 99 lower-case letters, digits or {@code _}.
   *
   * <p>Each setter rejects a {@code null} with a {@link NullPointerException} and a malformed name with an
   * {@link IllegalArgumentException}, both naming the setting; {@link #build()} rejects settings that
   * collide with an {@link IllegalStateException}. The provider turns these into a
   * {@link dev.crmkit.error.ConfigurationException} naming the tenant when they come from its settings.
   */
  public static final class Builder {
    private PhoneNumbers phoneNumbers = PhoneNumbers.forRegion("US");
    private final Map<String, Segment> stageToSegment = new LinkedHashMap<>();
    private final Map<Segment, String> segmentToStage = new EnumMap<>(Segment.class);
    private String lastContactProperty = "notes_last_contacted";
    private String addressLine2Property = "crmkit_address_line2";
    private String preferredChannelProperty = "crmkit_preferred_channel";
    private String tagsProperty = "crmkit_tags";
    private String totalOrdersProperty = "crmkit_total_orders";
    private String totalRevenueProperty = "crmkit_total_revenue";
    private String currencyProperty = "crmkit_currency";
    private String averageOrderValueProperty = "crmkit_average_order_value";
    private String lastOrderAtProperty = "crmkit_last_order_at";
    private final Map<Channel, OptInProperty> optIns = new EnumMap<>(Channel.class);
    private final Map<String, String> customFields = new LinkedHashMap<>();
    private String passThroughPrefix;
    private String unknownPropertyPrefix = "hubspot.";

    private Builder() {
      for (String stage : List.of("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead",
          "opportunity")) {
        stageToSegment.put(stage, Segment.PROSPECT);
      }
      stageToSegment.put("customer", Segment.STANDARD);
      stageToSegment.put("evangelist", Segment.VIP);
      segmentToStage.put(Segment.PROSPECT, "lead");
      segmentToStage.put(Segment.STANDARD, "customer");
      segmentToStage.put(Segment.ACTIVE, "customer");
      segmentToStage.put(Segment.VIP, "evangelist");
      for (Channel c : Channel.values()) {
        optIns.put(c, c == Channel.EMAIL
            ? new OptInProperty("hs_email_optout", true)
            : new OptInProperty("crmkit_optin_" + c.name().toLowerCase(Locale.ROOT), false));
      }
    }

    /**
     * Parses phones on write and read. Default: {@code PhoneNumbers.forRegion("US")}, HubSpot's own
     * default; set the tenant's region.
     */
    public Builder phoneNumbers(PhoneNumbers v) {
      phoneNumbers = Objects.requireNonNull(v, "phoneNumbers");
      return this;
    }

    /**
     * Reads lifecycle stage {@code stage} (any case; a default or custom stage id) as {@code segment},
     * replacing the default for that stage.
     */
    public Builder readStage(String stage, Segment segment) {
      Objects.requireNonNull(segment, "segment");
      stageToSegment.put(stageName(stage, "readStage"), segment);
      return this;
    }

    /** Writes {@code segment} as lifecycle stage {@code stage}, replacing the default for that segment. */
    public Builder writeStage(Segment segment, String stage) {
      Objects.requireNonNull(segment, "segment");
      segmentToStage.put(segment, stageName(stage, "writeStage"));
      return this;
    }

    /** The property for lastContactAt. Default {@code notes_last_contacted}. */
    public Builder lastContactProperty(String v) {
      lastContactProperty = property(v, "lastContactProperty");
      return this;
    }

    /** The property for the address's second line. Default {@code crmkit_address_line2}. */
    public Builder addressLine2Property(String v) {
      addressLine2Property = property(v, "addressLine2Property");
      return this;
    }

    /** The property for preferredChannel. Default {@code crmkit_preferred_channel}. */
    public Builder preferredChannelProperty(String v) {
      preferredChannelProperty = property(v, "preferredChannelProperty");
      return this;
    }

    /** The multiple-checkbox property for tags. Default {@code crmkit_tags}. */
    public Builder tagsProperty(String v) {
      tagsProperty = property(v, "tagsProperty");
      return this;
    }

    /**
     * The five stats properties: order count, total revenue, currency of both amounts, average order
     * value, last order time. Defaults {@code crmkit_total_orders}, {@code crmkit_total_revenue}, {@code
     * crmkit_currency}, {@code crmkit_average_order_value}, {@code crmkit_last_order_at}. For a host whose
     * HubSpot account already keeps order stats in properties of its own (from a shop integration, say),
     * so that {@link HubSpotContactMapping#toProperties(CustomerStats)} writes there.
     *
     * @return this builder
     * @throws NullPointerException naming the first {@code null} property
     * @throws IllegalArgumentException naming the first property that is not a HubSpot internal name
     */
    public Builder statsProperties(String totalOrders, String totalRevenue, String currency,
        String averageOrderValue, String lastOrderAt) {
      totalOrdersProperty = property(totalOrders, "totalOrders");
      totalRevenueProperty = property(totalRevenue, "totalRevenue");
      currencyProperty = property(currency, "currency");
      averageOrderValueProperty = property(averageOrderValue, "averageOrderValue");
      lastOrderAtProperty = property(lastOrderAt, "lastOrderAt");
      return this;
    }

    /**
     * The checkbox property for a channel's opt-in: {@code true} means opted in, or, with {@code
     * optOut}, opted out. Defaults: {@code hs_email_optout} (opt-out) for email, {@code
     * crmkit_optin_<channel>} for the others. For a host whose account already records consent in a
     * property of its own, such as an SMS opt-out checkbox.
     *
     * @return this builder
     * @throws NullPointerException naming {@code channel} or {@code optInProperty} when {@code null}
     * @throws IllegalArgumentException naming {@code optInProperty} when it is not a HubSpot internal name
     */
    public Builder optInProperty(Channel channel, String property, boolean optOut) {
      Objects.requireNonNull(channel, "channel");
      optIns.put(channel, new OptInProperty(property(property, "optInProperty"), optOut));
      return this;
    }

    /** Maps a custom field to a custom property. No custom field is mapped by default. */
    public Builder customFieldProperty(String customField, String property) {
      Objects.requireNonNull(customField, "customField");
      if (!CUSTOM_FIELD_NAME.matcher(customField).matches()) {
        throw new IllegalArgumentException("customField must be a custom field name (a letter, then up to 63 "
            + "letters, digits, '_', '.' or '-'): '" + customField + "'");
      }
      customFields.put(customField, property(property, "customFieldProperty"));
      return this;
    }

    /**
     * Writes unmapped custom fields to {@code prefix + name} and reads such properties back; {@code null}
     * (the default) rejects unmapped custom fields instead. The prefix must itself start a valid property
     * name, such as {@code crmkit_cf_}.
     */
    public Builder passThroughPrefix(String prefix) {
      if (prefix != null && !PROPERTY_NAME.matcher(prefix + "x").matches()) {
        throw new IllegalArgumentException("passThroughPrefix must start a HubSpot property name (lower-case "
            + "letters, digits, '_'): '" + prefix + "'");
      }
      passThroughPrefix = prefix;
      return this;
    }

    /**
     * The prefix of the custom fields that hold properties this mapping does not know, and of those written
     * verbatim. Default {@code hubspot.}; it must not be empty, so such fields never collide with the
     * host's own, and must be a valid custom field name start.
     */
    public Builder unknownPropertyPrefix(String prefix) {
      if (prefix == null || prefix.isEmpty() || !CUSTOM_FIELD_NAME.matcher(prefix).matches()) {
        throw new IllegalArgumentException("unknownPropertyPrefix must be non-empty, start with a letter and hold "
            + "only letters, digits, '_', '.' or '-': '" + prefix + "'");
      }
      unknownPropertyPrefix = prefix;
      return this;
    }

    /**
     * Builds the mapping.
     *
     * @throws IllegalStateException when two customer parts map to the same property, or a custom
     *     field's name starts with the unknown-property prefix
     */
    public HubSpotContactMapping build() {
      Map<String, String> claims = new HashMap<>();
      for (String standard : List.of(FIRSTNAME, LASTNAME, EMAIL, PHONE, COMPANY, ADDRESS, CITY, STATE, ZIP,
          COUNTRY, LANGUAGE, LIFECYCLE_STAGE, CREATEDATE, LASTMODIFIEDDATE, OBJECT_ID)) {
        claims.put(standard, "the standard property");
      }
      claim(claims, lastContactProperty, "lastContactProperty");
      claim(claims, addressLine2Property, "addressLine2Property");
      claim(claims, preferredChannelProperty, "preferredChannelProperty");
      claim(claims, tagsProperty, "tagsProperty");
      claim(claims, totalOrdersProperty, "totalOrders");
      claim(claims, totalRevenueProperty, "totalRevenue");
      claim(claims, currencyProperty, "currency");
      claim(claims, averageOrderValueProperty, "averageOrderValue");
      claim(claims, lastOrderAtProperty, "lastOrderAt");
      optIns.forEach((c, o) -> claim(claims, o.name(), "optInProperty for " + c));
      customFields.forEach((field, property) -> {
        if (field.startsWith(unknownPropertyPrefix)) {
          throw new IllegalStateException("customFieldProperty: '" + field
              + "' starts with the unknown-property prefix '" + unknownPropertyPrefix + "'");
        }
        claim(claims, property, "customFieldProperty for " + field);
      });
      return new HubSpotContactMapping(this);
    }

    private static void claim(Map<String, String> claims, String property, String by) {
      String earlier = claims.putIfAbsent(property, by);
      if (earlier != null) {
        throw new IllegalStateException(by + ": property '" + property + "' is already used by " + earlier);
      }
    }

    private static String property(String v, String setting) {
      Objects.requireNonNull(v, setting);
      if (!PROPERTY_NAME.matcher(v).matches()) {
        throw new IllegalArgumentException(setting + " must be a HubSpot property internal name (a lower-case letter, "
            + "then lower-case letters, digits, '_'): '" + v + "'");
      }
      return v;
    }

    private static String stageName(String v, String setting) {
      Objects.requireNonNull(v, setting);
      if (v.isBlank()) {
        throw new IllegalArgumentException(setting + " must be a lifecycle stage, not blank: '" + v + "'");
      }
      return v.strip().toLowerCase(Locale.ROOT);
    }
  }
}
