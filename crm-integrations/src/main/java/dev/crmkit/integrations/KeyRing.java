package dev.crmkit.integrations;

import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The AES-256 keys an {@link IntegrationService} seals tenant credentials under, supplied by the host.
 *
 * <p>New and changed credentials are sealed under {@link #currentKeyId()}; every key the ring still
 * holds opens what it sealed. That is what lets {@link IntegrationService#rotateCredentials()} re-seal
 * stored credentials under a new key while every node keeps reading them.
 *
 * <p>{@link KeyRings#of} and {@link KeyRings#fromEnvironment()} build rings from raw key bytes. A host
 * whose keys live in a KMS either unwraps its data keys at startup and passes them to {@link
 * KeyRings#of}, or implements this interface itself (see {@code docs/key-management.md}).
 *
 * <p>Contract for implementations: key ids match {@code [A-Za-z0-9_-]{1,64}} (the sealed envelope uses
 * {@code '.'} as its separator, so an id never contains one); keys are {@code "AES"} keys of exactly
 * 32 bytes usable by the JDK's {@code AES/GCM/NoPadding}; both methods are thread-safe and cheap, as
 * they are called for every seal and open; {@code toString()} never shows key material. A current key
 * the ring does not hold, an id of another shape or a key of another length is refused with {@link
 * dev.crmkit.error.ConfigurationException} when credentials are sealed, never silently used.
 */
public interface KeyRing {
  /** The id of the key new credentials are sealed under; never null. */
  String currentKeyId();

  /**
   * The key with this id.
   *
   * @param keyId an id read from a sealed envelope; never null
   * @return the key, or empty when the ring does not hold it (credentials sealed under it no longer open)
   */
  Optional<SecretKey> key(String keyId);
}
