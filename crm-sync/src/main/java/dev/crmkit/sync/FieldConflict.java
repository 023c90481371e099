package dev.crmkit.sync;

import dev.crmkit.sync.spi.SyncChecks;

/**
 * One field of a parked conflict: its value on each side and at the last sync. Immutable.
 *
 * @param field the field's name as the sync engine flattens records (as in {@link dev.crmkit.sync.spi.SyncSnapshot#fields()});
 *     1 to 255 characters
 * @param localValue the local value; {@code null} when the field has none
 * @param remoteValue the remote value; {@code null} when the field has none
 * @param baseValue the value at the last sync; {@code null} when it had none or there was no sync
 */
public record FieldConflict(String field, String localValue, String remoteValue, String baseValue) {
  /** @throws dev.crmkit.error.ValidationException naming {@code field} when blank or too long */
  public FieldConflict {
    SyncChecks.id(field, "field");
  }
}
