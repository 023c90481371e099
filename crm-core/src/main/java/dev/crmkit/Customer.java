package dev.crmkit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A customer as one back end stores it. Immutable; collections are unmodifiable and sorted.
 *
 * <p>Nullability: {@code id}, {@code tenantId}, {@code segment}, {@code tags}, {@code stats},
 * {@code contactPreferences}, {@code customFields}, {@code createdAt} and {@code updatedAt} are never
 * null; every other component is {@code null} when unknown.
 *
 * @param id the back end's id (for the native store a UUID string; for HubSpot the contact id)
 * @param tenantId the host's tenant that owns the record
 * @param firstName given name
 * @param lastName family name
 * @param email normalized email: trimmed and lower-cased (see {@code dev.crmkit.identity.EmailAddresses})
 * @param phone E.164 (such as {@code +14155550100}) when the number could be parsed for the tenant's
 *     default region, otherwise the number as typed (see {@code dev.crmkit.identity.PhoneNumbers})
 * @param phoneExtension the extension dialled after the number, digits only
 * @param company company or organization name
 * @param preferredChannel channel the customer prefers to be reached on
 * @param language BCP 47 language tag such as {@code en} or {@code pt-BR}
 * @param segment lifecycle segment; {@link Segment#PROSPECT} until the first order
 * @param tags free-form labels, such as a lead's source or {@code auto-created}
 * @param stats order statistics
 * @param address postal address
 * @param contactPreferences opt-in per channel
 * @param customFields host-defined fields, name to value
 * @param createdAt when the record was created
 * @param updatedAt when the record was last written
 * @param lastContactAt when the customer last interacted with the host
 * @param deletedAt when the record was soft-deleted; {@code null} for a live record
 */
public record Customer(
    String id,
    String tenantId,
    String firstName,
    String lastName,
    String email,
    String phone,
    String phoneExtension,
    String company,
    Channel preferredChannel,
    String language,
    Segment segment,
    Set<String> tags,
    CustomerStats stats,
    Address address,
    ContactPreferences contactPreferences,
    Map<String, String> customFields,
    Instant createdAt,
    Instant updatedAt,
    Instant lastContactAt,
    Instant deletedAt) {

  public Customer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    segment = segment == null ? Segment.PROSPECT : segment;
    tags = tags == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(tags));
    stats = stats == null ? CustomerStats.NONE : stats;
    contactPreferences = contactPreferences == null ? ContactPreferences.UNKNOWN : contactPreferences;
    customFields = customFields == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(customFields));
  }

  /** True when the record is soft-deleted. */
  public boolean isDeleted() {
    return deletedAt != null;
  }

  /** First and last name joined by a space, or whichever is known; {@code null} when neither is. */
  public String fullName() {
    if (firstName == null) {
      return lastName;
    }
    return lastName == null ? firstName : firstName + " " + lastName;
  }

  /**
   * The current value of a writable field, in the shape {@link CustomerUpdate} takes: {@link CustomerField#PHONE}
   * is the number with its extension as {@code "+14155550100 x12"}; collections are the record's own.
   */
  public Object get(CustomerField field) {
    return switch (field) {
      case FIRST_NAME -> firstName;
      case LAST_NAME -> lastName;
      case EMAIL -> email;
      case PHONE -> phone == null ? null : phoneExtension == null ? phone : phone + " x" + phoneExtension;
      case COMPANY -> company;
      case PREFERRED_CHANNEL -> preferredChannel;
      case LANGUAGE -> language;
      case SEGMENT -> segment;
      case TAGS -> tags;
      case ADDRESS -> address;
      case CONTACT_PREFERENCES -> contactPreferences;
      case CUSTOM_FIELDS -> customFields;
      case LAST_CONTACT_AT -> lastContactAt;
    };
  }

  /**
   * This customer as the survivor of a merge with {@code merged}, by {@link CustomerSystem#merge}'s rule:
   * it keeps its values and takes {@code merged}'s for the fields it lacks (the later
   * {@code lastContactAt}); tags and custom fields are united (its own values win); opt-ins it lacks are
   * taken from {@code merged}. Id, tenant, segment, stats and timestamps other than {@code lastContactAt}
   * are its own.
   *
   * @param merged the customer merged away; not null
   * @return the merged record
   */
  public Customer absorbing(Customer merged) {
    Objects.requireNonNull(merged, "merged");
    Builder b = toBuilder();
    if (firstName == null) {
      b.firstName(merged.firstName);
    }
    if (lastName == null) {
      b.lastName(merged.lastName);
    }
    if (email == null) {
      b.email(merged.email);
    }
    if (phone == null) {
      b.phone(merged.phone).phoneExtension(merged.phoneExtension);
    }
    if (company == null) {
      b.company(merged.company);
    }
    if (preferredChannel == null) {
      b.preferredChannel(merged.preferredChannel);
    }
    if (language == null) {
      b.language(merged.language);
    }
    if (address == null) {
      b.address(merged.address);
    }
    if (merged.lastContactAt != null && (lastContactAt == null || merged.lastContactAt.isAfter(lastContactAt))) {
      b.lastContactAt(merged.lastContactAt);
    }
    Set<String> unitedTags = new TreeSet<>(merged.tags);
    unitedTags.addAll(tags);
    Map<String, String> unitedFields = new TreeMap<>(merged.customFields);
    unitedFields.putAll(customFields);
    ContactPreferences prefs = merged.contactPreferences;
    for (Map.Entry<Channel, OptInStatus> e : contactPreferences.optIns().entrySet()) {
      prefs = prefs.with(e.getKey(), e.getValue());
    }
    return b.tags(unitedTags).customFields(unitedFields).contactPreferences(prefs).build();
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** A builder for a record; {@code id}, {@code tenantId}, {@code createdAt} and {@code updatedAt} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link Customer} records; not thread-safe. */
  public static final class Builder {
    private String id;
    private String tenantId;
    private String firstName;
    private String lastName;
    private String email;
    private String phone;
    private String phoneExtension;
    private String company;
    private Channel preferredChannel;
    private String language;
    private Segment segment;
    private Set<String> tags;
    private CustomerStats stats;
    private Address address;
    private ContactPreferences contactPreferences;
    private Map<String, String> customFields;
    private Instant createdAt;
    private Instant updatedAt;
    private Instant lastContactAt;
    private Instant deletedAt;

    private Builder() {}

    private Builder(Customer c) {
      id = c.id;
      tenantId = c.tenantId;
      firstName = c.firstName;
      lastName = c.lastName;
      email = c.email;
      phone = c.phone;
      phoneExtension = c.phoneExtension;
      company = c.company;
      preferredChannel = c.preferredChannel;
      language = c.language;
      segment = c.segment;
      tags = c.tags;
      stats = c.stats;
      address = c.address;
      contactPreferences = c.contactPreferences;
      customFields = c.customFields;
      createdAt = c.createdAt;
      updatedAt = c.updatedAt;
      lastContactAt = c.lastContactAt;
      deletedAt = c.deletedAt;
    }

    public Builder id(String v) { id = v; return this; }
    public Builder tenantId(String v) { tenantId = v; return this; }
    public Builder firstName(String v) { firstName = v; return this; }
    public Builder lastName(String v) { lastName = v; return this; }
    public Builder email(String v) { email = v; return this; }
    public Builder phone(String v) { phone = v; return this; }
    public Builder phoneExtension(String v) { phoneExtension = v; return this; }
    public Builder company(String v) { company = v; return this; }
    public Builder preferredChannel(Channel v) { preferredChannel = v; return this; }
    public Builder language(String v) { language = v; return this; }
    public Builder segment(Segment v) { segment = v; return this; }
    public Builder tags(Set<String> v) { tags = v; return this; }
    public Builder stats(CustomerStats v) { stats = v; return this; }
    public Builder address(Address v) { address = v; return this; }
    public Builder contactPreferences(ContactPreferences v) { contactPreferences = v; return this; }
    public Builder customFields(Map<String, String> v) { customFields = v; return this; }
    public Builder createdAt(Instant v) { createdAt = v; return this; }
    public Builder updatedAt(Instant v) { updatedAt = v; return this; }
    public Builder lastContactAt(Instant v) { lastContactAt = v; return this; }
    public Builder deletedAt(Instant v) { deletedAt = v; return this; }

    /** @throws NullPointerException naming the first missing required component */
    public Customer build() {
      return new Customer(id, tenantId, firstName, lastName, email, phone, phoneExtension, company,
          preferredChannel, language, segment, tags, stats, address, contactPreferences, customFields,
          createdAt, updatedAt, lastContactAt, deletedAt);
    }
  }
}
