package dev.crmkit.testkit.hubspot;

import java.util.List;

/**
 * One POST of a batch of webhook events by {@link HubSpotWebhooks#flush()}.
 *
 * @param eventIds the ids of the events in the batch, in the order sent; unmodifiable
 * @param attemptNumbers each event's {@code attemptNumber} in this POST (0 on the first try),
 *     parallel to {@code eventIds}; unmodifiable
 * @param status the HTTP status the target answered, or 0 when the connection failed
 * @param failure why the attempt failed, such as {@code "HTTP 500"} or the I/O error; null when
 *     the target answered 2xx
 * @param willRetry whether the batch's events stay queued for the next flush; false after a 2xx
 *     and once the events reached the maximum attempts
 */
public record WebhookAttempt(
    List<Long> eventIds, List<Integer> attemptNumbers, int status, String failure, boolean willRetry) {
  /** Copies the lists. */
  public WebhookAttempt {
    eventIds = List.copyOf(eventIds);
    attemptNumbers = List.copyOf(attemptNumbers);
  }

  /** @return whether the target answered with a 2xx status */
  public boolean delivered() {
    return status >= 200 && status < 300;
  }
}
