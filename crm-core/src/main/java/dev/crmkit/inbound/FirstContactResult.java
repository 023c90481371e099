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
    /** The sender was a known customer. */
    MATCHED,
    /** The sender was unknown and a customer was created. */
    CREATED,
    /** The message id was handled before; nothing was written. */
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
