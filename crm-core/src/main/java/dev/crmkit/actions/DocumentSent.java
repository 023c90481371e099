package dev.crmkit.actions;

import dev.crmkit.Channel;
import dev.crmkit.error.FieldError;
import dev.crmkit.spi.Validation;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The host sent the customer a document (a quote, an invoice, a contract). The default action adds a note
 * (see {@link DefaultActions#documentSent()}).
 *
 * @param tenantId see {@link HostEvent}
 * @param eventId see {@link HostEvent}
 * @param customer the recipient
 * @param occurredAt when it was sent
 * @param documentName 1 to 255 characters after trimming
 * @param url where the document is, an absolute {@code http} or {@code https} URL of at most
 *     {@value #MAX_URL} characters, or {@code null}
 * @param channel how it was sent, or {@code null} when not known
 */
public record DocumentSent(String tenantId, String eventId, CustomerRef customer, Instant occurredAt,
    String documentName, String url, Channel channel) implements HostEvent {

  /** Longest URL, {@value}. */
  public static final int MAX_URL = 2_048;

  /** @throws dev.crmkit.error.ValidationException naming each field that breaks its limit */
  public DocumentSent {
    List<FieldError> errors = new ArrayList<>();
    Events.common(tenantId, eventId, customer, occurredAt, errors);
    if (documentName == null || documentName.isBlank()) {
      errors.add(new FieldError("documentName", Validation.abbreviate(documentName), "a document needs a name"));
    } else {
      documentName = Validation.text(documentName, "documentName", errors);
    }
    url = Validation.text(url, "url", MAX_URL, errors);
    if (url != null && !isWebUrl(url)) {
      errors.add(new FieldError("url", Validation.abbreviate(url), "must be an absolute http or https URL"));
    }
    Validation.throwIfAny(errors);
  }

  private static boolean isWebUrl(String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  @Override
  public EventType type() {
    return EventType.DOCUMENT_SENT;
  }
}
