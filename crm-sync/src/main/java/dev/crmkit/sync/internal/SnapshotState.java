package dev.crmkit.sync.internal;

import dev.crmkit.sync.spi.SyncSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * How the engine reads and writes {@link SyncSnapshot#fields()}. Plain field names hold the local
 * values agreed at the last sync (the three-way merge base). {@code ~<field>} holds the remote value
 * (in local terms) where it differs from the local one, as when the remote system normalizes a value
 * ({@code ""} when it holds none); it makes a remote value that only looks different an echo. Marker
 * entries: {@code @conflict} (the id of an open conflict parked for the pair), {@code @nobase} (the
 * pair was parked before it was ever synced), {@code @deleted} (a deletion was synced), {@code
 * @pending} (the mapping waits for a keyed remote create; its remote id is not a record's).
 */
public record SnapshotState(Map<String, String> localBase, Map<String, String> remoteBase, String conflictId, boolean deleted,
    boolean hasBase) {
  public static final String REMOTE = "~";
  public static final String CONFLICT = "@conflict";
  public static final String NO_BASE = "@nobase";
  public static final String DELETED = "@deleted";
  public static final String PENDING = "@pending";

  public static SnapshotState of(SyncSnapshot snapshot) {
    if (snapshot == null) {
      return new SnapshotState(null, null, null, false, false);
    }
    Map<String, String> local = new TreeMap<>();
    Map<String, String> remoteOverrides = new TreeMap<>();
    snapshot.fields().forEach((k, v) -> {
      if (k.startsWith(REMOTE)) {
        remoteOverrides.put(k.substring(REMOTE.length()), v);
      } else if (!k.startsWith("@")) {
        local.put(k, v);
      }
    });
    Map<String, String> remote = new TreeMap<>(local);
    remoteOverrides.forEach((k, v) -> {
      if (v.isEmpty()) {
        remote.remove(k);
      } else {
        remote.put(k, v);
      }
    });
    boolean hasBase = !snapshot.fields().containsKey(NO_BASE);
    return new SnapshotState(hasBase ? local : null, hasBase ? remote : null, snapshot.fields().get(CONFLICT),
        snapshot.fields().containsKey(DELETED), hasBase);
  }

  /** The snapshot of a pair just synced: the local values, and the remote ones where they differ. */
  public static SyncSnapshot synced(Map<String, String> local, Map<String, String> remote, Iterable<String> fields,
      Instant now) {
    Map<String, String> out = new TreeMap<>(local);
    for (String f : fields) {
      String l = local.get(f);
      String r = remote.get(f);
      if (!Objects.equals(l, r)) {
        out.put(REMOTE + f, r == null ? "" : r);
      }
    }
    return new SyncSnapshot(out, now, null);
  }

  /** The snapshot with a marker added. */
  public static SyncSnapshot marked(SyncSnapshot snapshot, String marker, String value, Instant now) {
    Map<String, String> out = new TreeMap<>(snapshot == null ? Map.of(NO_BASE, "1") : snapshot.fields());
    out.put(marker, value);
    return new SyncSnapshot(out, now, snapshot == null ? null : snapshot.version());
  }

  /** The snapshot without a marker. */
  public static SyncSnapshot unmarked(SyncSnapshot snapshot, String marker, Instant now) {
    Map<String, String> out = new TreeMap<>(snapshot.fields());
    out.remove(marker);
    return new SyncSnapshot(out, now, snapshot.version());
  }
}
