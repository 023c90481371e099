package dev.crmkit.integrations.internal;

import dev.crmkit.error.ConfigurationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-seals every stored envelope that is not under the key ring's current key, in batches, each with a
 * compare-and-set on the envelope it read: a credential update that lands between the read and the write
 * wins, and its envelope (sealed under the current key by any node with an up-to-date ring) is left as is.
 * Reads never stop: until its row is replaced, an envelope still opens under its old key, which stays in
 * the ring until the host removes it after rotation.
 *
 * <p>Walks the rows in id order; when some writes lost their compare-and-set, walks again (at most {@value
 * #MAX_PASSES} times) so that envelopes rewritten under an old key by a node whose ring is stale are caught.
 */
public final class KeyRotation {
  /** Envelopes read per query. */
  public static final int DEFAULT_BATCH_SIZE = 200;
  static final int MAX_PASSES = 5;
  private static final int MAX_LISTED = 10;
  private static final Logger LOG = LoggerFactory.getLogger(KeyRotation.class);

  private final SealedRows rows;
  private final CredentialCipher cipher;
  private final int batchSize;

  public KeyRotation(SealedRows rows, CredentialCipher cipher, int batchSize) {
    this.rows = Objects.requireNonNull(rows, "rows");
    this.cipher = Objects.requireNonNull(cipher, "cipher");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /**
   * Re-seals under the current key.
   *
   * @return how many envelopes this call replaced
   * @throws ConfigurationException after re-sealing all others, when some envelopes cannot be opened
   *     (their key is no longer in the ring, or they were tampered with) or kept being rewritten under
   *     another key; the message lists their ids, never content
   */
  public int rotate() {
    String current = cipher.currentKeyId();
    Map<String, String> unopened = new LinkedHashMap<>();
    int resealed = 0;
    int lost = 0;
    for (int pass = 1; pass <= MAX_PASSES; pass++) {
      lost = 0;
      String after = "";
      List<SealedRows.Sealed> batch;
      do {
        batch = rows.sealedNotUnder(current, after, batchSize);
        for (SealedRows.Sealed row : batch) {
          after = row.id();
          if (unopened.containsKey(row.id())) {
            continue;
          }
          Map<String, String> credentials;
          try {
            credentials = cipher.open(row.tenantId(), row.id(), row.envelope());
          } catch (ConfigurationException e) {
            unopened.put(row.id(), e.getMessage());
            continue;
          }
          if (rows.replaceSealed(row.id(), row.envelope(), cipher.seal(row.tenantId(), row.id(), credentials))) {
            resealed++;
          } else {
            lost++;
          }
        }
      } while (batch.size() == batchSize);
      if (lost == 0) {
        break;
      }
    }
    LOG.info("re-sealed {} integration credentials under key '{}'", resealed, current);
    if (!unopened.isEmpty() || lost > 0) {
      throw new ConfigurationException(failure(current, resealed, unopened, lost));
    }
    return resealed;
  }

  private static String failure(String current, int resealed, Map<String, String> unopened, int lost) {
    StringBuilder b = new StringBuilder("re-sealed ").append(resealed).append(" integrations under key '")
        .append(current).append("', but ");
    if (!unopened.isEmpty()) {
      List<String> listed = new ArrayList<>(unopened.values()).subList(0, Math.min(MAX_LISTED, unopened.size()));
      b.append(unopened.size()).append(" cannot be opened and keep their envelope (keep their key in the ring): ")
          .append(String.join("; ", listed));
      if (unopened.size() > MAX_LISTED) {
        b.append("; ...");
      }
    }
    if (lost > 0) {
      b.append(unopened.isEmpty() ? "" : ", and ").append(lost).append(" were rewritten under another key during ")
          .append(MAX_PASSES).append(" passes: is '").append(current).append("' the current key on every node?");
    }
    return b.toString();
  }
}
