package dev.crmkit.testkit.salesforce;

import java.util.List;

/**
 * One POST of an outbound message by {@link SalesforceOutboundMessages#flush()}.
 *
 * @param notificationIds the {@code Notification/Id} values in the message, in the order sent;
 *     unmodifiable. A retry or a duplicate repeats the same ids, which receivers dedupe on.
 * @param recordIds the record ids, parallel to {@code notificationIds}; unmodifiable
 * @param status the HTTP status the endpoint answered, or 0 when the connection failed
 * @param acknowledged whether the endpoint answered 200 with {@code <Ack>true</Ack>}
 * @param failure why the attempt did not count as delivered; null when acknowledged
 * @param willRetry whether the notifications stay queued for the next flush
 */
public record OutboundDelivery(List<String> notificationIds, List<String> recordIds, int status, boolean acknowledged,
    String failure, boolean willRetry) {
  /** Copies the lists. */
  public OutboundDelivery {
    notificationIds = List.copyOf(notificationIds);
    recordIds = List.copyOf(recordIds);
  }
}
