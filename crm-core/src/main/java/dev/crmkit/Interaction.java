package dev.crmkit;

import java.util.Objects;

/**
 * The outcome of {@link CustomerSystem#logInteraction}.
 *
 * @param activity the logged activity, or, when {@code duplicate}, the activity logged earlier under the
 *     same idempotency key; never null
 * @param customer the customer after the interaction, its {@code lastContactAt} moved forward; for a
 *     duplicate, the earlier activity's customer as it is now; never null
 * @param duplicate {@code true} when the activity's idempotency key was recorded before (by this or any
 *     other process on the same back end) and this call wrote nothing; {@code false} when this call
 *     logged the activity. Of any number of calls with one idempotency key, on a system with
 *     {@link Capability#IDEMPOTENT_ACTIVITIES}, exactly one returns {@code false}.
 */
public record Interaction(CustomerActivity activity, Customer customer, boolean duplicate) {
  public Interaction {
    Objects.requireNonNull(activity, "activity");
    Objects.requireNonNull(customer, "customer");
  }

  /** An interaction this call logged ({@code duplicate} is {@code false}). */
  public static Interaction logged(CustomerActivity activity, Customer customer) {
    return new Interaction(activity, customer, false);
  }

  /** An earlier interaction found under the same idempotency key; nothing was written. */
  public static Interaction earlier(CustomerActivity activity, Customer customer) {
    return new Interaction(activity, customer, true);
  }
}
