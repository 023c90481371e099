package dev.crmkit.integrations;

import java.util.Optional;
import javax.crypto.SecretKey;

/**
 * The AES-256 keys credentials are sealed under, supplied by the host (SKELETON: helper B builds the
 * factories, e.g. from the environment, and documents KMS use). New secrets are sealed under
 * {@link #currentKeyId()}; every key still listed can open what it sealed, which is what makes
 * rotation possible without downtime.
 */
public interface KeyRing {
  /** The id of the key new secrets are sealed under. */
  String currentKeyId();

  /** The key with this id, or empty when the ring no longer holds it. */
  Optional<SecretKey> key(String keyId);
}
