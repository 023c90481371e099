package dev.crmkit;

/**
 * Where a deal stands: still open, or closed as won or lost. A deal's status follows its stage
 * ({@link DealStage#status()}); setting a status moves the deal to its pipeline's first stage with it.
 */
public enum DealStatus {
  /** Being worked on. */
  OPEN,
  /** Closed, the customer bought. */
  WON,
  /** Closed, the customer did not buy. */
  LOST
}
