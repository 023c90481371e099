package dev.crmkit;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * An interaction with a customer.
 *
 * @param id the back end's activity id; never null
 * @param customerId the customer; never null
 * @param type what happened; never null
 * @param channel where it happened, or {@code null}
 * @param description a short text such as the message body, or {@code null}
 * @param occurredAt when it happened; never null
 * @param metadata extra facts such as a message id; never null, sorted, unmodifiable
 * @param idempotencyKey the key the activity was recorded under (see {@link ActivityDraft}), or {@code null}
 */
public record CustomerActivity(
    String id,
    String customerId,
    ActivityType type,
    Channel channel,
    String description,
    Instant occurredAt,
    Map<String, String> metadata,
    String idempotencyKey) {
  public CustomerActivity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(occurredAt, "occurredAt");
    metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(metadata));
  }
}
