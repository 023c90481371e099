package dev.crmkit;

/** Lifecycle segment of a customer, from first contact to best customer. */
public enum Segment {
  /** Known to the host but has not bought yet. */
  PROSPECT,
  /** Has bought. */
  STANDARD,
  /** Bought recently and often. */
  ACTIVE,
  /** Among the best customers. */
  VIP
}
