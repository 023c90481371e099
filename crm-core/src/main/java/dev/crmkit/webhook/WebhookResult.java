package dev.crmkit.webhook;

import dev.crmkit.error.ValidationException;
import java.util.List;

/**
 * The outcome of a verified webhook: the events in payload order, the response to send the vendor,
 * and the elements that could not be parsed. Immutable.
 *
 * @param events every parsed event, including those of unknown type ({@link ChangeEventType#UNKNOWN}),
 *     in payload order; {@code null} reads as empty
 * @param response what to answer the vendor; required
 * @param unparsed elements that could not be parsed, in payload order; {@code null} reads as empty
 */
public record WebhookResult(List<ChangeEvent> events, WebhookResponse response, List<UnparsedItem> unparsed) {

  /** @throws ValidationException when the response is missing */
  public WebhookResult {
    if (response == null) {
      throw ValidationException.of("response", null, "a webhook result needs the response to send");
    }
    events = events == null ? List.of() : List.copyOf(events);
    unparsed = unparsed == null ? List.of() : List.copyOf(unparsed);
  }

  /** The events whose type crmkit did not recognize, in payload order; never {@code null}. */
  public List<ChangeEvent> unknownEvents() {
    return events.stream().filter(ChangeEvent::unknown).toList();
  }

  /** True when every element was parsed into an event of a known type. */
  public boolean fullyUnderstood() {
    return unparsed.isEmpty() && events.stream().noneMatch(ChangeEvent::unknown);
  }
}
