package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.integrations.KeyRings;
import dev.crmkit.sync.spi.TextCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals an integration's credentials with AES-256-GCM (JDK {@code javax.crypto}) under the key ring's
 * current key, and opens what any key still in the ring sealed. Thread-safe.
 *
 * <p>Envelope (ASCII, one column): {@code v1.<keyId>.<nonce>.<ciphertext>}, nonce (12 random bytes)
 * and ciphertext (with its 16-byte tag) in unpadded base64url; the plaintext is the credentials as
 * {@link TextCodec#encodeMap}. The associated data binds the envelope to its row ({@code tenantId},
 * {@code integrationId}) and to the version and key id, so an envelope copied to another integration,
 * or with its header edited, does not open. Only the canonical base64 text of the bytes is accepted, so
 * one envelope has exactly one spelling. Random 96-bit nonces keep one key well inside GCM's bound
 * (2<sup>32</sup> seals per key, NIST SP 800-38D section 8.3) for any plausible number of credential
 * writes; rotation to a new key resets the count.
 *
 * <p>Errors are {@link ConfigurationException}s naming the integration and key id, never content.
 */
public final class CredentialCipher {
  /** The envelope format this class writes. */
  public static final String VERSION = "v1";
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final KeyRing keyRing;
  private final SecureRandom random = new SecureRandom();

  public CredentialCipher(KeyRing keyRing) {
    this.keyRing = Objects.requireNonNull(keyRing, "keyRing");
  }

  /**
   * The id of the key {@link #seal} uses now, checked as {@link #seal} checks it.
   *
   * @throws ConfigurationException as {@link #seal} does for the current key
   */
  public String currentKeyId() {
    String keyId = keyRing.currentKeyId();
    currentKey(keyId);
    return keyId;
  }

  private SecretKey currentKey(String keyId) {
    if (keyId == null || !KeyRings.KEY_ID.matcher(keyId).matches()) {
      // an id with '.' would write an envelope that never opens again
      throw new ConfigurationException("the key ring's current key id must match " + KeyRings.KEY_ID.pattern());
    }
    return usable(keyId, keyRing.key(keyId).orElseThrow(() -> new ConfigurationException(
        "the key ring's current key '" + keyId + "' is not in the ring")));
  }

  /**
   * Seals credentials for one integration under the current key.
   *
   * @throws ConfigurationException when the ring's current key id has another shape than {@link
   *     KeyRings#KEY_ID}, is not in the ring, or its key is not a 32-byte AES key
   */
  public String seal(String tenantId, String integrationId, Map<String, String> credentials) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(integrationId, "integrationId");
    Objects.requireNonNull(credentials, "credentials");
    String keyId = keyRing.currentKeyId();
    SecretKey key = currentKey(keyId);
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] plain = TextCodec.encodeMap(credentials).getBytes(StandardCharsets.UTF_8);
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(keyId, tenantId, integrationId));
      byte[] sealed = c.doFinal(plain);
      return VERSION + "." + keyId + "." + B64.encodeToString(nonce) + "." + B64.encodeToString(sealed);
    } catch (GeneralSecurityException e) {
      throw new ConfigurationException("cannot seal credentials with key '" + keyId + "': " + e.getClass().getSimpleName());
    } finally {
      Arrays.fill(plain, (byte) 0);
    }
  }

  /**
   * Opens an envelope this class sealed for the same integration.
   *
   * @throws ConfigurationException when the envelope is malformed, its key is no longer in the ring,
   *     or it does not authenticate (tampered, or sealed for another integration); never with content
   */
  public Map<String, String> open(String tenantId, String integrationId, String envelope) {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(integrationId, "integrationId");
    String[] parts = parts(envelope, " of integration '" + integrationId + "'");
    String keyId = parts[1];
    SecretKey key = usable(keyId, keyRing.key(keyId).orElseThrow(() -> new ConfigurationException(
        "the credentials of integration '" + integrationId + "' are sealed under key '" + keyId
            + "', which the key ring no longer holds")));
    byte[] nonce = canonical(parts[2]);
    byte[] sealed = canonical(parts[3]);
    // shorter than the tag, the JDK's GCM throws ProviderException rather than AEADBadTagException
    if (nonce == null || sealed == null || nonce.length != NONCE_BYTES || sealed.length < TAG_BITS / 8) {
      throw new ConfigurationException("the credentials of integration '" + integrationId + "' have a malformed envelope");
    }
    byte[] plain = null;
    try {
      Cipher c = Cipher.getInstance(TRANSFORMATION);
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(aad(keyId, tenantId, integrationId));
      plain = c.doFinal(sealed);
      return TextCodec.decodeMap(new String(plain, StandardCharsets.UTF_8));
    } catch (AEADBadTagException e) {
      throw new ConfigurationException("the credentials of integration '" + integrationId
          + "' do not authenticate under key '" + keyId + "': tampered, or sealed for another integration");
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      // the decoder's message would quote plaintext: only the failure's kind is told
      throw new ConfigurationException("the credentials of integration '" + integrationId + "' cannot be opened: "
          + e.getClass().getSimpleName());
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }

  /**
   * The key id an envelope names.
   *
   * @throws ConfigurationException when it is not a {@value #VERSION} envelope
   */
  public static String keyId(String envelope) {
    return parts(envelope, "")[1];
  }

  /** The text every envelope sealed under {@code keyId} starts with. */
  public static String prefix(String keyId) {
    return VERSION + "." + keyId + ".";
  }

  private static String[] parts(String envelope, String whose) {
    String[] parts = Objects.requireNonNull(envelope, "envelope").split("\\.", -1);
    if (parts.length != 4 || !VERSION.equals(parts[0]) || !KeyRings.KEY_ID.matcher(parts[1]).matches()) {
      throw new ConfigurationException("the sealed credentials" + whose + " are not a " + VERSION + " envelope");
    }
    return parts;
  }

  /** The bytes of canonical unpadded base64url text, or null for any other text. */
  private static byte[] canonical(String text) {
    try {
      byte[] bytes = B64D.decode(text);
      return B64.encodeToString(bytes).equals(text) ? bytes : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static SecretKey usable(String keyId, SecretKey key) {
    if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
      throw new ConfigurationException("key '" + keyId + "' is a " + key.getAlgorithm() + " key; AES-256 is required");
    }
    byte[] encoded = key.getEncoded();
    if (encoded != null) {
      int length = encoded.length;
      Arrays.fill(encoded, (byte) 0);
      if (length != KeyRings.KEY_BYTES) {
        throw new ConfigurationException("key '" + keyId + "' has " + length + " bytes; AES-256 needs exactly "
            + KeyRings.KEY_BYTES);
      }
    }
    return key;
  }

  private static byte[] aad(String keyId, String tenantId, String integrationId) {
    return TextCodec.encode(List.of(VERSION, keyId, tenantId, integrationId)).getBytes(StandardCharsets.UTF_8);
  }
}
