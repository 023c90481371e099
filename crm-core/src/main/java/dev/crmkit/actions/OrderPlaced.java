package dev.crmkit.actions;

import dev.crmkit.Money;
import dev.crmkit.error.FieldError;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The customer placed an order. The default action records it against the customer's stats, once per
 * order id (see {@link DefaultActions#orderPlaced()}).
 *
 * @param tenantId see {@link HostEvent}
 * @param eventId see {@link HostEvent}
 * @param customer who ordered
 * @param occurredAt when the host learnt of it
 * @param orderId the shop's order id, 1 to 255 characters after trimming
 * @param amount the order total: zero or more, less than 10<sup>15</sup>, at most 4 digits after the
 *     point; required
 * @param placedAt when the order was placed, in years 0001 to 9999; {@code null} becomes {@code occurredAt}
 */
public record OrderPlaced(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
    String orderId, Money amount, Instant placedAt) implements HostEvent {

  /** @throws dev.crmkit.error.ValidationException naming each field that breaks its limit */
  public OrderPlaced {
    List<FieldError> errors = new ArrayList<>();
    Events.common(tenantId, eventId, customer, occurredAt, errors);
    if (orderId == null || orderId.isBlank()) {
      errors.add(new FieldError("orderId", Validation.abbreviate(orderId), "an order needs an id"));
    } else {
      orderId = Validation.text(orderId, "orderId", errors);
    }
    Events.required(amount, "amount", errors);
    Events.amount(amount, "amount", errors);
    if (placedAt == null) {
      placedAt = occurredAt;
    } else {
      Validation.instant(placedAt, "placedAt", errors);
    }
    Validation.throwIfAny(errors);
  }

  @Override
  public EventType type() {
    return EventType.ORDER_PLACED;
  }
}
