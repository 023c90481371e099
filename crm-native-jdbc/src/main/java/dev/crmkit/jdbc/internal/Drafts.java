package dev.crmkit.jdbc.internal;

import dev.crmkit.Address;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Segment;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.EmailAddresses;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Set;

/** Turns drafts into customers and checks values against the column sizes. */
public final class Drafts {
  private Drafts() {}

  /**
   * A draft after the store's own normalization.
   *
   * @param draft the input
   * @param email normalized email, or {@code null}
   * @param phone normalized phone, or {@code null}
   */
  public record Normalized(CustomerDraft draft, String email, NormalizedPhone phone) {}

  /**
   * Normalizes the draft's email and phone and checks its sizes.
   *
   * @throws ValidationException naming the bad field
   */
  public static Normalized normalize(CustomerDraft draft, PhoneNumbers phones) {
    if (draft == null) {
      throw new ValidationException(Jdbc.PROVIDER, List.of(new FieldError("draft", null, "must not be null")));
    }
    String email = EmailAddresses.normalize(draft.email(), "email");
    NormalizedPhone phone = phones.normalize(draft.phone(), "phone");
    List<FieldError> errors = new ArrayList<>();
    checkText(errors, "firstName", draft.firstName(), 255);
    checkText(errors, "lastName", draft.lastName(), 255);
    checkText(errors, "company", draft.company(), 255);
    checkText(errors, "language", draft.language(), 64);
    checkAddress(errors, draft.address());
    checkTagsAndFields(errors, draft.tags(), draft.customFields());
    if (phone != null && phone.extension() != null) {
      checkText(errors, "phone", phone.extension(), 64);
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(Jdbc.PROVIDER, errors);
    }
    return new Normalized(draft, email, phone);
  }

  /**
   * Checks a customer's values against the column sizes.
   *
   * @throws ValidationException naming the bad field
   */
  public static void check(Customer c) {
    List<FieldError> errors = new ArrayList<>();
    checkText(errors, "firstName", c.firstName(), 255);
    checkText(errors, "lastName", c.lastName(), 255);
    checkText(errors, "company", c.company(), 255);
    checkText(errors, "language", c.language(), 64);
    checkAddress(errors, c.address());
    checkTagsAndFields(errors, c.tags(), c.customFields());
    if (!errors.isEmpty()) {
      throw new ValidationException(Jdbc.PROVIDER, errors);
    }
  }

  /** A new customer from a normalized draft. */
  public static Customer newCustomer(Normalized n, String id, String tenantId, Instant now) {
    CustomerDraft d = n.draft();
    return Customer.builder()
        .id(id)
        .tenantId(tenantId)
        .firstName(d.firstName())
        .lastName(d.lastName())
        .email(n.email())
        .phone(n.phone() == null ? null : n.phone().value())
        .phoneExtension(n.phone() == null ? null : n.phone().extension())
        .company(d.company())
        .preferredChannel(d.preferredChannel())
        .language(d.language())
        .segment(d.segment() == null ? Segment.PROSPECT : d.segment())
        .tags(d.tags())
        .address(d.address() == null || d.address().isEmpty() ? null : d.address())
        .contactPreferences(d.contactPreferences())
        .customFields(d.customFields())
        .createdAt(d.createdAt() == null ? now : truncate(d.createdAt()))
        .updatedAt(now)
        .lastContactAt(truncate(d.lastContactAt()))
        .build();
  }

  /**
   * A customer updated by a draft: the draft's non-null values win, tags and custom fields are added,
   * opt-ins given by the draft replace the stored ones per channel.
   *
   * @return {@code current} itself when nothing changes, otherwise the new state written at {@code now}
   */
  public static Customer apply(Customer current, Normalized n, Instant now) {
    Customer next = n.draft().applyTo(current, n.email(), n.phone());
    next = next.toBuilder().lastContactAt(truncate(next.lastContactAt())).build();
    return next.equals(current) ? current : next.toBuilder().updatedAt(now).build();
  }

  /** An instant at the store's precision, milliseconds; {@code null} stays {@code null}. */
  public static Instant truncate(Instant t) {
    return t == null ? null : Instant.ofEpochMilli(t.toEpochMilli());
  }

  private static void checkText(List<FieldError> errors, String field, String value, int max) {
    if (value != null && value.length() > max) {
      errors.add(new FieldError(field, value.substring(0, Math.min(value.length(), 80)),
          "longer than " + max + " characters"));
    }
  }

  private static void checkAddress(List<FieldError> errors, Address a) {
    if (a == null) {
      return;
    }
    checkText(errors, "address.line1", a.line1(), 255);
    checkText(errors, "address.line2", a.line2(), 255);
    checkText(errors, "address.city", a.city(), 255);
    checkText(errors, "address.region", a.region(), 255);
    checkText(errors, "address.postalCode", a.postalCode(), 255);
    checkText(errors, "address.country", a.country(), 255);
  }

  private static void checkTagsAndFields(List<FieldError> errors, Set<String> tags, Map<String, String> fields) {
    for (String t : tags) {
      if (t.isBlank() || t.length() > 100) {
        errors.add(new FieldError("tags", t, "a tag must be 1 to 100 characters"));
      }
    }
    for (Map.Entry<String, String> f : fields.entrySet()) {
      if (f.getKey().length() > 64) {
        errors.add(new FieldError("customFields", f.getKey(), "a custom field name must be at most 64 characters"));
      }
    }
  }
}
