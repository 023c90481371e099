package dev.crmkit.actions;

/**
 * What a tenant's CRM does with one kind of {@link HostEvent}: the writes it makes through
 * {@link ActionContext#system()}. A lambda is an action.
 *
 * <p>An action may run more than once for one event (a retry after a failure, or after a worker died
 * mid-way), so each write must be safe to repeat: give it {@link ActionContext#idempotencyKey(String)}
 * (deals, notes, activities) or use a write that is idempotent by nature (an update, an order by id).
 *
 * <p>Errors: throw what the system threw. {@link dev.crmkit.error.RateLimitedException},
 * {@link dev.crmkit.error.ApiConnectionException}, {@link dev.crmkit.error.ServerException} and exceptions
 * that are not a {@link dev.crmkit.error.CrmException} are retried with backoff; the other
 * {@code CrmException}s (validation, not found, conflict, configuration, authentication, an unsupported
 * capability) park the event at once (see {@link EventActions}).
 */
@FunctionalInterface
public interface EventAction {

  /**
   * Makes the event's writes.
   *
   * @param event the event; never null
   * @param context the tenant's system, the customer, the attempt, idempotency keys; never null
   */
  void perform(HostEvent event, ActionContext context);

  /** This action, then {@code next} (when this one returns normally). */
  default EventAction andThen(EventAction next) {
    java.util.Objects.requireNonNull(next, "next");
    return (event, context) -> {
      perform(event, context);
      next.perform(event, context);
    };
  }
}
