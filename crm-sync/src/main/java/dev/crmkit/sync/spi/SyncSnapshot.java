package dev.crmkit.sync.spi;

import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.spi.SyncChecks;
import dev.crmkit.sync.spi.TextCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mapped record as both sides agreed on it at its last sync: the base of three-way merge, and
 * what echo suppression compares an incoming change against. Immutable.
 *
 * @param fields field name to value, as the sync engine flattens a record (a field without a value
 *     is left out); names are non-blank, values non-null; copied and sorted by name; may be empty
 * @param syncedAt when the sync happened; cut to whole milliseconds
 * @param version the remote side's version of the record when it says one (an ETag, a modification
 *     stamp), else {@code null}; at most 255 characters
 */
public record SyncSnapshot(Map<String, String> fields, Instant syncedAt, String version) {
  /** @throws ValidationException naming {@code fields}, {@code syncedAt} or {@code version} when malformed */
  public SyncSnapshot {
    SyncChecks.required(fields, "fields");
    TreeMap<String, String> copy = new TreeMap<>();
    fields.forEach((name, value) -> {
      if (name == null || name.isBlank()) {
        throw ValidationException.of("fields", name, "a field name must not be blank");
      }
      if (value == null) {
        throw ValidationException.of("fields." + name, null, "leave a field without a value out");
      }
      copy.put(name, value);
    });
    fields = Collections.unmodifiableMap(copy);
    syncedAt = SyncChecks.millis(SyncChecks.required(syncedAt, "syncedAt"));
    if (version != null) {
      SyncChecks.id(version, "version");
    }
  }

  /**
   * A hash of {@link #fields()} alone: equal field maps give equal hashes whatever the time or
   * version, so an incoming record whose hash matches the snapshot's is an echo of the last sync.
   *
   * @return SHA-256 as 64 lower-case hex digits
   */
  public String hash() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(TextCodec.encodeMap(fields).getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Field names, time, version and hash; never field values, which may be personal data. */
  @Override
  public String toString() {
    return "SyncSnapshot{fields=" + fields.keySet() + ", syncedAt=" + syncedAt + ", version=" + version
        + ", hash=" + hash().substring(0, 12) + "}";
  }
}
