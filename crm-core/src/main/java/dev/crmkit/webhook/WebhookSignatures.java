package dev.crmkit.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Building blocks for webhook signature checks shared by the vendor handlers: digests, HMAC and a
 * constant-time comparison. Stateless and thread-safe.
 */
public final class WebhookSignatures {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private WebhookSignatures() {}

  /**
   * Compares two signatures in time that depends only on their lengths, not on where they first
   * differ, so an attacker cannot guess a signature byte by byte from response times. Uses {@link
   * MessageDigest#isEqual} on the UTF-8 bytes.
   *
   * @param expected the signature computed locally; {@code null} never matches
   * @param actual the signature the caller sent; {@code null} never matches
   * @return true when both are non-null and equal
   */
  public static boolean constantTimeEquals(String expected, String actual) {
    if (expected == null || actual == null) {
      return false;
    }
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * SHA-256 over the concatenation of the parts.
   *
   * @param parts byte arrays hashed in order; none {@code null}
   * @return the 32-byte digest
   */
  public static byte[] sha256(byte[]... parts) {
    MessageDigest digest = digest();
    for (byte[] part : parts) {
      digest.update(part);
    }
    return digest.digest();
  }

  /**
   * HMAC-SHA256 over the concatenation of the parts.
   *
   * @param key the secret key bytes; not empty
   * @param parts byte arrays authenticated in order; none {@code null}
   * @return the 32-byte MAC
   * @throws IllegalArgumentException when the key is empty
   */
  public static byte[] hmacSha256(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every Java platform, so only a bad key gets here.
      throw new IllegalArgumentException("cannot compute HMAC-SHA256: " + e.getMessage(), e);
    }
  }

  /**
   * @param bytes any bytes
   * @return lower-case hexadecimal, two characters per byte
   */
  public static String hex(byte[] bytes) {
    char[] out = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[bytes[i] & 0xf];
    }
    return new String(out);
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
