package dev.crmkit.sync;

/** Where a sync run stands. */
public enum RunStatus {
  /** Started and not finished, or killed before it could finish. */
  RUNNING,
  /** Finished; every record was synced or skipped. */
  SUCCEEDED,
  /** Finished, but some records failed; see {@link dev.crmkit.sync.spi.SyncStore#recordErrors}. */
  PARTIALLY_FAILED,
  /** Stopped by an error that ended the whole run (lost lease, authentication, outage). */
  FAILED
}
