package dev.crmkit.integrations;

import java.time.Duration;
import java.time.Instant;

/**
 * The health summary of one integration, as {@link IntegrationService#health} computes it from the run
 * log of the last 24 hours and the open conflicts.
 *
 * @param integrationId the integration
 * @param status its status
 * @param runs runs in the window
 * @param failures failed runs in the window
 * @param meanDuration mean run duration in the window, or null with no run
 * @param openConflicts conflicts waiting for a person
 * @param errorRate failures / runs, 0 with no run
 * @param lastSyncAt when the last run finished, or null
 * @param lastError the last failure, or null
 */
public record IntegrationHealth(String integrationId, IntegrationStatus status, int runs, int failures,
    Duration meanDuration, int openConflicts, double errorRate, Instant lastSyncAt, String lastError) {}
