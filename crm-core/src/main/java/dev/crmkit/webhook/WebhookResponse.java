package dev.crmkit.webhook;

import dev.crmkit.error.ValidationException;

/**
 * What the host's HTTP server must answer the vendor after a webhook was handled: most vendors
 * want a bare 2xx, Salesforce wants a SOAP acknowledgement. Immutable.
 *
 * @param status the HTTP status, 100 to 599
 * @param contentType the {@code Content-Type} header value, or {@code null} when the body is empty
 * @param body the response body as text (send it as UTF-8); empty, never {@code null}, when there is none
 */
public record WebhookResponse(int status, String contentType, String body) {

  /** @throws ValidationException when the status is out of range or a non-empty body has no content type */
  public WebhookResponse {
    if (status < 100 || status > 599) {
      throw ValidationException.of("status", Integer.toString(status), "not an HTTP status (100 to 599)");
    }
    body = body == null ? "" : body;
    if (!body.isEmpty() && (contentType == null || contentType.isBlank())) {
      throw ValidationException.of("contentType", contentType, "a response with a body needs a content type");
    }
  }

  /** 200 with no body and no content type. */
  public static WebhookResponse ok() {
    return new WebhookResponse(200, null, "");
  }
}
