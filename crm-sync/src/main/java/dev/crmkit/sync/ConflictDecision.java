package dev.crmkit.sync;

import java.time.Instant;
import java.util.Map;

/**
 * How a person decided a parked conflict. Immutable.
 *
 * @param choice {@link SyncSide#LOCAL} or {@link SyncSide#REMOTE} to take that side's values,
 *     {@link SyncSide#MERGED} to take {@link #mergedValues()}
 * @param mergedValues for {@link SyncSide#MERGED}, field name to the chosen value ({@code null} clears
 *     the field), sorted by name; empty otherwise; unmodifiable
 * @param resolvedBy who decided, as the host names them (a user id, an email)
 * @param resolvedAt when, by the store's clock
 */
public record ConflictDecision(SyncSide choice, Map<String, String> mergedValues, String resolvedBy, Instant resolvedAt) {}
