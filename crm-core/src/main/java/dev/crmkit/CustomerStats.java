package dev.crmkit;

import dev.crmkit.error.ValidationException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Objects;

/**
 * Order statistics of a customer.
 *
 * @param totalOrders number of orders, at least 0
 * @param totalRevenue sum of order amounts; {@code null} exactly when {@code totalOrders == 0}
 * @param averageOrderValue {@code totalRevenue / totalOrders}, rounded half-even to the currency's
 *     fraction digits; {@code null} exactly when {@code totalOrders == 0}
 * @param lastOrderAt time of the latest order; {@code null} when there is none
 */
public record CustomerStats(int totalOrders, Money totalRevenue, Money averageOrderValue, Instant lastOrderAt) {
  /** No orders. */
  public static final CustomerStats NONE = new CustomerStats(0, null, null, null);

  public CustomerStats {
    if (totalOrders < 0) {
      throw ValidationException.of("totalOrders", String.valueOf(totalOrders), "must be at least 0");
    }
    if ((totalOrders == 0) != (totalRevenue == null)) {
      throw ValidationException.of(
          "totalRevenue", String.valueOf(totalRevenue), "must be null exactly when there are no orders");
    }
    if (totalRevenue != null) {
      Objects.requireNonNull(averageOrderValue, "averageOrderValue");
    }
  }

  /**
   * The stats after one more order.
   *
   * @param amount the order's amount; its currency must match earlier orders'
   * @param placedAt when the order was placed
   * @throws ValidationException naming {@code currency} when it differs from earlier orders'
   */
  public CustomerStats withOrder(Money amount, Instant placedAt) {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(placedAt, "placedAt");
    Money revenue = totalRevenue == null ? amount : totalRevenue.plus(amount);
    int orders = totalOrders + 1;
    return new CustomerStats(
        orders,
        revenue,
        average(revenue, orders),
        lastOrderAt == null || placedAt.isAfter(lastOrderAt) ? placedAt : lastOrderAt);
  }

  /** The average of a revenue over a number of orders, rounded to the currency's fraction digits. */
  public static Money average(Money revenue, int orders) {
    int scale = Math.max(revenue.currency().getDefaultFractionDigits(), 0);
    return new Money(
        revenue.amount().divide(BigDecimal.valueOf(orders), scale, RoundingMode.HALF_EVEN), revenue.currency());
  }
}
