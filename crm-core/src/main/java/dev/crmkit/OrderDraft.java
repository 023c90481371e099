package dev.crmkit;

import dev.crmkit.error.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * An order to record against a customer's stats.
 *
 * @param orderId the order's id in the shop; recording the same id twice counts it once
 * @param amount the order total; zero or more
 * @param placedAt when the order was placed
 */
public record OrderDraft(String orderId, Money amount, Instant placedAt) {
  /** @throws ValidationException naming {@code orderId}, {@code amount} or {@code placedAt} */
  public OrderDraft {
    if (orderId == null || orderId.isBlank()) {
      throw ValidationException.of("orderId", orderId, "an order needs an id");
    }
    if (amount == null) {
      throw ValidationException.of("amount", null, "an order needs an amount");
    }
    if (amount.amount().compareTo(BigDecimal.ZERO) < 0) {
      throw ValidationException.of("amount", amount.toString(), "must not be negative");
    }
    if (placedAt == null) {
      throw ValidationException.of("placedAt", null, "an order needs a time");
    }
    orderId = orderId.strip();
  }
}
