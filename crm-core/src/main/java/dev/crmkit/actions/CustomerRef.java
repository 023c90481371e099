package dev.crmkit.actions;

import dev.crmkit.error.FieldError;
import dev.crmkit.spi.Validation;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer an event is about, as the host knows it: the customer's id in the tenant's system, a
 * phone number, an email address, or several of them. Resolution tries the id first, then the phone, then
 * the email; an unknown phone or email follows the tenant's {@link dev.crmkit.policy.AutoCreatePolicy}
 * (see {@link EventActions}).
 *
 * @param id the customer's id in the tenant's {@link dev.crmkit.CustomerSystem}, 1 to 255 characters after
 *     trimming, or {@code null}
 * @param phone a phone number in any format, at most 64 characters after trimming, or {@code null}
 * @param email an email address (normalized: lower-case, IDNA domain), or {@code null}
 */
public record CustomerRef(String id, String phone, String email) {
  /** Longest id, {@value}. */
  public static final int MAX_ID = Validation.MAX_TEXT;

  /**
   * @throws dev.crmkit.error.ValidationException naming {@code customer} when all three are null or
   *     blank, or {@code customer.id}, {@code customer.phone} or {@code customer.email} when malformed or
   *     over its limit
   */
  public CustomerRef {
    List<FieldError> errors = new ArrayList<>();
    id = Validation.text(id, "customer.id", MAX_ID, errors);
    phone = Validation.text(phone, "customer.phone", Validation.MAX_PHONE, errors);
    if (phone != null && phone.chars().noneMatch(Character::isDigit)) {
      errors.add(new FieldError("customer.phone", Validation.abbreviate(phone), "a phone number needs digits"));
    }
    email = email == null || email.isBlank() ? null : Validation.email(email, "customer.email", errors);
    if (errors.isEmpty() && id == null && phone == null && email == null) {
      errors.add(new FieldError("customer", null, "an event needs the customer's id, phone or email"));
    }
    Validation.throwIfAny(errors);
  }

  /** The customer with this id. @throws dev.crmkit.error.ValidationException naming {@code customer.id} */
  public static CustomerRef byId(String id) {
    return new CustomerRef(require(id, "customer.id"), null, null);
  }

  /** The customer with this phone. @throws dev.crmkit.error.ValidationException naming {@code customer.phone} */
  public static CustomerRef byPhone(String phone) {
    return new CustomerRef(null, require(phone, "customer.phone"), null);
  }

  /** The customer with this email. @throws dev.crmkit.error.ValidationException naming {@code customer.email} */
  public static CustomerRef byEmail(String email) {
    return new CustomerRef(null, null, require(email, "customer.email"));
  }

  private static String require(String v, String field) {
    List<FieldError> errors = new ArrayList<>();
    Validation.require(v, field, Integer.MAX_VALUE, errors);
    Validation.throwIfAny(errors);
    return v;
  }

  /** The id, phone and email given, for messages: {@code id=..., phone=..., email=...}, each value cut. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("CustomerRef{");
    if (id != null) {
      b.append("id=").append(Validation.abbreviate(id));
    }
    if (phone != null) {
      b.append(b.length() > 12 ? ", " : "").append("phone=").append(Validation.abbreviate(phone));
    }
    if (email != null) {
      b.append(b.length() > 12 ? ", " : "").append("email=").append(Validation.abbreviate(email));
    }
    return b.append('}').toString();
  }
}
