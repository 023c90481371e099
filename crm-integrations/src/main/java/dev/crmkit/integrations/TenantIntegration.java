package dev.crmkit.integrations;

import dev.crmkit.sync.SyncFlow;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A tenant's configured integration as every read returns it: never a secret, only the keys of the
 * credentials that are set. Immutable; the collections are unmodifiable copies.
 *
 * @param id opaque id, unique across tenants (1 to 40 of letters, digits and {@code -}); never null
 * @param tenantId the owning tenant; never null
 * @param provider the provider name ({@code "hubspot"}); never null
 * @param name the tenant's label, 1 to 100 characters; never null
 * @param status where it stands; never null
 * @param flow the sync direction; never null
 * @param schedule how often it syncs on its own; never null
 * @param settings the non-secret settings, sorted by key; {@code null} reads as empty
 * @param credentialKeys the keys of the secret settings that are set, never their values, sorted;
 *     {@code null} reads as empty
 * @param mapping the stored field mapping; empty means the provider's defaults
 *     ({@link IntegrationService#mapping} returns the rules in effect); {@code null} reads as empty
 * @param accountId the vendor account it is connected to (HubSpot portal id, Salesforce org id), or null
 * @param lastSyncAt when the last run finished, or null
 * @param lastError why the last run, test or health check failed, or null; never a secret
 * @param createdAt when created; never null
 * @param updatedAt when last changed; never null
 * @param version optimistic-lock version, 0 or more, raised by every change
 */
public record TenantIntegration(String id, String tenantId, String provider, String name, IntegrationStatus status,
    SyncFlow flow, SyncSchedule schedule, Map<String, String> settings, Set<String> credentialKeys,
    List<MappingRule> mapping, String accountId, Instant lastSyncAt, String lastError, Instant createdAt,
    Instant updatedAt, long version) {

  /**
   * @throws NullPointerException naming the first required component that is null
   * @throws IllegalArgumentException naming {@code version} when negative
   */
  public TenantIntegration {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(flow, "flow");
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    if (version < 0) {
      throw new IllegalArgumentException("version must be 0 or more: " + version);
    }
    settings = settings == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(settings));
    credentialKeys = credentialKeys == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(credentialKeys));
    mapping = mapping == null ? List.of() : List.copyOf(mapping);
  }

  /** True when the tenant has not paused it: {@link IntegrationStatus#ACTIVE} or {@link IntegrationStatus#ERROR}. */
  public boolean enabled() {
    return status == IntegrationStatus.ACTIVE || status == IntegrationStatus.ERROR;
  }
}
