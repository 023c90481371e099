package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.integrations.KeyRings;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {
  static final Map<String, String> SECRETS = Map.of("apiKey", "pat-na1-SECRET-0001", "clientSecret", "s3cr3t-ü-✓");
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  static byte[] key(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed * 131 + i * 17);
    }
    return b;
  }

  private final CredentialCipher k1 = new CredentialCipher(KeyRings.of("k1", Map.of("k1", key(1))));

  @Test
  void sealsIntoAV1EnvelopeThatOpensForTheSameIntegration() {
    String envelope = k1.seal("tenant-a", "int-1", SECRETS);

    assertThat(envelope).matches("v1\\.k1\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+");
    assertThat(CredentialCipher.keyId(envelope)).isEqualTo("k1");
    assertThat(envelope).doesNotContain("SECRET", "s3cr3t");
    assertThat(k1.open("tenant-a", "int-1", envelope)).isEqualTo(SECRETS);
    assertThat(k1.open("t", "i", k1.seal("t", "i", Map.of()))).isEmpty();
  }

  @Test
  void everySealUsesAFreshNonce() {
    Set<String> nonces = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      nonces.add(k1.seal("t", "i", SECRETS).split("\\.")[2]);
    }
    assertThat(nonces).hasSize(1000);
  }

  @Test
  void flippingAnyBitOfTheNonceCiphertextOrTagIsRefused() {
    String envelope = k1.seal("tenant-a", "int-1", SECRETS);
    String[] parts = envelope.split("\\.");
    int tampered = 0;
    for (int part = 2; part <= 3; part++) {
      byte[] bytes = B64D.decode(parts[part]);
      for (int i = 0; i < bytes.length; i++) {
        for (int bit = 0; bit < 8; bit++) {
          byte[] copy = bytes.clone();
          copy[i] ^= (byte) (1 << bit);
          String[] edited = parts.clone();
          edited[part] = B64.encodeToString(copy);
          assertRefused(() -> k1.open("tenant-a", "int-1", String.join(".", edited)), "int-1");
          tampered++;
        }
      }
    }
    // 12-byte nonce, the encoded map and the 16-byte tag
    assertThat(tampered).isGreaterThan((12 + 16 + 30) * 8);
  }

  @Test
  void anEnvelopeMovedToAnotherIntegrationOrTenantIsRefused() {
    String envelope = k1.seal("tenant-a", "int-1", SECRETS);

    assertRefused(() -> k1.open("tenant-a", "int-2", envelope), "do not authenticate under key 'k1': tampered, or sealed for another integration");
    assertRefused(() -> k1.open("tenant-b", "int-1", envelope), "tampered, or sealed for another integration");
    // the associated data is length-prefixed: moving characters between tenant and id changes it
    String joined = k1.seal("ab", "c", SECRETS);
    assertRefused(() -> k1.open("a", "bc", joined), "tampered");
  }

  @Test
  void relabellingTheKeyIdIsRefusedEvenWhenBothIdsHoldTheSameKey() {
    CredentialCipher twoIds = new CredentialCipher(KeyRings.of("k1", Map.of("k1", key(1), "k2", key(1))));
    String envelope = twoIds.seal("t", "i", SECRETS);

    assertRefused(() -> twoIds.open("t", "i", envelope.replaceFirst("^v1\\.k1\\.", "v1.k2.")), "under key 'k2'");
    assertRefused(() -> twoIds.open("t", "i", envelope.replaceFirst("^v1\\.k1\\.", "v1.k9.")),
        "are sealed under key 'k9', which the key ring no longer holds");
  }

  @Test
  void malformedEnvelopesAreRefusedWithoutEcho() {
    String envelope = k1.seal("t", "i", SECRETS);
    String[] p = envelope.split("\\.");
    List<String> malformed = new ArrayList<>(List.of(
        "", "v1", "v1.k1", "v1.k1.x", "v2." + envelope.substring(3), "V1." + envelope.substring(3),
        envelope + ".extra", "v1..%s.%s".formatted(p[2], p[3]), "v1.k.1.%s.%s".formatted(p[2], p[3]),
        "v1.k1.%s.%s".formatted(p[2].substring(1), p[3]),
        "v1.k1.%s.%s".formatted(p[2], ""),
        "v1.k1.%s.%s".formatted(p[2] + "==", p[3]),
        "v1.k1.%s.%s".formatted(p[2], p[3] + "="),
        "v1.k1.%s.%s".formatted(p[2], p[3].replace('-', '+').replace('_', '/') + "*"),
        "v1.k1.%s.%s".formatted(p[2], p[3].substring(0, p[3].length() - 5))));
    for (String bad : malformed) {
      assertRefused(() -> k1.open("t", "i", bad), "");
    }
  }

  @Test
  void nonCanonicalBase64OfTheSameBytesIsRefused() {
    // find an envelope whose ciphertext text ends in a character with unused low bits, then set them
    for (int attempt = 0; attempt < 100; attempt++) {
      String envelope = k1.seal("t", "i", Map.of("k", "v".repeat(attempt % 3)));
      String ct = envelope.substring(envelope.lastIndexOf('.') + 1);
      if (ct.length() % 4 == 0) {
        continue;
      }
      String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
      char last = ct.charAt(ct.length() - 1);
      char sibling = alphabet.charAt(alphabet.indexOf(last) ^ 1);
      String edited = envelope.substring(0, envelope.length() - 1) + sibling;
      assertThat(B64D.decode(edited.substring(edited.lastIndexOf('.') + 1))).isEqualTo(B64D.decode(ct));
      assertRefused(() -> k1.open("t", "i", edited), "malformed envelope");
      return;
    }
    throw new AssertionError("no envelope with a partial last base64 group");
  }

  @Test
  void anOldKeyStillOpensAfterTheCurrentKeyChangesAndARemovedKeyDoesNot() {
    String underK1 = k1.seal("t", "i", SECRETS);
    CredentialCipher both = new CredentialCipher(KeyRings.of("k2", Map.of("k1", key(1), "k2", key(2))));
    CredentialCipher onlyK2 = new CredentialCipher(KeyRings.of("k2", Map.of("k2", key(2))));

    assertThat(both.open("t", "i", underK1)).isEqualTo(SECRETS);
    assertThat(CredentialCipher.keyId(both.seal("t", "i", SECRETS))).isEqualTo("k2");
    assertRefused(() -> onlyK2.open("t", "i", underK1), "sealed under key 'k1', which the key ring no longer holds");
  }

  @Test
  void aHostRingWithAnUnsafeIdOrAWeakKeyIsRefusedBeforeSealing() {
    assertThatThrownBy(() -> new CredentialCipher(ring("k.1", new SecretKeySpec(key(1), "AES"))).seal("t", "i", SECRETS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the key ring's current key id must match [A-Za-z0-9_-]{1,64}");
    assertThatThrownBy(() -> new CredentialCipher(ring("k1", new SecretKeySpec(new byte[16], "AES"))).seal("t", "i", SECRETS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("key 'k1' has 16 bytes; AES-256 needs exactly 32");
    assertThatThrownBy(() -> new CredentialCipher(ring("k1", new SecretKeySpec(key(1), "HmacSHA256"))).seal("t", "i", SECRETS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("key 'k1' is a HmacSHA256 key; AES-256 is required");
    assertThatThrownBy(() -> new CredentialCipher(ring("k1", null)).seal("t", "i", SECRETS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the key ring's current key 'k1' is not in the ring");
  }

  private static KeyRing ring(String current, SecretKey key) {
    return new KeyRing() {
      @Override
      public String currentKeyId() {
        return current;
      }

      @Override
      public Optional<SecretKey> key(String keyId) {
        return keyId.equals(current) ? Optional.ofNullable(key) : Optional.empty();
      }
    };
  }

  /** Refused with a ConfigurationException containing {@code fragment}, with no secret and no cause. */
  static void assertRefused(ThrowingCallable call, String fragment) {
    assertThatThrownBy(call)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(fragment)
        .hasNoCause()
        .satisfies(e -> assertThat(e.toString()).doesNotContain("SECRET", "s3cr3t", "apiKey", "clientSecret"));
  }
}
