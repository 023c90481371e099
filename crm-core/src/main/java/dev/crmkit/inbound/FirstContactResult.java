package dev.crmkit.inbound;

import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import java.util.Objects;

/**
 * What {@link FirstContactHandler#handle} did with a message.
 *
 * @param outcome what happened
 * @param customer the sender's customer after the message; {@code null} only when {@link Outcome#IGNORED}
 * @param activity the logged interaction (for a duplicate, the one logged the first time); {@code null}
 *     only when {@link Outcome#IGNORED}
 */
public record FirstContactResult(Outcome outcome, Customer customer, CustomerActivity activity) {
  /** What the handler did. */
  public enum Outcome {
    /** The sender was a known customer; this delivery logged the message. */
    MATCHED,
    /** The sender was unknown, this delivery created the customer and logged the message. */
    CREATED,
    /**
     * The message id was handled before, by this or another handler or process on the same back end;
     * the message was not logged again. Every delivery after the first gets this, so a host replies only
     * on the others. A delivery that raced the first one may still have created the sender's customer.
     */
    DUPLICATE,
    /** The sender was unknown and the policy chose not to create a customer; nothing was written. */
    IGNORED
  }

  public FirstContactResult {
    Objects.requireNonNull(outcome, "outcome");
    if (outcome != Outcome.IGNORED) {
      Objects.requireNonNull(customer, "customer");
      Objects.requireNonNull(activity, "activity");
    }
  }

  /** True when this message created the customer. */
  public boolean created() {
    return outcome == Outcome.CREATED;
  }
}
