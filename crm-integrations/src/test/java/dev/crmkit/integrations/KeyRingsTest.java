package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

class KeyRingsTest {
  private static final byte[] K1 = bytes(32, 1);
  private static final byte[] K2 = bytes(32, 77);
  private static final String K1_B64 = Base64.getEncoder().encodeToString(K1);
  private static final String K2_B64 = Base64.getEncoder().encodeToString(K2);

  static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (seed * 31 + i * 7);
    }
    return b;
  }

  private static Map<String, byte[]> keys(Object... idsAndKeys) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < idsAndKeys.length; i += 2) {
      m.put((String) idsAndKeys[i], (byte[]) idsAndKeys[i + 1]);
    }
    return m;
  }

  @Test
  void ofHoldsEveryKeyAndSealsUnderTheCurrentOne() {
    KeyRing ring = KeyRings.of("k2026a", keys("k2025b", K1, "k2026a", K2));

    assertThat(ring.currentKeyId()).isEqualTo("k2026a");
    assertThat(ring.key("k2026a").map(SecretKey::getEncoded)).hasValueSatisfying(k -> assertThat(k).isEqualTo(K2));
    assertThat(ring.key("k2025b").map(SecretKey::getEncoded)).hasValueSatisfying(k -> assertThat(k).isEqualTo(K1));
    assertThat(ring.key("k2026a").orElseThrow().getAlgorithm()).isEqualTo("AES");
    assertThat(ring.key("gone")).isEmpty();
  }

  @Test
  void ofCopiesTheKeyBytesSoTheCallerMayZeroItsArrays() {
    byte[] mine = K1.clone();
    KeyRing ring = KeyRings.of("k1", keys("k1", mine));
    Arrays.fill(mine, (byte) 0);

    assertThat(ring.key("k1").orElseThrow().getEncoded()).isEqualTo(K1);
  }

  @Test
  void toStringListsKeyIdsAndNoKeyMaterial() {
    KeyRing ring = KeyRings.of("k2026a", keys("k2026a", K1, "k2025b", K2));

    assertThat(ring.toString()).isEqualTo("KeyRing[current=k2026a, ids=[k2025b, k2026a]]");
    assertNoKeyMaterial(ring.toString());
  }

  @Test
  void ofRefusesKeysThatAreNotExactly32Bytes() {
    for (int n : new int[] {0, 16, 24, 31, 33, 64}) {
      assertThatThrownBy(() -> KeyRings.of("k1", keys("k1", bytes(n, 3))))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("keys: key 'k1' has " + n + " bytes; AES-256 needs exactly 32");
    }
  }

  @Test
  void ofRefusesKeyIdsThatTheEnvelopeCannotCarry() {
    for (String id : new String[] {"", "k.1", "k 1", "k:1", "clé", "k/1", "x".repeat(65)}) {
      assertThatThrownBy(() -> KeyRings.of(id, keys(id, K1)))
          .as(id)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("must match [A-Za-z0-9_-]{1,64}");
    }
    assertThat(KeyRings.of("x".repeat(64), keys("x".repeat(64), K1)).currentKeyId()).hasSize(64);
    assertThat(KeyRings.of("A-z_9", keys("A-z_9", K1)).currentKeyId()).isEqualTo("A-z_9");
  }

  @Test
  void ofRefusesACurrentKeyOutsideTheRingAndAnEmptyRing() {
    assertThatThrownBy(() -> KeyRings.of("k3", keys("k1", K1, "k2", K2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("currentKeyId 'k3' is not among the key ids ['k1', 'k2']");
    assertThatThrownBy(() -> KeyRings.of("k1", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("keys holds no key");
  }

  @Test
  void ofRefusesNullsNamingTheArgument() {
    assertThatThrownBy(() -> KeyRings.of(null, keys("k1", K1))).isInstanceOf(NullPointerException.class)
        .hasMessage("currentKeyId");
    assertThatThrownBy(() -> KeyRings.of("k1", null)).isInstanceOf(NullPointerException.class).hasMessage("keys");
    assertThatThrownBy(() -> KeyRings.of("k1", keys("k1", null))).isInstanceOf(NullPointerException.class)
        .hasMessage("keys['k1'] is null");
    Map<String, byte[]> nullId = new LinkedHashMap<>();
    nullId.put(null, K1);
    assertThatThrownBy(() -> KeyRings.of("k1", nullId)).isInstanceOf(NullPointerException.class)
        .hasMessage("keys holds a null key id");
  }

  @Test
  void fromEnvironmentReadsEveryKeyAndTheCurrentId() {
    KeyRing ring = KeyRings.fromEnvironment(Map.of(
        "CRMKIT_KEYS", "k2026a:" + K2_B64 + ",k2025b:" + K1_B64,
        "CRMKIT_CURRENT_KEY", "k2026a"));

    assertThat(ring.currentKeyId()).isEqualTo("k2026a");
    assertThat(ring.key("k2026a").orElseThrow().getEncoded()).isEqualTo(K2);
    assertThat(ring.key("k2025b").orElseThrow().getEncoded()).isEqualTo(K1);
  }

  @Test
  void fromEnvironmentTakesTheOnlyKeyAsCurrentAndToleratesWhitespaceUrlSafeBase64AndNoPadding() {
    String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32, 62)); // has - or _
    assertThat(urlSafe).containsAnyOf("-", "_");

    KeyRing one = KeyRings.fromEnvironment(Map.of("CRMKIT_KEYS", "  only : " + urlSafe + " ,\n"));
    KeyRing unpadded = KeyRings.fromEnvironment(Map.of("CRMKIT_KEYS", "k:" + K1_B64.replace("=", ""),
        "CRMKIT_CURRENT_KEY", " k "));

    assertThat(one.currentKeyId()).isEqualTo("only");
    assertThat(one.key("only").orElseThrow().getEncoded()).isEqualTo(bytes(32, 62));
    assertThat(unpadded.key("k").orElseThrow().getEncoded()).isEqualTo(K1);
  }

  @Test
  void fromEnvironmentErrorsNameTheVariableEntryAndKeyIdButNeverTheKey() {
    String short16 = Base64.getEncoder().encodeToString(bytes(16, 5));
    Map<String, String> wrongLength = Map.of("CRMKIT_KEYS", "k1:" + K1_B64 + ",k2:" + short16, "CRMKIT_CURRENT_KEY", "k1");
    Map<String, String> notBase64 = Map.of("CRMKIT_KEYS", "k1:" + K1_B64.replace('A', '*') + "A*");
    Map<String, String> noColon = Map.of("CRMKIT_KEYS", K1_B64);
    Map<String, String> reversed = Map.of("CRMKIT_KEYS", Base64.getUrlEncoder().withoutPadding().encodeToString(K1)
        + ":k1");
    Map<String, String> empty = Map.of("CRMKIT_KEYS", "k1:");
    Map<String, String> repeated = Map.of("CRMKIT_KEYS", "k1:" + K1_B64 + ",k1:" + K2_B64);
    Map<String, String> badId = Map.of("CRMKIT_KEYS", "k.1:" + K1_B64);
    Map<String, String> unknownCurrent = Map.of("CRMKIT_KEYS", "k1:" + K1_B64, "CRMKIT_CURRENT_KEY", "k9");
    Map<String, String> severalNoCurrent = Map.of("CRMKIT_KEYS", "k1:" + K1_B64 + ",k2:" + K2_B64);

    assertRefused(wrongLength, "CRMKIT_KEYS: key 'k2' has 16 bytes; AES-256 needs exactly 32");
    assertRefused(notBase64, "CRMKIT_KEYS entry 1 (key id 'k1') is not base64 (standard or URL-safe alphabet)");
    assertRefused(noColon, "CRMKIT_KEYS entry 1 is not <keyId>:<base64 key>");
    assertRefused(reversed, "CRMKIT_KEYS: key (an id of 43 characters, not shown) has 1 bytes; AES-256 needs exactly 32");
    assertRefused(empty, "CRMKIT_KEYS entry 1 (key id 'k1') has no key after ':'");
    assertRefused(repeated, "CRMKIT_KEYS entry 2 repeats key id 'k1'");
    assertRefused(badId, "CRMKIT_KEYS: key id 'k.1' must match [A-Za-z0-9_-]{1,64}");
    assertRefused(unknownCurrent, "CRMKIT_CURRENT_KEY 'k9' is not among the key ids ['k1']");
    assertRefused(severalNoCurrent,
        "CRMKIT_CURRENT_KEY is not set and CRMKIT_KEYS lists 2 keys ['k1', 'k2']: name the one new credentials are sealed under");
  }

  @Test
  void fromEnvironmentRefusesAMissingOrBlankKeyList() {
    for (Map<String, String> env : java.util.List.of(Map.<String, String>of(), Map.of("CRMKIT_KEYS", " "))) {
      assertThatThrownBy(() -> KeyRings.fromEnvironment(env))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("CRMKIT_KEYS is not set: list the AES-256 keys as comma-separated <keyId>:<base64 of 32 bytes>");
    }
    assertThatThrownBy(() -> KeyRings.fromEnvironment(null)).isInstanceOf(NullPointerException.class).hasMessage("env");
  }

  private static void assertRefused(Map<String, String> env, String message) {
    assertThatThrownBy(() -> KeyRings.fromEnvironment(env))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(message)
        .satisfies(e -> assertNoKeyMaterial(e.getMessage()));
  }

  /** No run of 8 characters of any test key, in standard or URL-safe base64 or hex. */
  static void assertNoKeyMaterial(String text) {
    for (byte[] key : new byte[][] {K1, K2, bytes(16, 5), bytes(32, 62)}) {
      for (String form : new String[] {Base64.getEncoder().encodeToString(key),
          Base64.getUrlEncoder().encodeToString(key), HexFormat.of().formatHex(key)}) {
        for (int i = 0; i + 8 <= form.length(); i++) {
          assertThat(text).doesNotContain(form.substring(i, i + 8));
        }
      }
    }
  }
}
