package dev.crmkit.integrations;

import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** A key ring of one random AES-256 key, for tests. */
final class TestKeys implements KeyRing {
  private final Map<String, SecretKey> keys;
  private final String current;

  private TestKeys(String current, Map<String, SecretKey> keys) {
    this.current = current;
    this.keys = keys;
  }

  static TestKeys random() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new TestKeys("k1", Map.of("k1", new SecretKeySpec(bytes, "AES")));
  }

  @Override
  public String currentKeyId() {
    return current;
  }

  @Override
  public Optional<SecretKey> key(String keyId) {
    return Optional.ofNullable(keys.get(keyId));
  }
}
