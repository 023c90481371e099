package dev.crmkit.sync;

import dev.crmkit.sync.spi.SyncChecks;

/**
 * One record a sync run could not sync. Immutable.
 *
 * @param recordId the record's id on {@code side}, 1 to 255 characters
 * @param side the system the failure happened on: {@link SyncSide#LOCAL} or {@link SyncSide#REMOTE}
 * @param errorType a short, stable name of the kind of error, such as the exception's simple class
 *     name ({@code "ValidationException"}); 1 to 255 characters
 * @param message what went wrong, for a person; not blank; must not hold credentials
 */
public record RecordError(String recordId, SyncSide side, String errorType, String message) {
  /** @throws dev.crmkit.error.ValidationException naming the first missing or malformed component */
  public RecordError {
    SyncChecks.id(recordId, "recordId");
    if (SyncChecks.required(side, "side") == SyncSide.MERGED) {
      throw dev.crmkit.error.ValidationException.of("side", side.name(), "a record is LOCAL or REMOTE");
    }
    SyncChecks.id(errorType, "errorType");
    SyncChecks.id(message, "message", Integer.MAX_VALUE);
  }
}
