package dev.crmkit.actions;

import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Capability;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerActivity;
import dev.crmkit.CustomerNote;
import dev.crmkit.CustomerStats;
import dev.crmkit.CustomerSystem;
import dev.crmkit.Deal;
import dev.crmkit.DealDraft;
import dev.crmkit.Interaction;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.spi.Validation;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The actions {@link ActionMapping#defaults()} runs. Each makes its writes once per event even when it
 * runs again (every write carries {@link ActionContext#idempotencyKey(String)} where the system honours
 * keys, or is idempotent by nature), and degrades when the system lacks a capability: it writes what it
 * can and says what it could not in the event's outcome ({@link ActionContext#report}). An event none of
 * whose writes the system supports fails with {@link UnsupportedCapabilityException} and is parked.
 *
 * <table>
 *   <caption>Default writes, their idempotency steps, and what happens without a capability</caption>
 *   <tr><th>event</th><th>writes (step)</th><th>without</th></tr>
 *   <tr><td>{@link MessageReceived}</td><td>first contact: find or create by the policy, log
 *       {@link ActivityType#MESSAGE_RECEIVED} once ({@code message}) through {@link FirstContactHandler}</td>
 *       <td>{@code ACTIVITIES}: the customer is found or created, the message not logged</td></tr>
 *   <tr><td>{@link AppointmentBooked}</td><td>deal: title, value, expected close on the start date (UTC)
 *       ({@code deal}); {@link ActivityType#MEETING} activity ({@code meeting})</td>
 *       <td>{@code DEALS}: the meeting only</td></tr>
 *   <tr><td>{@link CallCompleted}</td><td>{@link ActivityType#CALL} interaction on {@link Channel#PHONE} with
 *       metadata {@code durationSeconds}, {@code outcome}, {@code summary} ({@code call}); moves
 *       {@code lastContactAt}</td><td>parked</td></tr>
 *   <tr><td>{@link DocumentSent}</td><td>note naming the document, its URL and channel ({@code document})</td>
 *       <td>{@code NOTES}: an {@link ActivityType#OTHER} activity</td></tr>
 *   <tr><td>{@link OrderPlaced}</td><td>{@link CustomerSystem#recordOrder} (once per order id)</td>
 *       <td>{@code ORDERS}: an {@link ActivityType#ORDER_PLACED} activity ({@code order}), stats unchanged</td></tr>
 *   <tr><td>{@link CustomerUpdated}</td><td>{@link CustomerSystem#update} with the changed fields; a
 *       customer the reference no longer finds (a rerun after the email or phone changed) is found by the
 *       new values before the policy may create one</td><td>—</td></tr>
 * </table>
 *
 * <p>Notes and activities carry their key only on systems with {@link Capability#IDEMPOTENT_ACTIVITIES}
 * (others reject a keyed note); there a write repeated after a crash between the write and the outbox's
 * completion may be doubled, and the outcome says so.
 */
public final class DefaultActions {
  private DefaultActions() {}

  /** First contact for a {@link MessageReceived}. */
  public static EventAction messageReceived() {
    return (event, ctx) -> {
      MessageReceived m = cast(event, MessageReceived.class);
      CustomerSystem system = ctx.system();
      if (!system.supports(Capability.ACTIVITIES)) {
        Customer c = ctx.customer();
        ctx.report("customer " + c.id() + "; message not logged: " + lacks(system, Capability.ACTIVITIES));
        return;
      }
      CustomerRef ref = m.customer();
      String from = ref.id() != null ? null
          : m.channel() == Channel.EMAIL && ref.email() != null ? ref.email()
          : ref.phone() != null ? ref.phone() : ref.email();
      if (from == null) {
        Customer c = ctx.customer();
        Interaction logged = system.logInteraction(c.id(), new ActivityDraft(ActivityType.MESSAGE_RECEIVED,
            m.channel(), m.text(), m.occurredAt(), Map.of("eventId", m.eventId()), key(ctx, system, "message")));
        ctx.report((logged.duplicate() ? "message logged before as activity " : "message logged as activity ")
            + logged.activity().id() + " of customer " + c.id());
        return;
      }
      FirstContactHandler handler = FirstContactHandler.builder(system).policy(ctx.policy()).build();
      FirstContactResult r = handler.handle(new InboundMessage(m.tenantId(), m.channel(), from, m.senderName(),
          m.text(), ctx.idempotencyKey("message"), m.occurredAt()));
      if (r.outcome() == FirstContactResult.Outcome.IGNORED) {
        throw ValidationException.of("customer", ref.toString(),
            "no customer matches and the tenant's AutoCreatePolicy creates none");
      }
      ctx.report("first contact " + r.outcome().name().toLowerCase(Locale.ROOT) + ": customer " + r.customer().id()
          + ", activity " + r.activity().id());
    };
  }

  /** A deal and a meeting for an {@link AppointmentBooked}. */
  public static EventAction appointmentBooked() {
    return (event, ctx) -> {
      AppointmentBooked a = cast(event, AppointmentBooked.class);
      CustomerSystem system = ctx.system();
      Customer c = ctx.customer();
      boolean wrote = false;
      if (system.supports(Capability.DEALS)) {
        try {
          Deal deal = system.createDeal(c.id(), DealDraft.builder(a.title())
              .amount(a.value())
              .expectedCloseDate(LocalDate.ofInstant(a.startsAt(), ZoneOffset.UTC))
              .idempotencyKey(ctx.idempotencyKey("deal"))
              .build());
          ctx.report("deal " + deal.id());
          wrote = true;
        } catch (UnsupportedCapabilityException e) {
          ctx.report("no deal: " + e.getMessage());
        }
      } else {
        ctx.report("no deal: " + lacks(system, Capability.DEALS));
      }
      if (system.supports(Capability.ACTIVITIES)) {
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("eventId", a.eventId());
        metadata.put("startsAt", a.startsAt().toString());
        if (a.duration() != null) {
          metadata.put("durationMinutes", Long.toString(a.duration().toMinutes()));
        }
        if (a.value() != null) {
          metadata.put("value", a.value().amount().toPlainString());
          metadata.put("currency", a.value().currency().getCurrencyCode());
        }
        String description = "Appointment booked: " + a.title() + ", starts " + a.startsAt()
            + (a.notes() == null ? "" : "\n" + a.notes());
        CustomerActivity meeting = system.addActivity(c.id(), new ActivityDraft(ActivityType.MEETING, null,
            fit(description), a.occurredAt(), metadata, key(ctx, system, "meeting")));
        ctx.report("meeting activity " + meeting.id() + atLeastOnce(system));
        wrote = true;
      } else {
        ctx.report("no meeting: " + lacks(system, Capability.ACTIVITIES));
      }
      if (!wrote) {
        throw new UnsupportedCapabilityException(system.providerName(), Capability.ACTIVITIES);
      }
    };
  }

  /** A call activity for a {@link CallCompleted}. */
  public static EventAction callCompleted() {
    return (event, ctx) -> {
      CallCompleted call = cast(event, CallCompleted.class);
      CustomerSystem system = ctx.system();
      if (!system.supports(Capability.ACTIVITIES)) {
        throw new UnsupportedCapabilityException(system.providerName(), Capability.ACTIVITIES);
      }
      Customer c = ctx.customer();
      Map<String, String> metadata = new TreeMap<>();
      metadata.put("eventId", call.eventId());
      metadata.put("durationSeconds", Long.toString(call.duration().toSeconds()));
      metadata.put("outcome", call.outcome().name());
      if (call.summary() != null) {
        metadata.put("summary", call.summary());
      }
      String description = "Call " + call.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", "
          + call.duration().toSeconds() + " s" + (call.summary() == null ? "" : ": " + call.summary());
      Interaction logged = system.logInteraction(c.id(), new ActivityDraft(ActivityType.CALL, Channel.PHONE,
          fit(description), call.occurredAt(), metadata, key(ctx, system, "call")));
      ctx.report("call activity " + logged.activity().id() + atLeastOnce(system));
    };
  }

  /** A note for a {@link DocumentSent}. */
  public static EventAction documentSent() {
    return (event, ctx) -> {
      DocumentSent d = cast(event, DocumentSent.class);
      CustomerSystem system = ctx.system();
      String text = "Document sent: " + d.documentName() + (d.url() == null ? "" : " (" + d.url() + ")")
          + (d.channel() == null ? "" : " via " + d.channel().name().toLowerCase(Locale.ROOT));
      Customer c = ctx.customer();
      if (system.supports(Capability.NOTES)) {
        CustomerNote note = system.addNote(c.id(), new NoteDraft(text, null, d.occurredAt(),
            key(ctx, system, "document")));
        ctx.report("note " + note.id() + atLeastOnce(system));
      } else if (system.supports(Capability.ACTIVITIES)) {
        CustomerActivity activity = system.addActivity(c.id(), new ActivityDraft(ActivityType.OTHER, d.channel(), text,
            d.occurredAt(), Map.of("eventId", d.eventId(), "document", d.documentName()), key(ctx, system, "document")));
        ctx.report("activity " + activity.id() + " instead of a note: " + lacks(system, Capability.NOTES)
            + atLeastOnce(system));
      } else {
        throw new UnsupportedCapabilityException(system.providerName(), Capability.NOTES);
      }
    };
  }

  /** The order recorded for an {@link OrderPlaced}. */
  public static EventAction orderPlaced() {
    return (event, ctx) -> {
      OrderPlaced o = cast(event, OrderPlaced.class);
      CustomerSystem system = ctx.system();
      Customer c = ctx.customer();
      if (system.supports(Capability.ORDERS)) {
        CustomerStats stats = system.recordOrder(c.id(), new OrderDraft(o.orderId(), o.amount(), o.placedAt()));
        ctx.report("order " + o.orderId() + " recorded; " + stats.totalOrders() + " orders");
      } else if (system.supports(Capability.ACTIVITIES)) {
        Map<String, String> metadata = new TreeMap<>();
        metadata.put("eventId", o.eventId());
        metadata.put("orderId", o.orderId());
        metadata.put("amount", o.amount().amount().toPlainString());
        metadata.put("currency", o.amount().currency().getCurrencyCode());
        CustomerActivity activity = system.addActivity(c.id(), new ActivityDraft(ActivityType.ORDER_PLACED, null,
            fit("Order " + o.orderId() + ": " + o.amount()), o.placedAt(), metadata, key(ctx, system, "order")));
        ctx.report("order activity " + activity.id() + ", stats unchanged: " + lacks(system, Capability.ORDERS)
            + atLeastOnce(system));
      } else {
        throw new UnsupportedCapabilityException(system.providerName(), Capability.ORDERS);
      }
    };
  }

  /** The contact update for a {@link CustomerUpdated}. */
  public static EventAction customerUpdated() {
    return (event, ctx) -> {
      CustomerUpdated u = cast(event, CustomerUpdated.class);
      // A rerun after a crash past the update finds the customer by the new email or phone, not by the
      // old one the event names (which would make the policy create a second customer).
      Customer c = ctx.findCustomer().or(() -> changedTo(ctx.system(), u)).orElseGet(ctx::customer);
      Customer updated = ctx.system().update(c.id(), u.toCustomerUpdate(c.customFields()));
      ctx.report("customer " + updated.id() + " updated: " + String.join(", ", u.changes().keySet()));
    };
  }

  private static java.util.Optional<Customer> changedTo(CustomerSystem system, CustomerUpdated u) {
    String phone = u.changes().get(CustomerUpdated.PHONE);
    String email = u.changes().get(CustomerUpdated.EMAIL);
    java.util.Optional<Customer> found = phone == null ? java.util.Optional.empty() : system.findByPhone(phone);
    return found.isPresent() || email == null ? found : system.findByEmail(email);
  }

  private static <T extends HostEvent> T cast(HostEvent event, Class<T> type) {
    if (!type.isInstance(event)) {
      throw new ConfigurationException("the default action for " + type.getSimpleName() + " was mapped to "
          + event.type() + " events: map each default action to its own type");
    }
    return type.cast(event);
  }

  /** The step's key when the system records writes once per key, else {@code null} (a keyed note would be refused). */
  private static String key(ActionContext ctx, CustomerSystem system, String step) {
    return system.supports(Capability.IDEMPOTENT_ACTIVITIES) ? ctx.idempotencyKey(step) : null;
  }

  private static String atLeastOnce(CustomerSystem system) {
    return system.supports(Capability.IDEMPOTENT_ACTIVITIES) ? ""
        : " (no idempotency keys on " + system.providerName() + ": a retry after a crash may repeat it)";
  }

  private static String lacks(CustomerSystem system, Capability capability) {
    return system.providerName() + " has no " + capability + " capability";
  }

  /** The description cut to an activity's limit, never between the halves of a surrogate pair. */
  private static String fit(String description) {
    int max = Validation.MAX_LONG_TEXT;
    if (description.length() <= max) {
      return description;
    }
    int end = max - 1;
    if (Character.isHighSurrogate(description.charAt(end - 1))) {
      end--;
    }
    return description.substring(0, end) + "…";
  }
}
