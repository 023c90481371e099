package dev.crmkit.sync.spi;

import dev.crmkit.sync.spi.SyncChecks;

/**
 * A local record linked to its remote counterpart, with the snapshot of their last sync. Immutable.
 *
 * @param localId the record's id in the local system, 1 to 255 characters
 * @param externalId the record's id in the remote system, 1 to 255 characters
 * @param snapshot the record as last synced, or {@code null} when none was saved yet
 */
public record IdMapping(String localId, String externalId, SyncSnapshot snapshot) {
  /** @throws dev.crmkit.error.ValidationException naming {@code localId} or {@code externalId} when blank or too long */
  public IdMapping {
    SyncChecks.id(localId, "localId");
    SyncChecks.id(externalId, "externalId");
  }
}
