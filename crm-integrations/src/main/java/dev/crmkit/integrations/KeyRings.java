package dev.crmkit.integrations;

import dev.crmkit.error.ConfigurationException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds {@link KeyRing}s from raw AES-256 keys: given directly ({@link #of}) or read from the
 * environment ({@link #fromEnvironment()}). The rings are immutable and thread-safe, hold copies of
 * the key bytes, and show only their key ids in {@code toString()}. No error message of this class
 * contains key material: entries are named by position and key id, and an "id" longer than {@value
 * #MAX_SHOWN_ID_CHARS} characters (which could be a misplaced base64 key) is not echoed at all.
 *
 * <p>Environment: {@value #KEYS_VARIABLE} lists the keys as comma-separated {@code <keyId>:<key>}
 * entries, each key 32 bytes in base64 (standard or URL-safe alphabet, padding optional), for example
 * {@code CRMKIT_KEYS="k2026a:<base64>,k2025b:<base64>"}; whitespace around entries is ignored.
 * {@value #CURRENT_KEY_VARIABLE} names the key new credentials are sealed under; it may be left unset
 * only when one key is listed. Generate a key with {@code openssl rand -base64 32}.
 *
 * <p>Rotation: add the new key to every node's ring, then make it current on every node, then call
 * {@link IntegrationService#rotateCredentials()} once, then remove the old key. How a host supplies
 * keys from a KMS instead: {@code crm-integrations/docs/key-management.md}.
 */
public final class KeyRings {
  /** The environment variable listing the keys: {@code <keyId>:<base64 key>} entries, comma-separated. */
  public static final String KEYS_VARIABLE = "CRMKIT_KEYS";
  /** The environment variable naming the current key's id. */
  public static final String CURRENT_KEY_VARIABLE = "CRMKIT_CURRENT_KEY";
  /** The bytes of every key: 32 (AES-256). */
  public static final int KEY_BYTES = 32;
  /** The shape of a key id: 1 to 64 of {@code A-Z a-z 0-9 _ -}, never {@code '.'} (the envelope separator). */
  public static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  /** The longest key id error messages repeat; base64 of a 32-byte key is 43 characters or more. */
  static final int MAX_SHOWN_ID_CHARS = 32;

  private KeyRings() {}

  /**
   * A ring of these keys, sealing under {@code currentKeyId}.
   *
   * @param currentKeyId the id new credentials are sealed under; must be one of {@code keys}' ids
   * @param keys key id to key bytes; at least one; ids match {@link #KEY_ID}, each key exactly {@value
   *     #KEY_BYTES} bytes. The bytes are copied: the caller may zero its arrays afterwards.
   * @return an immutable ring
   * @throws NullPointerException when {@code currentKeyId}, {@code keys}, an id or a key is null
   * @throws IllegalArgumentException when {@code keys} is empty, an id has another shape, a key has
   *     another length, or {@code currentKeyId} is not among the ids (the message names the id, never a key)
   */
  public static KeyRing of(String currentKeyId, Map<String, byte[]> keys) {
    Objects.requireNonNull(currentKeyId, "currentKeyId");
    Objects.requireNonNull(keys, "keys");
    Map<String, byte[]> copy = new LinkedHashMap<>();
    keys.forEach((id, key) -> {
      Objects.requireNonNull(id, "keys holds a null key id");
      Objects.requireNonNull(key, () -> "keys[" + shown(id) + "] is null");
      copy.put(id, key);
    });
    return build("keys", currentKeyId, copy, IllegalArgumentException::new);
  }

  /**
   * A ring read from this process's environment ({@value #KEYS_VARIABLE}, {@value #CURRENT_KEY_VARIABLE}).
   *
   * @throws ConfigurationException as {@link #fromEnvironment(Map)}
   */
  public static KeyRing fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * A ring read from these environment variables.
   *
   * @param env variable name to value, such as {@link System#getenv()}
   * @return an immutable ring
   * @throws NullPointerException when {@code env} is null
   * @throws ConfigurationException when {@value #KEYS_VARIABLE} is unset or blank, an entry is not
   *     {@code <keyId>:<base64>}, an id has another shape or repeats, a key is not base64 of exactly
   *     {@value #KEY_BYTES} bytes, or {@value #CURRENT_KEY_VARIABLE} is unset with several keys or names
   *     an id not listed. The message names the variable, the entry's position and its id, never a key.
   */
  public static KeyRing fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    String listed = env.get(KEYS_VARIABLE);
    if (listed == null || listed.isBlank()) {
      throw new ConfigurationException(KEYS_VARIABLE + " is not set: list the AES-256 keys as comma-separated "
          + "<keyId>:<base64 of " + KEY_BYTES + " bytes> entries (generate a key with: openssl rand -base64 32)");
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    try {
      String[] entries = listed.split(",", -1);
      for (int i = 0; i < entries.length; i++) {
        String entry = entries[i].strip();
        if (entry.isEmpty()) {
          continue;
        }
        String where = KEYS_VARIABLE + " entry " + (i + 1);
        int colon = entry.indexOf(':');
        if (colon < 0) {
          throw new ConfigurationException(where + " is not <keyId>:<base64 key>");
        }
        String id = entry.substring(0, colon).strip();
        if (keys.containsKey(id)) {
          throw new ConfigurationException(where + " repeats key id " + shown(id));
        }
        keys.put(id, decode(where + " (key id " + shown(id) + ")", entry.substring(colon + 1).strip()));
      }
      String current = env.get(CURRENT_KEY_VARIABLE);
      if (current == null || current.isBlank()) {
        if (keys.size() != 1) {
          throw new ConfigurationException(CURRENT_KEY_VARIABLE + " is not set and " + KEYS_VARIABLE + " lists "
              + keys.size() + " keys " + ids(keys) + ": name the one new credentials are sealed under");
        }
        current = keys.keySet().iterator().next();
      }
      return build(KEYS_VARIABLE, current.strip(), keys, ConfigurationException::new);
    } finally {
      keys.values().forEach(k -> Arrays.fill(k, (byte) 0));
    }
  }

  private static byte[] decode(String where, String text) {
    if (text.isEmpty()) {
      throw new ConfigurationException(where + " has no key after ':'");
    }
    try {
      boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
      return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
    } catch (IllegalArgumentException e) {
      // the decoder's own message quotes the offending character: not repeated
      throw new ConfigurationException(where + " is not base64 (standard or URL-safe alphabet)");
    }
  }

  private static KeyRing build(String source, String currentKeyId, Map<String, byte[]> keys,
      Function<String, RuntimeException> error) {
    if (keys.isEmpty()) {
      throw error.apply(source + " holds no key");
    }
    Map<String, SecretKey> specs = new TreeMap<>();
    keys.forEach((id, key) -> {
      if (!KEY_ID.matcher(id).matches()) {
        throw error.apply(source + ": key id " + shown(id) + " must match " + KEY_ID.pattern());
      }
      if (key.length != KEY_BYTES) {
        throw error.apply(source + ": key " + shown(id) + " has " + key.length + " bytes; AES-256 needs exactly "
            + KEY_BYTES);
      }
      specs.put(id, new SecretKeySpec(key, "AES"));
    });
    if (!specs.containsKey(currentKeyId)) {
      String name = source.equals(KEYS_VARIABLE) ? CURRENT_KEY_VARIABLE : "currentKeyId";
      throw error.apply(name + " " + shown(currentKeyId) + " is not among the key ids " + ids(keys));
    }
    return new FixedKeyRing(currentKeyId, specs);
  }

  private static String ids(Map<String, ?> keys) {
    List<String> out = new ArrayList<>();
    keys.keySet().forEach(id -> out.add(shown(id)));
    return out.toString();
  }

  /** An id as messages show it: quoted, or only its length when it is long enough to be a key. */
  private static String shown(String id) {
    return id.length() <= MAX_SHOWN_ID_CHARS ? "'" + id + "'" : "(an id of " + id.length() + " characters, not shown)";
  }

  private static final class FixedKeyRing implements KeyRing {
    private final String currentKeyId;
    private final Map<String, SecretKey> keys;

    FixedKeyRing(String currentKeyId, Map<String, SecretKey> keys) {
      this.currentKeyId = currentKeyId;
      this.keys = Map.copyOf(keys);
    }

    @Override
    public String currentKeyId() {
      return currentKeyId;
    }

    @Override
    public Optional<SecretKey> key(String keyId) {
      return Optional.ofNullable(keys.get(Objects.requireNonNull(keyId, "keyId")));
    }

    @Override
    public String toString() {
      return "KeyRing[current=" + currentKeyId + ", ids=" + new TreeMap<>(keys).keySet() + "]";
    }
  }
}
