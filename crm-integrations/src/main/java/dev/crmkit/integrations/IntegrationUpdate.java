package dev.crmkit.integrations;

import dev.crmkit.sync.SyncFlow;
import java.util.Map;

/**
 * A change to a tenant integration; a null component leaves that part as it is (SKELETON: helper A).
 * Settings and credentials are merged key by key: a key mapped to {@code null} (or blank) removes it.
 *
 * @param name new label, or null
 * @param flow new direction, or null
 * @param schedule new schedule, or null
 * @param settings settings to set or remove, or null
 * @param credentials credentials to set or remove, or null
 * @param expectedVersion the version the caller read, or null to skip the optimistic check
 */
public record IntegrationUpdate(String name, SyncFlow flow, SyncSchedule schedule, Map<String, String> settings,
    Map<String, String> credentials, Long expectedVersion) {}
