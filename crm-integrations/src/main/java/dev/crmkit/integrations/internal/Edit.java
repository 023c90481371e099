package dev.crmkit.integrations.internal;

import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.SyncSchedule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.sync.SyncFlow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The changeable parts of a stored integration, for {@link Runtime#update}: set what changes; the
 * version and {@code updatedAt} move by themselves. Not thread-safe; one per change. Setting
 * credentials goes through {@link Runtime#replaceCredentials}, which seals them.
 */
public final class Edit {
  private final StoredIntegration before;
  /** The label. */
  public String name;
  /** The status. */
  public IntegrationStatus status;
  /** The sync direction. */
  public SyncFlow flow;
  /** The schedule. */
  public SyncSchedule schedule;
  /** The non-secret settings. */
  public Map<String, String> settings;
  /** The stored mapping; empty for the provider's defaults. */
  public List<MappingRule> mapping;
  /** The vendor account, or null. */
  public String accountId;
  /** When the last run finished, or null. */
  public Instant lastSyncAt;
  /** Why the last run, test or check failed, or null; cut to {@value Runtime#MAX_ERROR} characters. */
  public String lastError;
  String sealedCredentials;
  Set<String> credentialKeys;

  Edit(StoredIntegration before) {
    this.before = before;
    TenantIntegration t = before.integration();
    name = t.name();
    status = t.status();
    flow = t.flow();
    schedule = t.schedule();
    settings = t.settings();
    mapping = t.mapping();
    accountId = t.accountId();
    lastSyncAt = t.lastSyncAt();
    lastError = t.lastError();
    sealedCredentials = before.sealedCredentials();
    credentialKeys = t.credentialKeys();
  }

  /** The row as it was read. */
  public StoredIntegration before() {
    return before;
  }

  StoredIntegration build(Instant now) {
    TenantIntegration t = before.integration();
    return new StoredIntegration(new TenantIntegration(t.id(), t.tenantId(), t.provider(), name, status, flow, schedule,
        settings, credentialKeys, mapping, accountId, lastSyncAt, Runtime.cut(lastError), t.createdAt(), now,
        t.version() + 1), sealedCredentials);
  }
}
