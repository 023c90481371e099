package dev.crmkit.integrations.internal;

import java.util.List;

/**
 * The sealed credentials of every stored integration, as {@link KeyRotation} reads and replaces them.
 * Implementations are thread-safe.
 */
public interface SealedRows {
  /**
   * One integration's envelope.
   *
   * @param id the integration id
   * @param tenantId its tenant, part of the envelope's associated data
   * @param envelope what {@link CredentialCipher#seal} wrote
   */
  record Sealed(String id, String tenantId, String envelope) {}

  /**
   * Up to {@code limit} integrations whose envelope is not sealed under {@code keyId} (integrations without
   * credentials are never listed), with ids after {@code afterId}, in id order: repeating the call with
   * the last id returned walks every such integration once.
   */
  List<Sealed> sealedNotUnder(String keyId, String afterId, int limit);

  /**
   * Replaces an integration's envelope when it is still {@code expected} (compare-and-set), leaving its
   * version and update time alone: re-sealing does not change the credentials.
   *
   * @return true when replaced; false when the envelope changed meanwhile or the integration is gone
   */
  boolean replaceSealed(String id, String expected, String replacement);
}
