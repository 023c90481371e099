package dev.crmkit.actions;

/** How a call ended, as the host's phone system reports it. */
public enum CallOutcome {
  /** The call was answered and held. */
  COMPLETED,
  /** Nobody answered. */
  NO_ANSWER,
  /** The line was busy. */
  BUSY,
  /** A voicemail was left. */
  VOICEMAIL,
  /** The call failed (network, number unreachable). */
  FAILED
}
