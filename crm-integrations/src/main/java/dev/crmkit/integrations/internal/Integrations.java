package dev.crmkit.integrations.internal;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.IntegrationDraft;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.IntegrationUpdate;
import dev.crmkit.integrations.MappingRule;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.provider.ProviderDescriptor;
import dev.crmkit.spi.TenantIds;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Create, read, update, delete, enable, disable and field mapping of tenant integrations, for
 * {@link dev.crmkit.integrations.IntegrationService}. Thread-safe.
 */
public final class Integrations {
  /** Most rules a stored mapping holds: {@value}. */
  public static final int MAX_RULES = 200;

  private final Runtime runtime;

  public Integrations(Runtime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
  }

  /** The tenant's integrations, oldest first. */
  public List<TenantIntegration> list(String tenantId) {
    TenantIds.check(tenantId, "tenantId");
    return runtime.store().list(tenantId).stream().map(StoredIntegration::integration).toList();
  }

  /** Creates an integration; see {@link dev.crmkit.integrations.IntegrationService#create}. */
  public TenantIntegration create(String tenantId, IntegrationDraft draft) {
    TenantIds.check(tenantId, "tenantId");
    Objects.requireNonNull(draft, "draft");
    ProviderDescriptor d = descriptor(draft.provider());
    Map<String, String> settings = withoutBlanks(draft.settings());
    Map<String, String> credentials = withoutBlanks(draft.credentials());
    SettingsCheck.check(d, settings, credentials);
    String id = UUID.randomUUID().toString();
    Instant now = runtime.clock().instant();
    IntegrationStatus status = SettingsCheck.connected(d, credentials) ? IntegrationStatus.ACTIVE
        : IntegrationStatus.DISCONNECTED;
    TenantIntegration t = new TenantIntegration(id, tenantId, d.name(), draft.name(), status, draft.flow(),
        draft.schedule(), settings, credentials.keySet(), List.of(), null, null, null, now, now, 0);
    String sealed = credentials.isEmpty() ? null : runtime.cipher().seal(tenantId, id, credentials);
    runtime.store().insert(new StoredIntegration(t, sealed));
    return t;
  }

  /** Changes an integration; see {@link dev.crmkit.integrations.IntegrationService#update}. */
  public TenantIntegration update(String tenantId, String id, IntegrationUpdate update) {
    Objects.requireNonNull(update, "update");
    StoredIntegration current = runtime.requireStored(tenantId, id);
    ProviderDescriptor d = descriptor(current.integration().provider());
    return runtime.update(id, update.expectedVersion(), e -> {
      Map<String, String> settings = merge(e.before().integration().settings(), update.settings());
      Map<String, String> credentials = update.credentials() == null ? null
          : merge(runtime.credentials(e.before()), update.credentials());
      if (credentials == null) {
        SettingsCheck.check(d, settings, Map.of(), e.before().integration().credentialKeys());
      } else {
        SettingsCheck.check(d, settings, credentials);
      }
      if (update.name() != null) {
        e.name = update.name();
      }
      if (update.flow() != null) {
        e.flow = update.flow();
      }
      if (update.schedule() != null) {
        e.schedule = update.schedule();
      }
      e.settings = settings;
      if (credentials != null) {
        e.sealedCredentials = credentials.isEmpty() ? null : runtime.cipher().seal(tenantId, id, credentials);
        e.credentialKeys = new TreeSet<>(credentials.keySet());
        boolean connected = SettingsCheck.connected(d, credentials);
        if (connected && e.status == IntegrationStatus.DISCONNECTED) {
          e.status = IntegrationStatus.ACTIVE;
        } else if (!connected && e.before().integration().enabled()) {
          e.status = IntegrationStatus.DISCONNECTED;
        }
      }
    }).integration();
  }

  /** Deletes an integration; see {@link dev.crmkit.integrations.IntegrationService#delete}. */
  public void delete(String tenantId, String id, boolean eraseSyncState) {
    TenantIntegration t = runtime.require(tenantId, id);
    if (!runtime.store().delete(tenantId, id)) {
      throw Runtime.notFound(id);
    }
    runtime.evict(id);
    if (eraseSyncState) {
      runtime.syncStore().erase(Runtime.key(t));
    }
  }

  /** Enables a paused integration: ACTIVE when it can authenticate, else DISCONNECTED; others unchanged. */
  public TenantIntegration enable(String tenantId, String id) {
    StoredIntegration current = runtime.requireStored(tenantId, id);
    if (current.integration().status() != IntegrationStatus.PAUSED) {
      return current.integration();
    }
    ProviderDescriptor d = descriptor(current.integration().provider());
    return runtime.update(id, null, e -> {
      if (e.status == IntegrationStatus.PAUSED) {
        e.status = SettingsCheck.connected(d, runtime.credentials(e.before())) ? IntegrationStatus.ACTIVE
            : IntegrationStatus.DISCONNECTED;
      }
    }).integration();
  }

  /** Pauses an integration (idempotent). */
  public TenantIntegration disable(String tenantId, String id) {
    TenantIntegration current = runtime.require(tenantId, id);
    if (current.status() == IntegrationStatus.PAUSED) {
      return current;
    }
    return runtime.update(id, null, e -> e.status = IntegrationStatus.PAUSED).integration();
  }

  /** The rules in effect. */
  public List<MappingRule> mapping(String tenantId, String id) {
    return Runtime.effectiveMapping(runtime.require(tenantId, id));
  }

  /** Stores a mapping (empty: back to the provider's defaults); returns the rules in effect. */
  public List<MappingRule> updateMapping(String tenantId, String id, List<MappingRule> rules) {
    if (rules == null) {
      throw ValidationException.of("rules", null, "is required: a list of rules, empty for the provider's defaults");
    }
    List<FieldError> errors = new ArrayList<>();
    if (rules.size() > MAX_RULES) {
      errors.add(new FieldError("rules", Integer.toString(rules.size()), "at most " + MAX_RULES + " rules"));
    }
    Map<String, Integer> fields = new HashMap<>();
    Map<String, Integer> remoteFields = new HashMap<>();
    for (int i = 0; i < rules.size(); i++) {
      MappingRule r = rules.get(i);
      if (r == null) {
        errors.add(new FieldError("rules[" + i + "]", null, "must not be null"));
        continue;
      }
      Integer earlier = fields.putIfAbsent(r.field(), i);
      if (earlier != null) {
        errors.add(new FieldError("rules[" + i + "].field", r.field(), "is mapped by rules[" + earlier + "] already"));
      }
      earlier = remoteFields.putIfAbsent(r.remoteField(), i);
      if (earlier != null) {
        errors.add(new FieldError("rules[" + i + "].remoteField", r.remoteField(),
            "is mapped by rules[" + earlier + "] already"));
      }
    }
    Validation.throwIfAny(errors);
    runtime.require(tenantId, id);
    List<MappingRule> copy = List.copyOf(rules);
    return Runtime.effectiveMapping(runtime.update(id, null, e -> e.mapping = copy).integration());
  }

  private ProviderDescriptor descriptor(String provider) {
    return runtime.descriptor(provider).orElseThrow(() -> ValidationException.of("provider",
        Validation.abbreviate(provider), "is not an installed provider; installed: " + installed()));
  }

  private Set<String> installed() {
    return runtime.factory().providerNames();
  }

  /** {@code base} with {@code changes} applied: a null or blank value removes its key. */
  private static Map<String, String> merge(Map<String, String> base, Map<String, String> changes) {
    Map<String, String> out = new TreeMap<>(base);
    if (changes != null) {
      changes.forEach((k, v) -> {
        if (v == null || v.isBlank()) {
          out.remove(k);
        } else {
          out.put(k, v);
        }
      });
    }
    return out;
  }

  private static Map<String, String> withoutBlanks(Map<String, String> map) {
    return merge(Map.of(), map);
  }
}
