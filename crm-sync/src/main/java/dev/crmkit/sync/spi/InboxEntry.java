package dev.crmkit.sync.spi;

import dev.crmkit.webhook.ChangeEvent;
import java.time.Instant;

/**
 * A webhook event in the inbox, with its processing state. Immutable.
 *
 * @param event the event as it was put, with {@link ChangeEvent#occurredAt()} cut to whole
 *     milliseconds
 * @param status where it stands
 * @param attempts how many times applying it failed; 0 until the first failure
 * @param lastError the message of the last failure; {@code null} when it never failed
 * @param receivedAt when it was put, by the store's clock
 */
public record InboxEntry(ChangeEvent event, InboxStatus status, int attempts, String lastError, Instant receivedAt) {}
