package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.integrations.ConnectionTest;
import dev.crmkit.integrations.IntegrationStatus;
import dev.crmkit.integrations.TenantIntegration;
import dev.crmkit.spi.Validation;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.sync.SyncMode;
import dev.crmkit.sync.SyncResult;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.SyncSide;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Connection test, sync now (all customers or one), run history and conflicts of tenant integrations,
 * for {@link dev.crmkit.integrations.IntegrationService}. Thread-safe.
 */
public final class Operations {
  private final Runtime runtime;
  private final ConnectionProbe probe;

  public Operations(Runtime runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.probe = new ConnectionProbe(runtime);
  }

  /** See {@link dev.crmkit.integrations.IntegrationService#testConnection}. */
  public ConnectionTest testConnection(String tenantId, String id) {
    StoredIntegration s = runtime.requireStored(tenantId, id);
    ConnectionTest test = probe.probe(s);
    try {
      if (test.ok()) {
        IntegrationStatus status = s.integration().status();
        if (status == IntegrationStatus.ERROR || status == IntegrationStatus.DISCONNECTED) {
          runtime.setStatus(id, IntegrationStatus.ACTIVE, null);
        }
      } else {
        runtime.update(id, null, e -> e.lastError = "connection test failed (" + test.failure() + "): " + test.message());
      }
    } catch (NotFoundException deletedMeanwhile) {
      // The answer stands; there is no row left to record it on.
    }
    return test;
  }

  /** See {@link dev.crmkit.integrations.IntegrationService#syncNow}. */
  public SyncResult syncNow(String tenantId, String id, SyncMode mode) {
    if (mode == null) {
      throw ValidationException.of("mode", null, "is required: FULL or DELTA");
    }
    return sync(tenantId, id, engine -> engine.run(mode));
  }

  /** See {@link dev.crmkit.integrations.IntegrationService#syncCustomer}. */
  public SyncResult syncCustomer(String tenantId, String id, String customerId) {
    if (customerId == null || customerId.isBlank()) {
      throw ValidationException.of("customerId", customerId, "is required: the local (crmkit) customer id");
    }
    TenantIntegration t = runtime.require(tenantId, id);
    if (runtime.local(t.tenantId()).get(customerId).isEmpty()) {
      throw new NotFoundException(null, "customer", Validation.abbreviate(customerId));
    }
    return sync(tenantId, id, engine -> engine.syncCustomer(customerId));
  }

  private SyncResult sync(String tenantId, String id, Function<SyncEngine, SyncResult> work) {
    StoredIntegration s = runtime.requireStored(tenantId, id);
    IntegrationStatus status = s.integration().status();
    if (status == IntegrationStatus.PAUSED) {
      throw new ConflictException(null, "status", null, "integration '" + id + "' is paused: enable it to sync");
    }
    if (status == IntegrationStatus.DISCONNECTED) {
      throw new ConfigurationException("integration '" + id + "' is not connected: give its credentials, or "
          + "connect it by OAuth, then test the connection");
    }
    SyncResult result;
    try {
      result = work.apply(runtime.engine(s));
    } catch (ConflictException busy) {
      throw busy;
    } catch (CrmException e) {
      recordFailure(id, e);
      throw e;
    }
    try {
      runtime.recordRun(id, result);
    } catch (NotFoundException deletedMeanwhile) {
      // Deleted while it ran: its run stays in the run log unless the sync state was erased.
    }
    return result;
  }

  private void recordFailure(String id, CrmException e) {
    try {
      runtime.update(id, null, edit -> {
        edit.lastError = "sync failed: " + e.getMessage();
        if (edit.status == IntegrationStatus.ACTIVE) {
          edit.status = IntegrationStatus.ERROR;
        }
      });
    } catch (NotFoundException deletedMeanwhile) {
      // Nothing to record on.
    }
  }

  /** See {@link dev.crmkit.integrations.IntegrationService#history}. */
  public List<SyncRun> history(String tenantId, String id, int limit) {
    checkLimit(limit);
    return runtime.syncStore().recentRuns(Runtime.key(runtime.require(tenantId, id)), limit);
  }

  /** See {@link dev.crmkit.integrations.IntegrationService#conflicts}. */
  public List<SyncConflict> conflicts(String tenantId, String id, int limit) {
    checkLimit(limit);
    return runtime.syncStore().openConflicts(Runtime.key(runtime.require(tenantId, id)), limit);
  }

  /** See {@link dev.crmkit.integrations.IntegrationService#resolveConflict}. */
  public SyncConflict resolveConflict(String tenantId, String id, String conflictId, SyncSide choice, String resolvedBy) {
    if (conflictId == null || conflictId.isBlank()) {
      throw ValidationException.of("conflictId", conflictId, "is required");
    }
    if (choice != SyncSide.LOCAL && choice != SyncSide.REMOTE) {
      throw ValidationException.of("resolution", choice == null ? null : choice.name(), "must be LOCAL or REMOTE");
    }
    StoredIntegration s = runtime.requireStored(tenantId, id);
    SyncEngine engine = runtime.engine(s);
    if (engine.conflicts().get(conflictId).isEmpty()) {
      throw new NotFoundException(null, "conflict", Validation.abbreviate(conflictId));
    }
    return engine.conflicts().resolve(conflictId, choice, null, resolvedBy == null ? "integrations" : resolvedBy);
  }

  private static void checkLimit(int limit) {
    if (limit < 1 || limit > 1000) {
      throw ValidationException.of("limit", Integer.toString(limit), "must be 1 to 1000");
    }
  }
}
