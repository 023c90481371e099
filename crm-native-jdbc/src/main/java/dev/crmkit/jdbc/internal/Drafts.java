package dev.crmkit.jdbc.internal;

import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.Segment;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.NormalizedPhone;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.spi.Validation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
   * Normalizes the draft's email and phone and checks every value against its limit ({@link
   * Validation#draft}): the column sizes, the characters every dialect stores, times in range and
   * not more than {@link Validation#MAX_AHEAD} ahead of the clock.
   *
   * @param clock the system's clock
   * @throws ValidationException naming every bad field; nothing has been written
   */
  public static Normalized normalize(CustomerDraft draft, PhoneNumbers phones, Clock clock) {
    if (draft == null) {
      throw new ValidationException(Jdbc.PROVIDER, List.of(new FieldError("draft", null, "must not be null")));
    }
    List<FieldError> errors = new ArrayList<>();
    String email = Validation.email(draft.email(), "email", errors);
    NormalizedPhone phone = Validation.phone(draft.phone(), "phone", phones, errors);
    Validation.draft(draft, Instant.ofEpochMilli(clock.millis()), errors);
    Validation.throwIfAny(Jdbc.PROVIDER, errors);
    return new Normalized(draft, email, phone);
  }

  /**
   * Checks the values a write changes against the column sizes and characters ({@link
   * Validation#changes}).
   *
   * @param before the customer as stored
   * @param after the customer to write
   * @throws ValidationException naming every bad field
   */
  public static void check(Customer before, Customer after) {
    List<FieldError> errors = new ArrayList<>();
    Validation.changes(before, after, errors);
    Validation.throwIfAny(Jdbc.PROVIDER, errors);
  }

  /**
   * Checks the time of an event (an activity, a note, an order, a last contact) against the range the
   * store holds and the tolerance ahead of the clock ({@link Validation#MAX_AHEAD}).
   *
   * @param now the system's clock reading
   * @throws ValidationException naming {@code field}
   */
  public static void checkTime(String field, Instant t, Instant now) {
    List<FieldError> errors = new ArrayList<>();
    Validation.notAhead(t, field, now, errors);
    Validation.throwIfAny(Jdbc.PROVIDER, errors);
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
}
