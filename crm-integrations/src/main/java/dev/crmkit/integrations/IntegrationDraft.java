package dev.crmkit.integrations;

import dev.crmkit.sync.SyncFlow;
import java.util.Map;

/**
 * What a tenant submits to create an integration (SKELETON: helper A adds checks; {@code toString}
 * must never show a credential).
 *
 * @param provider the provider name
 * @param name the tenant's label
 * @param flow the sync direction
 * @param schedule how often it syncs on its own
 * @param settings non-secret settings, checked against the provider's descriptor
 * @param credentials secret settings, sealed before they are stored; may be empty for an OAuth connect
 */
public record IntegrationDraft(String provider, String name, SyncFlow flow, SyncSchedule schedule,
    Map<String, String> settings, Map<String, String> credentials) {}
