package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.sync.spi.TextCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals an integration's credentials with AES-256-GCM (JDK {@code javax.crypto}) under the key ring's
 * current key, and opens what any key still in the ring sealed.
 *
 * <p>Envelope (ASCII, one column): {@code v1.<keyId>.<nonce>.<ciphertext>}, nonce (12 random bytes)
 * and ciphertext (with its 16-byte tag) in unpadded base64url. The associated data binds the envelope
 * to its row ({@code tenantId}, {@code integrationId}) and to the version and key id, so an envelope
 * copied to another integration, or with its header edited, does not open.
 */
public final class CredentialCipher {
  /** The envelope format this class writes. */
  public static final String VERSION = "v1";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final KeyRing keyRing;
  private final SecureRandom random = new SecureRandom();

  public CredentialCipher(KeyRing keyRing) {
    this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
  }

  /** Seals credentials for one integration under the current key. */
  public String seal(String tenantId, String integrationId, Map<String, String> credentials) {
    String keyId = keyRing.currentKeyId();
    SecretKey key = keyRing.key(keyId).orElseThrow(() -> new ConfigurationException(
        "the key ring's current key '" + keyId + "' is not in the ring"));
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] plain = TextCodec.encodeMap(credentials).getBytes(StandardCharsets.UTF_8);
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(keyId, tenantId, integrationId));
      byte[] sealed = c.doFinal(plain);
      return VERSION + "." + keyId + "." + B64.encodeToString(nonce) + "." + B64.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("cannot seal credentials with key '" + keyId + "': " + e.getClass().getSimpleName());
    } finally {
      java.util.Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Opens an envelope this class sealed for the same integration.
   *
   * @throws ConfigurationException when the envelope is malformed, its key is no longer in the ring,
   *     or it does not authenticate (tampered, or sealed for another integration); never with content
   */
  public Map<String, String> open(String tenantId, String integrationId, String envelope) {
    String[] parts = parts(envelope);
    String keyId = parts[1];
    SecretKey key = keyRing.key(keyId).orElseThrow(() -> new ConfigurationException(
        "the credentials of integration '" + integrationId + "' are sealed under key '" + keyId
            + "', which the key ring no longer holds"));
    try {
      byte[] nonce = B64D.decode(parts[2]);
      byte[] sealed = B64D.decode(parts[3]);
      if (nonce.length != NONCE_BYTES) {
        throw new ConfigurationException("the credentials of integration '" + integrationId + "' have a malformed envelope");
      }
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(keyId, tenantId, integrationId));
      return TextCodec.decodeMap(new String(c.doFinal(sealed), StandardCharsets.UTF_8));
    } catch (AEADBadTagException e) {
      throw new ConfigurationException("the credentials of integration '" + integrationId
          + "' do not authenticate under key '" + keyId + "': tampered, or sealed for another integration");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new ConfigurationException("the credentials of integration '" + integrationId + "' cannot be opened: "
          + e.getClass().getSimpleName());
    }
  }

  /** The key id an envelope names. */
  public static String keyId(String envelope) {
    return parts(envelope)[1];
  }

  private static String[] parts(String envelope) {
    String[] parts = Objects.requireNonNull(envelope, "envelope").split("\\.", -1);
    if (parts.length != 4 || !VERSION.equals(parts[0]) || parts[1].isEmpty()) {
      throw new ConfigurationException("sealed credentials are not a " + VERSION + " envelope");
    }
    return parts;
  }

  private static byte[] aad(String keyId, String tenantId, String integrationId) {
    return TextCodec.encode(java.util.List.of(VERSION, keyId, tenantId, integrationId)).getBytes(StandardCharsets.UTF_8);
  }
}
