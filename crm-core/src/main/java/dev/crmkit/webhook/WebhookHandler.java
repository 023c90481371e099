package dev.crmkit.webhook;

import dev.crmkit.error.SignatureVerificationException;
import dev.crmkit.error.ValidationException;

/**
 * Verifies and parses one vendor's webhook calls. Implementations are immutable and thread-safe:
 * one instance serves every call for its credentials.
 *
 * <p>Typical use in a host's HTTP endpoint: build a {@link WebhookRequest} from the raw call, call
 * {@link #handle}, pass the events to the sync inbox and answer with {@link WebhookResult#response()};
 * answer 401 on {@link SignatureVerificationException} and 400 on {@link ValidationException}.
 */
public interface WebhookHandler {

  /**
   * Verifies the request's signature and replay window, then parses its payload.
   *
   * @param request the call as received; not {@code null}
   * @return the events, the response to send and any elements that could not be parsed; never {@code null}
   * @throws SignatureVerificationException when a signature or timestamp header is missing or
   *     malformed, the signature does not match, or the timestamp is outside the replay window;
   *     nothing was parsed
   * @throws ValidationException when the signature is valid but the body is not the payload shape the
   *     vendor documents (empty, malformed JSON, wrong top-level type)
   */
  WebhookResult handle(WebhookRequest request);
}
