package dev.crmkit.salesforce.internal;

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
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Customer fields to and from a Contact's or a Lead's fields. Company is written by the caller (a
 * Contact's {@code AccountId}, a Lead's {@code Company}); everything else is here. Immutable.
 *
 * <p>Values with no place in Salesforce are rejected, never dropped: tags, a language or last contact
 * time without the field its setting names, a creation time unless the org lets the API user set
 * {@code CreatedDate} on create, a preferred channel outside the picklist, and custom fields without a
 * {@code customField.<name>} setting. Salesforce requires a Contact's and a Lead's {@code LastName}
 * (and a Lead's {@code Company}): a customer without one is written with {@link #NOT_PROVIDED}, which
 * reads back as {@code null}.
 */
public final class ContactMapping {
  /** The placeholder of a required name or company the customer does not have (Salesforce's Web-to-Lead uses it too). */
  public static final String NOT_PROVIDED = "[not provided]";
  /** The segment field. */
  public static final String SEGMENT = "Customer_Segment__c";
  /** The total orders field. */
  public static final String TOTAL_ORDERS = "Total_Orders__c";
  /** The total revenue field. */
  public static final String TOTAL_REVENUE = "Total_Revenue__c";
  /** The preferred channel picklist. */
  public static final String PREFERRED_CHANNEL = "Preferred_Channel__c";
  /** Opt-in checkbox per channel. */
  public static final Map<Channel, String> OPT_IN_FIELDS = Map.of(Channel.EMAIL, "Email_Opt_In__c",
      Channel.SMS, "SMS_Opt_In__c", Channel.WHATSAPP, "WhatsApp_Opt_In__c", Channel.PHONE, "Phone_Opt_In__c");
  private static final Map<Channel, String> CHANNEL_VALUES = Map.of(Channel.EMAIL, "Email", Channel.SMS, "SMS",
      Channel.WHATSAPP, "WhatsApp", Channel.PHONE, "Phone");
  private static final DateTimeFormatter SF_DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXX");

  private final String object;
  private final boolean lead;
  private final String addressPrefix;
  private final Map<String, String> customFields;
  private final PhoneNumbers phones;
  private final String currency;
  private final String languageField;
  private final String lastContactAtField;
  private final boolean auditFields;

  /**
   * @param object {@code Contact} or {@code Lead}
   * @param customFields crmkit custom field name to Salesforce API name
   * @param phones the tenant's phone normalization
   * @param currency ISO code of the org's currency, for revenue
   * @param languageField API name of the text field holding the language, or {@code null} for none
   * @param lastContactAtField API name of the date-time field holding the last contact, or {@code null} for none
   * @param auditFields whether the API user may set {@code CreatedDate} on create ("Set Audit Fields upon
   *     Record Creation")
   */
  public ContactMapping(String object, Map<String, String> customFields, PhoneNumbers phones, String currency,
      String languageField, String lastContactAtField, boolean auditFields) {
    this.object = object;
    this.languageField = languageField;
    this.lastContactAtField = lastContactAtField;
    this.auditFields = auditFields;
    this.lead = object.equals("Lead");
    this.addressPrefix = lead ? "" : "Mailing";
    this.customFields = Map.copyOf(customFields);
    this.phones = phones;
    this.currency = currency;
  }

  /** {@code Contact} or {@code Lead}. */
  public String object() {
    return object;
  }

  /** True when the API user may set {@code CreatedDate} on create (the {@code auditFields} setting). */
  public boolean auditFields() {
    return auditFields;
  }

  /** True when a field holds the last contact time ({@code lastContactAtField}). */
  public boolean holdsLastContactAt() {
    return lastContactAtField != null;
  }

  /** True when customers are Leads. */
  public boolean isLead() {
    return lead;
  }

  /** @return the API name the setting {@code customField.<name>} maps the crmkit custom field {@code name} to, if any */
  public Optional<String> customFieldApiName(String name) {
    return Optional.ofNullable(customFields.get(name));
  }

  /** Every custom field (API name) the mapping reads or writes: checked against describe before use. */
  public Set<String> customFieldNames() {
    Set<String> names = new LinkedHashSet<>(List.of(SEGMENT, TOTAL_ORDERS, TOTAL_REVENUE, PREFERRED_CHANNEL));
    names.addAll(new TreeMap<>(OPT_IN_FIELDS).values());
    names.addAll(new TreeMap<>(customFields).values());
    if (languageField != null) {
      names.add(languageField);
    }
    if (lastContactAtField != null) {
      names.add(lastContactAtField);
    }
    return names;
  }

  /** The field list of a SOQL SELECT reading customers. */
  public String selectList() {
    List<String> fields = new ArrayList<>(List.of("Id", "FirstName", "LastName", "Email", "Phone",
        addressPrefix + "Street", addressPrefix + "City", addressPrefix + "State", addressPrefix + "PostalCode",
        addressPrefix + "Country", lead ? "Company" : "AccountId", "CreatedDate", "LastModifiedDate",
        "SystemModstamp", "IsDeleted", "MasterRecordId"));
    fields.addAll(customFieldNames());
    return String.join(", ", fields);
  }

  /** The phone as written and matched: E.164 (with {@code x} and the extension) when it parses. */
  public NormalizedPhone phone(String raw) {
    return phones.normalize(raw, "phone");
  }

  /**
   * The fields of a new record, company excepted.
   *
   * @throws ValidationException listing every value that cannot be stored
   */
  public Map<String, Object> toFields(CustomerDraft d) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("FirstName", d.firstName());
    f.put("LastName", d.lastName() == null ? NOT_PROVIDED : d.lastName());
    f.put("Email", d.email());
    f.put("Phone", phoneValue(d.phone(), errors));
    if (d.address() != null) {
      putAddress(f, d.address());
    }
    f.put(SEGMENT, (d.segment() == null ? Segment.PROSPECT : d.segment()).name());
    putChannel(f, d.preferredChannel(), errors);
    putOptIns(f, d.contactPreferences(), errors);
    putCustomFields(f, d.customFields(), errors);
    unsupported(errors, "tags", d.tags().isEmpty() ? null : d.tags().toString());
    putLanguage(f, d.language(), errors);
    putLastContactAt(f, d.lastContactAt(), errors);
    if (d.createdAt() != null) {
      if (auditFields) {
        f.put("CreatedDate", dateTime(d.createdAt()));
      } else {
        errors.add(new FieldError("createdAt", d.createdAt().toString(), "CreatedDate is read-only unless the API user "
            + "may set audit fields on create: turn on Set Audit Fields upon Record Creation and the setting auditFields"));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(SalesforceApi.PROVIDER, errors);
    }
    f.values().removeIf(v -> v == null);
    return f;
  }

  /**
   * The fields an update writes ({@code null} clears), company excepted.
   *
   * @throws ValidationException listing every value that cannot be stored
   */
  public Map<String, Object> toFields(CustomerUpdate u) {
    List<FieldError> errors = new ArrayList<>();
    Map<String, Object> f = new LinkedHashMap<>();
    for (CustomerField field : u.fields()) {
      Object v = u.valueOf(field);
      switch (field) {
        case FIRST_NAME -> f.put("FirstName", v);
        case LAST_NAME -> f.put("LastName", v == null ? NOT_PROVIDED : v);
        case EMAIL -> f.put("Email", v);
        case PHONE -> f.put("Phone", phoneValue((String) v, errors));
        case ADDRESS -> putAddress(f, v == null ? new Address(null, null, null, null, null, null) : (Address) v);
        case SEGMENT -> f.put(SEGMENT, (v == null ? Segment.PROSPECT : (Segment) v).name());
        case PREFERRED_CHANNEL -> putChannel(f, (Channel) v, errors);
        case CONTACT_PREFERENCES -> putOptIns(f, (ContactPreferences) v, errors);
        case CUSTOM_FIELDS -> putCustomFields(f, castMap(v), errors);
        case COMPANY -> { } // written by the caller
        case TAGS -> unsupported(errors, "tags", v == null || ((Set<?>) v).isEmpty() ? null : v.toString());
        case LANGUAGE -> putLanguage(f, (String) v, errors);
        case LAST_CONTACT_AT -> putLastContactAt(f, (Instant) v, errors);
        default -> unsupported(errors, field.apiName(), String.valueOf(v));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(SalesforceApi.PROVIDER, errors);
    }
    return f;
  }

  /**
   * A record read by SOQL as a customer.
   *
   * @param company the company name (a Contact's Account name), or {@code null}
   */
  public Customer toCustomer(String tenantId, Map<String, Object> r, String company) {
    Instant updated = instant(r.get("LastModifiedDate"));
    Customer.Builder b = Customer.builder()
        .id(text(r.get("Id")))
        .tenantId(tenantId)
        .firstName(text(r.get("FirstName")))
        .lastName(placeholderless(text(r.get("LastName"))))
        .email(text(r.get("Email")) == null ? null : text(r.get("Email")).toLowerCase(Locale.ROOT))
        .company(lead ? placeholderless(text(r.get("Company"))) : company)
        .segment(segment(text(r.get(SEGMENT))))
        .preferredChannel(channel(text(r.get(PREFERRED_CHANNEL))))
        .createdAt(instant(r.get("CreatedDate")))
        .language(languageField == null ? null : text(r.get(languageField)))
        .lastContactAt(lastContactAtField == null ? null : instant(r.get(lastContactAtField)))
        .updatedAt(updated)
        .deletedAt(Boolean.TRUE.equals(r.get("IsDeleted")) ? updated : null);
    String phone = text(r.get("Phone"));
    if (phone != null) {
      NormalizedPhone p = phones.normalize(phone);
      b.phone(p.value()).phoneExtension(p.extension());
    }
    String[] street = splitStreet(text(r.get(addressPrefix + "Street")));
    Address address = new Address(street[0], street[1], text(r.get(addressPrefix + "City")),
        text(r.get(addressPrefix + "State")), text(r.get(addressPrefix + "PostalCode")),
        text(r.get(addressPrefix + "Country")));
    b.address(address.isEmpty() ? null : address);
    Map<Channel, OptInStatus> optIns = new EnumMap<>(Channel.class);
    OPT_IN_FIELDS.forEach((channel, field) -> {
      if (Boolean.TRUE.equals(r.get(field))) {
        optIns.put(channel, OptInStatus.OPTED_IN);
      }
    });
    b.contactPreferences(new ContactPreferences(optIns));
    int orders = r.get(TOTAL_ORDERS) instanceof Number n ? n.intValue() : 0;
    if (orders > 0 || r.get(TOTAL_REVENUE) instanceof Number) {
      Money revenue = r.get(TOTAL_REVENUE) instanceof Number n
          ? new Money(new BigDecimal(n.toString()), Money.currency(currency)) : Money.zero(Money.currency(currency));
      b.stats(new CustomerStats(orders, revenue, CustomerStats.average(revenue, orders), null));
    }
    Map<String, String> custom = new TreeMap<>();
    customFields.forEach((name, api) -> {
      Object v = r.get(api);
      if (v != null) {
        custom.put(name, v.toString());
      }
    });
    b.customFields(custom);
    return b.build();
  }

  /** The instant as a Salesforce date-time value, UTC with milliseconds: {@code 2024-01-31T10:00:00.000Z}. */
  public static String dateTime(Instant at) {
    return DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
  }

  private void putLanguage(Map<String, Object> f, String language, List<FieldError> errors) {
    if (languageField != null) {
      f.put(languageField, language);
    } else if (language != null) {
      errors.add(new FieldError("language", cut(language),
          "no Salesforce field holds the language: add the setting languageField=<API name of a text field>"));
    }
  }

  private void putLastContactAt(Map<String, Object> f, Instant at, List<FieldError> errors) {
    if (lastContactAtField != null) {
      f.put(lastContactAtField, at == null ? null : dateTime(at));
    } else if (at != null) {
      errors.add(new FieldError("lastContactAt", at.toString(),
          "no Salesforce field holds the last contact time: add the setting lastContactAtField=<API name of a "
              + "Date/Time field>"));
    }
  }

  /** A Salesforce date-time ({@code 2024-01-31T10:00:00.000+0000}) as an instant; {@code null} stays null. */
  public static Instant instant(Object value) {
    if (!(value instanceof String s) || s.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s, SF_DATE_TIME).toInstant();
    } catch (RuntimeException e) {
      return OffsetDateTime.parse(s).toInstant();
    }
  }

  private String phoneValue(String raw, List<FieldError> errors) {
    if (raw == null) {
      return null;
    }
    try {
      NormalizedPhone p = phones.normalize(raw, "phone");
      return p.withExtension();
    } catch (ValidationException e) {
      errors.addAll(e.fieldErrors());
      return null;
    }
  }

  private void putAddress(Map<String, Object> f, Address a) {
    String street = a.line1() == null ? a.line2() : a.line2() == null ? a.line1() : a.line1() + "\n" + a.line2();
    f.put(addressPrefix + "Street", street);
    f.put(addressPrefix + "City", a.city());
    f.put(addressPrefix + "State", a.region());
    f.put(addressPrefix + "PostalCode", a.postalCode());
    f.put(addressPrefix + "Country", a.country());
  }

  private static void putChannel(Map<String, Object> f, Channel channel, List<FieldError> errors) {
    if (channel != null && !CHANNEL_VALUES.containsKey(channel)) {
      errors.add(new FieldError("preferredChannel", channel.name(),
          "Salesforce's " + PREFERRED_CHANNEL + " holds only EMAIL, SMS, WHATSAPP or PHONE"));
      return;
    }
    f.put(PREFERRED_CHANNEL, channel == null ? null : CHANNEL_VALUES.get(channel));
  }

  private static void putOptIns(Map<String, Object> f, ContactPreferences prefs, List<FieldError> errors) {
    if (prefs == null) {
      OPT_IN_FIELDS.values().forEach(field -> f.put(field, false));
      return;
    }
    prefs.optIns().forEach((channel, status) -> {
      String field = OPT_IN_FIELDS.get(channel);
      if (field == null) {
        errors.add(new FieldError("contactPreferences", channel.name(),
            "Salesforce has opt-in checkboxes for EMAIL, SMS, WHATSAPP and PHONE only"));
      } else {
        f.put(field, status == OptInStatus.OPTED_IN);
      }
    });
  }

  private void putCustomFields(Map<String, Object> f, Map<String, String> values, List<FieldError> errors) {
    values.forEach((name, value) -> {
      String api = customFields.get(name);
      if (api == null) {
        errors.add(new FieldError("customFields." + name, cut(value),
            "no Salesforce field is mapped to it: add the setting customField." + name + "=<API name>"));
      } else {
        f.put(api, value);
      }
    });
  }

  private static void unsupported(List<FieldError> errors, String field, String value) {
    if (value != null) {
      errors.add(new FieldError(field, cut(value), "the Salesforce provider has no field to store it in"));
    }
  }

  private static String cut(String value) {
    return value == null || value.length() <= 64 ? value : value.substring(0, 64) + "...";
  }

  private static String[] splitStreet(String street) {
    if (street == null) {
      return new String[] {null, null};
    }
    int nl = street.indexOf('\n');
    return nl < 0 ? new String[] {street, null} : new String[] {street.substring(0, nl), street.substring(nl + 1)};
  }

  private static Segment segment(String value) {
    if (value == null) {
      return Segment.PROSPECT;
    }
    try {
      return Segment.valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return Segment.PROSPECT;
    }
  }

  private static Channel channel(String value) {
    if (value == null) {
      return null;
    }
    return CHANNEL_VALUES.entrySet().stream().filter(e -> e.getValue().equalsIgnoreCase(value)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
  }

  private static String placeholderless(String value) {
    return NOT_PROVIDED.equals(value) ? null : value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> castMap(Object v) {
    return v == null ? Map.of() : (Map<String, String>) v;
  }

  private static String text(Object o) {
    return o instanceof String s && !s.isEmpty() ? s : null;
  }
}
