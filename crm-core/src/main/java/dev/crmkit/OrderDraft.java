package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * An order to record against a customer's stats.
 *
 * <p>An amount with more than four digits after the point is rejected, not rounded: every ISO 4217
 * currency's minor unit has at most four, so such an amount is a computation left unrounded, and
 * storing a rounded value while answering the given one would make the stats disagree with the
 * caller. Trailing zeros do not count ({@code 10.50000} is accepted).
 *
 * @param orderId the order's id in the shop, 1 to 255 characters after trimming, without
 *     {@code U+0000} or unpaired surrogates; recording the same id twice counts it once
 * @param amount the order total: zero or more, less than 10<sup>15</sup>, at most 4 digits after the point
 * @param placedAt when the order was placed, in years 0001 to 9999; the native store and the memory
 *     provider reject a time more than one day ahead of their clock
 */
public record OrderDraft(String orderId, Money amount, Instant placedAt) {
  /** @throws ValidationException naming each of {@code orderId}, {@code amount} and {@code placedAt} that breaks its limit */
  public OrderDraft {
    List<FieldError> errors = new ArrayList<>();
    if (orderId == null || orderId.isBlank()) {
      errors.add(new FieldError("orderId", Validation.abbreviate(orderId), "an order needs an id"));
    } else {
      orderId = Validation.text(orderId, "orderId", errors);
    }
    if (amount == null) {
      errors.add(new FieldError("amount", null, "an order needs an amount"));
    } else if (amount.amount().compareTo(BigDecimal.ZERO) < 0) {
      errors.add(new FieldError("amount", Validation.abbreviate(amount.toString()), "must not be negative"));
    } else {
      Validation.amount(amount, "amount", errors);
    }
    if (placedAt == null) {
      errors.add(new FieldError("placedAt", null, "an order needs a time"));
    } else {
      Validation.instant(placedAt, "placedAt", errors);
    }
    Validation.throwIfAny(errors);
  }
}
