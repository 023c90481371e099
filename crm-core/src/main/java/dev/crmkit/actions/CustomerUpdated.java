package dev.crmkit.actions;

import dev.crmkit.Channel;
import dev.crmkit.CustomerUpdate;
import dev.crmkit.Segment;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The host changed what it knows of a customer. The default action updates the contact with the changed
 * fields (see {@link DefaultActions#customerUpdated()}). Built with {@link #builder}.
 *
 * <p>{@code changes} maps a field to its new value, or to {@code null} to clear it. Fields: {@value
 * #FIRST_NAME}, {@value #LAST_NAME}, {@value #EMAIL}, {@value #PHONE}, {@value #COMPANY}, {@value #SEGMENT}
 * (a {@link Segment} name: the lifecycle stage), {@value #PREFERRED_CHANNEL} (a {@link Channel} name),
 * {@value #LANGUAGE} (BCP 47) and {@code customFields.<name>} (one custom field; the others are kept).
 * Values follow {@link CustomerUpdate}'s limits (names and company 255 characters, phone 64, custom field
 * values 65,536).
 *
 * @param tenantId see {@link HostEvent}
 * @param eventId see {@link HostEvent}
 * @param customer the customer as the host knew it before the change
 * @param occurredAt when it changed
 * @param changes 1 to {@value #MAX_CHANGES} field changes; unmodifiable, sorted by field, values may be null
 */
public record CustomerUpdated(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
    Map<String, String> changes) implements HostEvent {

  public static final String FIRST_NAME = "firstName";
  public static final String LAST_NAME = "lastName";
  public static final String EMAIL = "email";
  public static final String PHONE = "phone";
  public static final String COMPANY = "company";
  public static final String SEGMENT = "segment";
  public static final String PREFERRED_CHANNEL = "preferredChannel";
  public static final String LANGUAGE = "language";
  /** Prefix of a custom field's change: {@code customFields.loyaltyId}. */
  public static final String CUSTOM_FIELD_PREFIX = "customFields.";
  /** Most changes in one event, {@value}. */
  public static final int MAX_CHANGES = 100;

  private static final Set<String> FIELDS =
      Set.of(FIRST_NAME, LAST_NAME, EMAIL, PHONE, COMPANY, SEGMENT, PREFERRED_CHANNEL, LANGUAGE);

  /**
   * @throws ValidationException naming {@code changes} when empty, too many or holding an unknown field,
   *     or {@code changes.<field>} when a value is malformed or over its limit
   */
  public CustomerUpdated {
    List<FieldError> errors = new ArrayList<>();
    Events.common(tenantId, eventId, customer, occurredAt, errors);
    Map<String, String> copy = new TreeMap<>();
    if (changes == null || changes.isEmpty()) {
      errors.add(new FieldError("changes", null, "an update needs at least one field change"));
    } else if (changes.size() > MAX_CHANGES) {
      errors.add(new FieldError("changes", String.valueOf(changes.size()), "more than " + MAX_CHANGES + " changes"));
    } else {
      changes.forEach((field, value) -> {
        if (field == null || !FIELDS.contains(field) && !field.startsWith(CUSTOM_FIELD_PREFIX)) {
          errors.add(new FieldError("changes", Validation.abbreviate(field),
              "unknown field; known: " + String.join(", ", new TreeSet<>(FIELDS)) + ", customFields.<name>"));
        } else {
          copy.put(field, value);
        }
      });
      if (errors.isEmpty()) {
        try {
          toUpdate(copy, Map.of());
        } catch (ValidationException e) {
          for (FieldError f : e.fieldErrors()) {
            errors.add(new FieldError("changes." + f.field(), f.value(), f.message()));
          }
        }
      }
    }
    Validation.throwIfAny(errors);
    changes = Collections.unmodifiableMap(copy);
  }

  @Override
  public EventType type() {
    return EventType.CUSTOMER_UPDATED;
  }

  /**
   * The update these changes make to a customer whose custom fields are {@code currentCustomFields}: the
   * changed custom fields are set or removed, the others kept.
   *
   * @param currentCustomFields the customer's custom fields now; not null
   */
  public CustomerUpdate toCustomerUpdate(Map<String, String> currentCustomFields) {
    return toUpdate(changes, Objects.requireNonNull(currentCustomFields, "currentCustomFields"));
  }

  /** True when the changes touch a custom field. */
  public boolean changesCustomFields() {
    return changes.keySet().stream().anyMatch(k -> k.startsWith(CUSTOM_FIELD_PREFIX));
  }

  private static CustomerUpdate toUpdate(Map<String, String> changes, Map<String, String> currentCustomFields) {
    CustomerUpdate.Builder b = CustomerUpdate.builder();
    Map<String, String> custom = new TreeMap<>(currentCustomFields);
    boolean customChanged = false;
    for (Map.Entry<String, String> e : changes.entrySet()) {
      String v = e.getValue();
      switch (e.getKey()) {
        case FIRST_NAME -> b.firstName(v);
        case LAST_NAME -> b.lastName(v);
        case EMAIL -> b.email(v);
        case PHONE -> b.phone(v);
        case COMPANY -> b.company(v);
        case LANGUAGE -> b.language(v);
        case SEGMENT -> b.segment(v == null ? null : enumValue(Segment.class, v, SEGMENT));
        case PREFERRED_CHANNEL -> b.preferredChannel(v == null ? null : enumValue(Channel.class, v, PREFERRED_CHANNEL));
        default -> {
          String name = e.getKey().substring(CUSTOM_FIELD_PREFIX.length());
          customChanged = true;
          if (v == null) {
            custom.remove(name);
          } else {
            custom.put(name, v);
          }
        }
      }
    }
    if (customChanged) {
      b.customFields(custom);
    }
    return b.build();
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String v, String field) {
    try {
      return Enum.valueOf(type, v.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ValidationException.of(field, Validation.abbreviate(v), "not one of " + Arrays.toString(type.getEnumConstants()));
    }
  }

  /** A builder for an update of this customer. */
  public static Builder builder(String tenantId, String eventId, CustomerRef customer, Instant occurredAt) {
    return new Builder(tenantId, eventId, customer, occurredAt);
  }

  /** Collects field changes; each setter given {@code null} clears the field. Not thread-safe. */
  public static final class Builder {
    private final String tenantId;
    private final String eventId;
    private final CustomerRef customer;
    private final Instant occurredAt;
    private final Map<String, String> changes = new TreeMap<>();

    private Builder(String tenantId, String eventId, CustomerRef customer, Instant occurredAt) {
      this.tenantId = tenantId;
      this.eventId = eventId;
      this.customer = customer;
      this.occurredAt = occurredAt;
    }

    public Builder firstName(String v) { changes.put(FIRST_NAME, v); return this; }
    public Builder lastName(String v) { changes.put(LAST_NAME, v); return this; }
    public Builder email(String v) { changes.put(EMAIL, v); return this; }
    public Builder phone(String v) { changes.put(PHONE, v); return this; }
    public Builder company(String v) { changes.put(COMPANY, v); return this; }
    public Builder segment(Segment v) { changes.put(SEGMENT, v == null ? null : v.name()); return this; }
    public Builder preferredChannel(Channel v) { changes.put(PREFERRED_CHANNEL, v == null ? null : v.name()); return this; }
    public Builder language(String v) { changes.put(LANGUAGE, v); return this; }

    /**
     * Sets ({@code value} not null) or removes one custom field.
     *
     * @throws NullPointerException naming {@code name} when null
     */
    public Builder customField(String name, String value) {
      changes.put(CUSTOM_FIELD_PREFIX + Objects.requireNonNull(name, "name"), value);
      return this;
    }

    /** @throws ValidationException as {@link CustomerUpdated}'s constructor */
    public CustomerUpdated build() {
      return new CustomerUpdated(tenantId, eventId, customer, occurredAt, changes);
    }
  }
}
