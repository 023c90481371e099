package dev.crmkit.actions;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which {@link EventAction} a tenant runs for each {@link EventType}. Immutable and thread-safe: each
 * change returns a new mapping.
 *
 * <pre>{@code
 * ActionMapping mapping = ActionMapping.defaults()
 *     .with(EventType.DOCUMENT_SENT, (event, ctx) -> ...)        // replaces the default note
 *     .andThen(EventType.ORDER_PLACED, (event, ctx) -> ...);     // runs after recording the order
 * }</pre>
 *
 * An event whose type has no action is completed with an outcome saying so, never dropped silently.
 */
public final class ActionMapping {
  private static final ActionMapping DEFAULTS = new ActionMapping(defaultActions());
  private static final ActionMapping EMPTY = new ActionMapping(new EnumMap<>(EventType.class));

  private final Map<EventType, EventAction> actions;

  private ActionMapping(EnumMap<EventType, EventAction> actions) {
    this.actions = Collections.unmodifiableMap(actions);
  }

  /** The {@link DefaultActions} for every event type. */
  public static ActionMapping defaults() {
    return DEFAULTS;
  }

  /** No action for any type. */
  public static ActionMapping empty() {
    return EMPTY;
  }

  /**
   * A mapping running {@code action} for {@code type} instead of what this one runs.
   *
   * @throws NullPointerException naming {@code type} or {@code action} when null
   */
  public ActionMapping with(EventType type, EventAction action) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    EnumMap<EventType, EventAction> copy = copy();
    copy.put(type, action);
    return new ActionMapping(copy);
  }

  /**
   * A mapping running this one's action for {@code type} and then {@code action} (just {@code action}
   * when this one has none for the type).
   *
   * @throws NullPointerException naming {@code type} or {@code action} when null
   */
  public ActionMapping andThen(EventType type, EventAction action) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(action, "action");
    EnumMap<EventType, EventAction> copy = copy();
    copy.merge(type, action, EventAction::andThen);
    return new ActionMapping(copy);
  }

  /**
   * A mapping without an action for {@code type}.
   *
   * @throws NullPointerException naming {@code type} when null
   */
  public ActionMapping without(EventType type) {
    Objects.requireNonNull(type, "type");
    EnumMap<EventType, EventAction> copy = copy();
    copy.remove(type);
    return new ActionMapping(copy);
  }

  /** The action for a type, or empty when there is none. */
  public Optional<EventAction> actionFor(EventType type) {
    return Optional.ofNullable(actions.get(Objects.requireNonNull(type, "type")));
  }

  private EnumMap<EventType, EventAction> copy() {
    EnumMap<EventType, EventAction> copy = new EnumMap<>(EventType.class);
    copy.putAll(actions);
    return copy;
  }

  private static EnumMap<EventType, EventAction> defaultActions() {
    EnumMap<EventType, EventAction> m = new EnumMap<>(EventType.class);
    m.put(EventType.MESSAGE_RECEIVED, DefaultActions.messageReceived());
    m.put(EventType.APPOINTMENT_BOOKED, DefaultActions.appointmentBooked());
    m.put(EventType.CALL_COMPLETED, DefaultActions.callCompleted());
    m.put(EventType.DOCUMENT_SENT, DefaultActions.documentSent());
    m.put(EventType.ORDER_PLACED, DefaultActions.orderPlaced());
    m.put(EventType.CUSTOMER_UPDATED, DefaultActions.customerUpdated());
    return m;
  }

  @Override
  public String toString() {
    return "ActionMapping" + actions.keySet();
  }
}
