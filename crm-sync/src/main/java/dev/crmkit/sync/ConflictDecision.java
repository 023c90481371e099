package dev.crmkit.sync;

import dev.crmkit.sync.ConflictResolution.Side;
import java.time.Instant;
import java.util.Map;

/**
 * How a person decided a parked conflict. Immutable.
 *
 * @param choice {@link Side#LOCAL} or {@link Side#REMOTE} to take that side's values,
 *     {@link Side#MERGED} to take {@link #mergedValues()}
 * @param mergedValues for {@link Side#MERGED}, field name to the chosen value ({@code null} clears
 *     the field), sorted by name; empty otherwise; unmodifiable
 * @param resolvedBy who decided, as the host names them (a user id, an email)
 * @param resolvedAt when, by the store's clock
 */
public record ConflictDecision(Side choice, Map<String, String> mergedValues, String resolvedBy, Instant resolvedAt) {}
