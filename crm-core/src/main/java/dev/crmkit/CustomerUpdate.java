package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A patch to a customer: for each {@link CustomerField} it sets a value, clears it, or leaves it
 * alone. Immutable. Built with {@link #builder()}; each setter given {@code null} clears the field
 * (tags, custom fields and contact preferences clear to empty, segment to {@link Segment#PROSPECT}).
 *
 * <p>Values are validated and normalized like {@link CustomerDraft}'s when built, with the same
 * limits (see there): names, company and address parts at most 255 characters, tags 100, custom field
 * values 65,536, no {@code U+0000} or unpaired surrogate, times in years 0001 to 9999. The native
 * store and the memory provider check the customer an update produces against the same limits (an
 * update from {@link #between} skips the builder), and reject a {@code lastContactAt} more than one
 * day ahead of their clock. The phone is kept as typed and normalized by {@link #applyTo}.
 */
public final class CustomerUpdate {
  private static final Object CLEAR = new Object();
  private final Map<CustomerField, Object> changes;

  private CustomerUpdate(Map<CustomerField, Object> changes) {
    this.changes = Collections.unmodifiableMap(new EnumMap<>(changes));
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The update that turns {@code from} into {@code to} on the writable fields: every field whose
   * values differ is set (or cleared) to {@code to}'s value.
   */
  public static CustomerUpdate between(Customer from, Customer to) {
    Builder b = new Builder();
    for (CustomerField f : CustomerField.values()) {
      Object target = to.get(f);
      if (!Objects.equals(from.get(f), target)) {
        b.changes.put(f, target == null ? CLEAR : target);
      }
    }
    return new CustomerUpdate(b.changes);
  }

  /**
   * The update an {@linkplain CustomerSystem#upsert upsert} applies to the customer a draft matched: each
   * non-null value of the draft is set; a {@code null} or empty address, opt-ins left unknown, no tags and no
   * custom fields leave the stored values; tags and custom fields are added to {@code current}'s (a draft's
   * custom field replaces the stored value of the same name). Providers implementing upsert one customer at a
   * time use it so they all follow the SPI's rule.
   *
   * @param current the matched customer; not {@code null}
   * @param draft the draft that matched it; not {@code null}
   * @return the update; {@link #isEmpty()} when the draft adds nothing
   */
  public static CustomerUpdate upsertOf(Customer current, CustomerDraft draft) {
    Objects.requireNonNull(current, "current");
    Objects.requireNonNull(draft, "draft");
    Builder u = new Builder();
    if (draft.firstName() != null) {
      u.firstName(draft.firstName());
    }
    if (draft.lastName() != null) {
      u.lastName(draft.lastName());
    }
    if (draft.email() != null) {
      u.email(draft.email());
    }
    if (draft.phone() != null) {
      u.phone(draft.phone());
    }
    if (draft.company() != null) {
      u.company(draft.company());
    }
    if (draft.preferredChannel() != null) {
      u.preferredChannel(draft.preferredChannel());
    }
    if (draft.language() != null) {
      u.language(draft.language());
    }
    if (draft.segment() != null) {
      u.segment(draft.segment());
    }
    if (draft.lastContactAt() != null) {
      u.lastContactAt(draft.lastContactAt());
    }
    if (draft.address() != null && !draft.address().isEmpty()) {
      u.address(draft.address());
    }
    if (!draft.contactPreferences().optIns().isEmpty()) {
      u.contactPreferences(draft.contactPreferences());
    }
    if (!draft.tags().isEmpty()) {
      Set<String> tags = new java.util.TreeSet<>(current.tags());
      tags.addAll(draft.tags());
      u.tags(tags);
    }
    if (!draft.customFields().isEmpty()) {
      Map<String, String> fields = new java.util.TreeMap<>(current.customFields());
      fields.putAll(draft.customFields());
      u.customFields(fields);
    }
    return u.build();
  }


  /** The fields this update touches (set or cleared). */
  public Set<CustomerField> fields() {
    return changes.keySet();
  }

  /** True when the update touches no field. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /** True when the update sets or clears the field. */
  public boolean touches(CustomerField field) {
    return changes.containsKey(field);
  }

  /**
   * The new value of a touched field in the shape {@link Customer#get} returns; {@code null} when the
   * update clears it or does not touch it (check {@link #touches}).
   */
  public Object valueOf(CustomerField field) {
    Object v = changes.get(field);
    return v == CLEAR ? null : v;
  }

  /** A copy without one field. */
  public CustomerUpdate without(CustomerField field) {
    EnumMap<CustomerField, Object> copy = new EnumMap<>(CustomerField.class);
    copy.putAll(changes);
    copy.remove(field);
    return new CustomerUpdate(copy);
  }

  /**
   * Applies the update to a customer.
   *
   * @param customer the current record
   * @param now the new {@code updatedAt}
   * @param phones normalization for a touched phone
   * @return the updated record; {@code customer} itself when the update changes nothing
   * @throws dev.crmkit.error.ValidationException naming {@code phone} when a set phone has no digits
   */
  @SuppressWarnings("unchecked")
  public Customer applyTo(Customer customer, Instant now, PhoneNumbers phones) {
    Customer.Builder b = customer.toBuilder();
    for (Map.Entry<CustomerField, Object> e : changes.entrySet()) {
      Object v = e.getValue() == CLEAR ? null : e.getValue();
      switch (e.getKey()) {
        case FIRST_NAME -> b.firstName((String) v);
        case LAST_NAME -> b.lastName((String) v);
        case EMAIL -> b.email((String) v);
        case PHONE -> {
          NormalizedPhone p = phones.normalize((String) v);
          b.phone(p == null ? null : p.value()).phoneExtension(p == null ? null : p.extension());
        }
        case COMPANY -> b.company((String) v);
        case PREFERRED_CHANNEL -> b.preferredChannel((Channel) v);
        case LANGUAGE -> b.language((String) v);
        case SEGMENT -> b.segment((Segment) v);
        case TAGS -> b.tags((Set<String>) v);
        case ADDRESS -> b.address((Address) v);
        case CONTACT_PREFERENCES -> b.contactPreferences((ContactPreferences) v);
        case CUSTOM_FIELDS -> b.customFields((Map<String, String>) v);
        case LAST_CONTACT_AT -> b.lastContactAt((Instant) v);
      }
    }
    Customer updated = b.build();
    boolean same = true;
    for (CustomerField f : changes.keySet()) {
      same &= Objects.equals(customer.get(f), updated.get(f));
    }
    return same ? customer : updated.toBuilder().updatedAt(now).build();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CustomerUpdate u && changes.equals(u.changes);
  }

  @Override
  public int hashCode() {
    return changes.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("CustomerUpdate{");
    changes.forEach((f, v) -> s.append(f.apiName()).append('=').append(v == CLEAR ? "<clear>" : v).append(", "));
    if (!changes.isEmpty()) {
      s.setLength(s.length() - 2);
    }
    return s.append('}').toString();
  }

  /** Builds updates; not thread-safe. A setter given {@code null} clears the field. */
  public static final class Builder {
    private final EnumMap<CustomerField, Object> changes = new EnumMap<>(CustomerField.class);
    private final List<FieldError> errors = new ArrayList<>();

    private Builder() {}

    private Builder put(CustomerField f, Object v) {
      changes.put(f, v == null ? CLEAR : v);
      return this;
    }

    public Builder firstName(String v) { return put(CustomerField.FIRST_NAME, Validation.text(v, "firstName", errors)); }
    public Builder lastName(String v) { return put(CustomerField.LAST_NAME, Validation.text(v, "lastName", errors)); }
    public Builder email(String v) { return put(CustomerField.EMAIL, Validation.email(v, "email", errors)); }
    /** Sets the phone as typed, extension included; the system normalizes it. */
    public Builder phone(String v) { return put(CustomerField.PHONE, Validation.text(v, "phone", Validation.MAX_PHONE, errors)); }
    public Builder company(String v) { return put(CustomerField.COMPANY, Validation.text(v, "company", errors)); }
    public Builder preferredChannel(Channel v) { return put(CustomerField.PREFERRED_CHANNEL, v); }
    public Builder language(String v) { return put(CustomerField.LANGUAGE, Validation.language(v, "language", errors)); }
    public Builder segment(Segment v) { return put(CustomerField.SEGMENT, v == null ? Segment.PROSPECT : v); }
    /** Replaces all tags; {@code null} removes them all. */
    public Builder tags(Set<String> v) {
      return put(CustomerField.TAGS, Set.copyOf(Validation.tags(v == null ? Set.of() : v, errors)));
    }
    public Builder address(Address v) {
      Validation.address(v, errors);
      return put(CustomerField.ADDRESS, v == null || v.isEmpty() ? null : v);
    }
    public Builder contactPreferences(ContactPreferences v) {
      return put(CustomerField.CONTACT_PREFERENCES, v == null ? ContactPreferences.UNKNOWN : v);
    }
    /** Replaces all custom fields; {@code null} removes them all. */
    public Builder customFields(Map<String, String> v) {
      return put(CustomerField.CUSTOM_FIELDS, Map.copyOf(Validation.customFields(v == null ? Map.of() : v, errors)));
    }
    public Builder lastContactAt(Instant v) {
      Validation.instant(v, "lastContactAt", errors);
      return put(CustomerField.LAST_CONTACT_AT, v);
    }

    /**
     * @throws dev.crmkit.error.ValidationException listing every bad field given to a setter
     */
    public CustomerUpdate build() {
      Validation.throwIfAny(errors);
      return new CustomerUpdate(changes);
    }
  }
}
