package dev.crmkit.error;

import dev.crmkit.Capability;

/**
 * The back end cannot do the requested operation. Check {@code CustomerSystem.capabilities()}
 * first to avoid it.
 */
public class UnsupportedCapabilityException extends CrmException {
  private static final long serialVersionUID = 1L;

  private final Capability capability;

  /**
   * @param provider provider name
   * @param capability the missing capability
   */
  public UnsupportedCapabilityException(String provider, Capability capability) {
    super("provider '" + provider + "' does not support " + capability, provider, 0, null, null, null);
    this.capability = capability;
  }

  /** The missing capability. */
  public Capability capability() {
    return capability;
  }
}
