package dev.crmkit;

/** A customer's consent to be contacted on one channel. A channel absent from the map is unknown. */
public enum OptInStatus {
  OPTED_IN,
  OPTED_OUT
}
