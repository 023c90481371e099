package dev.crmkit.integrations;

import dev.crmkit.sync.SyncFlow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A tenant's configured integration as every read returns it: never a secret (SKELETON: helper A
 * documents nullability and validates).
 *
 * @param id opaque id, unique across tenants
 * @param tenantId the owning tenant
 * @param provider the provider name ({@code "hubspot"})
 * @param name the tenant's label
 * @param status where it stands
 * @param flow the sync direction
 * @param schedule how often it syncs on its own
 * @param settings the non-secret settings
 * @param credentialKeys the keys of the secret settings that are set, never their values
 * @param mapping the stored field mapping; empty means the provider's defaults
 * @param accountId the vendor account it is connected to (HubSpot portal id, Salesforce org id), or null
 * @param lastSyncAt when the last run finished, or null
 * @param lastError why the last run or health check failed, or null
 * @param createdAt when created
 * @param updatedAt when last changed
 * @param version optimistic-lock version, raised by every change
 */
public record TenantIntegration(String id, String tenantId, String provider, String name, IntegrationStatus status,
    SyncFlow flow, SyncSchedule schedule, Map<String, String> settings, Set<String> credentialKeys,
    List<MappingRule> mapping, String accountId, Instant lastSyncAt, String lastError, Instant createdAt,
    Instant updatedAt, long version) {}
