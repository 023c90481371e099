package dev.crmkit;

import java.util.Objects;

/**
 * The outcome of {@link CustomerSystem#logInteraction}.
 *
 * @param activity the logged activity (for an idempotency key seen before, the earlier one); never null
 * @param customer the customer after the interaction, its {@code lastContactAt} moved forward; never null
 */
public record Interaction(CustomerActivity activity, Customer customer) {
  public Interaction {
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(customer, "customer");
  }
}
