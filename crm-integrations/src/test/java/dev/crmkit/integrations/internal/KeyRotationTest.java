package dev.crmkit.integrations.internal;

import static dev.crmkit.integrations.internal.CredentialCipherTest.SECRETS;
import static dev.crmkit.integrations.internal.CredentialCipherTest.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.integrations.KeyRing;
import dev.crmkit.integrations.KeyRings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import javax.crypto.SecretKey;
import org.junit.jupiter.api.Test;

/** The rotation algorithm over an in-memory table; JDBC stores are tested in the store tests. */
class KeyRotationTest {
  private final CredentialCipher old = new CredentialCipher(KeyRings.of("k1", Map.of("k1", key(1))));
  private final CredentialCipher both = new CredentialCipher(KeyRings.of("k2", Map.of("k1", key(1), "k2", key(2))));
  private final Table table = new Table();

  /** An integrations table: id to (tenant, envelope); counts the queries. */
  static final class Table implements SealedRows {
    final ConcurrentSkipListMap<String, Sealed> rows = new ConcurrentSkipListMap<>();
    final AtomicInteger queries = new AtomicInteger();
    /** Runs between a replacement's read and its compare-and-set, as another writer would. */
    volatile BiConsumer<String, Table> beforeReplace = (id, t) -> {};

    void put(String id, String tenantId, String envelope) {
      rows.put(id, new Sealed(id, tenantId, envelope));
    }

    /** Another writer stores new credentials for {@code id}, sealed by {@code cipher}, as rotation is about to replace it. */
    void writeOnceBeforeReplacing(String id, String tenantId, CredentialCipher cipher, String apiKey) {
      beforeReplace = (replacing, t) -> {
        if (replacing.equals(id)) {
          beforeReplace = (i, tt) -> {};
          put(id, tenantId, cipher.seal(tenantId, id, Map.of("apiKey", apiKey)));
        }
      };
    }

    @Override
    public List<Sealed> sealedNotUnder(String keyId, String afterId, int limit) {
      queries.incrementAndGet();
      return rows.tailMap(afterId, false).values().stream()
          .filter(r -> !r.envelope().startsWith(CredentialCipher.prefix(keyId)))
          .limit(limit)
          .toList();
    }

    @Override
    public boolean replaceSealed(String id, String expected, String replacement) {
      beforeReplace.accept(id, this);
      Sealed[] replaced = new Sealed[1];
      rows.computeIfPresent(id, (k, r) -> r.envelope().equals(expected)
          ? (replaced[0] = new Sealed(id, r.tenantId(), replacement)) : r);
      return replaced[0] != null;
    }
  }

  private void fill(int count, CredentialCipher cipher) {
    for (int i = 0; i < count; i++) {
      String id = "int-%03d".formatted(i);
      table.put(id, "tenant-" + (i % 3), cipher.seal("tenant-" + (i % 3), id, Map.of("apiKey", "secret-" + i)));
    }
  }

  @Test
  void reSealsEveryEnvelopeNotUnderTheCurrentKeyInBatchesAndKeepsTheCredentials() {
    fill(10, old);
    table.put("int-under-k2", "tenant-x", both.seal("tenant-x", "int-under-k2", SECRETS));
    String untouched = table.rows.get("int-under-k2").envelope();

    int resealed = new KeyRotation(table, both, 3).rotate();

    assertThat(resealed).isEqualTo(10);
    assertThat(table.rows.values()).allSatisfy(r -> assertThat(CredentialCipher.keyId(r.envelope())).isEqualTo("k2"));
    assertThat(table.rows.get("int-under-k2").envelope()).isEqualTo(untouched);
    for (int i = 0; i < 10; i++) {
      String id = "int-%03d".formatted(i);
      assertThat(both.open("tenant-" + (i % 3), id, table.rows.get(id).envelope())).containsEntry("apiKey", "secret-" + i);
    }
    // 10 rows in batches of 3: four full or partial batches, one pass
    assertThat(table.queries).hasValue(4);
    assertThat(new CredentialCipher(KeyRings.of("k2", Map.of("k2", key(2)))).open("tenant-0", "int-000",
        table.rows.get("int-000").envelope())).containsEntry("apiKey", "secret-0");
  }

  @Test
  void aSecondRotationFindsNothingToDo() {
    fill(5, old);
    new KeyRotation(table, both, 2).rotate();
    table.queries.set(0);

    assertThat(new KeyRotation(table, both, 2).rotate()).isZero();
    assertThat(table.queries).hasValue(1);
  }

  @Test
  void aCredentialUpdateBetweenReadAndWriteIsKept() {
    fill(4, old);
    table.writeOnceBeforeReplacing("int-002", "tenant-2", both, "updated-during-rotation");

    int resealed = new KeyRotation(table, both, 10).rotate();

    assertThat(resealed).isEqualTo(3);
    assertThat(both.open("tenant-2", "int-002", table.rows.get("int-002").envelope()))
        .isEqualTo(Map.of("apiKey", "updated-during-rotation"));
    assertThat(table.rows.values()).allSatisfy(r -> assertThat(CredentialCipher.keyId(r.envelope())).isEqualTo("k2"));
  }

  @Test
  void anEnvelopeRewrittenUnderTheOldKeyByAStaleNodeIsCaughtByAnotherPass() {
    fill(4, old);
    table.writeOnceBeforeReplacing("int-001", "tenant-1", old, "written-by-stale-node");

    int resealed = new KeyRotation(table, both, 10).rotate();

    assertThat(resealed).isEqualTo(4);
    assertThat(CredentialCipher.keyId(table.rows.get("int-001").envelope())).isEqualTo("k2");
    assertThat(both.open("tenant-1", "int-001", table.rows.get("int-001").envelope()))
        .isEqualTo(Map.of("apiKey", "written-by-stale-node"));
  }

  @Test
  void anEnvelopeThatKeepsBeingRewrittenUnderAnOldKeyFailsAfterBoundedPasses() {
    fill(3, old);
    AtomicInteger rewrites = new AtomicInteger();
    table.beforeReplace = (id, t) -> {
      if (id.equals("int-001")) {
        rewrites.incrementAndGet();
        t.put(id, "tenant-1", old.seal("tenant-1", id, SECRETS));
      }
    };

    assertThatThrownBy(() -> new KeyRotation(table, both, 10).rotate())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("re-sealed 2 integrations under key 'k2', but 1 were rewritten under another key during 5 passes:"
            + " is 'k2' the current key on every node?");
    assertThat(rewrites).hasValue(KeyRotation.MAX_PASSES);
  }

  @Test
  void envelopesThatCannotBeOpenedAreListedAfterEveryOtherIsReSealed() {
    fill(3, old);
    table.put("int-gone-key", "t", new CredentialCipher(KeyRings.of("k0", Map.of("k0", key(9)))).seal("t", "int-gone-key", SECRETS));
    String tampered = old.seal("t", "int-tampered", SECRETS);
    table.put("int-tampered", "t", tampered.substring(0, tampered.length() - 2) + (tampered.endsWith("AA") ? "BA" : "AA"));
    String goneBefore = table.rows.get("int-gone-key").envelope();

    assertThatThrownBy(() -> new KeyRotation(table, both, 2).rotate())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("re-sealed 3 integrations under key 'k2', but 2 cannot be opened and keep their envelope"
            + " (keep their key in the ring): the credentials of integration 'int-gone-key' are sealed under key 'k0',"
            + " which the key ring no longer holds; the credentials of integration 'int-tampered' ")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pat-na1", "s3cr3t", "secret-"));
    assertThat(table.rows.get("int-gone-key").envelope()).isEqualTo(goneBefore);
    assertThat(List.of("int-000", "int-001", "int-002"))
        .allSatisfy(id -> assertThat(CredentialCipher.keyId(table.rows.get(id).envelope())).isEqualTo("k2"));
  }

  @Test
  void aRingWhoseCurrentKeyItDoesNotHoldIsRefusedBeforeAnyRowIsRead() {
    fill(2, old);
    KeyRing broken = new KeyRing() {
      @Override
      public String currentKeyId() {
        return "k3";
      }

      @Override
      public Optional<SecretKey> key(String keyId) {
        return Optional.empty();
      }
    };

    assertThatThrownBy(() -> new KeyRotation(table, new CredentialCipher(broken), 10).rotate())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("the key ring's current key 'k3' is not in the ring");
    assertThat(table.queries).hasValue(0);
  }

  @Test
  void refusesABatchSizeBelowOne() {
    assertThatThrownBy(() -> new KeyRotation(table, both, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("batchSize must be at least 1, got 0");
  }

  @Test
  void readersNeverFailWhileRotationRuns() throws Exception {
    fill(300, old);
    AtomicInteger reads = new AtomicInteger();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread reader = new Thread(() -> {
        while (!done.get()) {
          for (SealedRows.Sealed r : table.rows.values()) {
            try {
              both.open(r.tenantId(), r.id(), r.envelope());
              reads.incrementAndGet();
            } catch (RuntimeException e) {
              failures.add(e);
            }
          }
        }
      });
      reader.start();
      readers.add(reader);
    }
    int resealed = new KeyRotation(table, both, 7).rotate();
    done.set(true);
    for (Thread r : readers) {
      r.join();
    }

    assertThat(resealed).isEqualTo(300);
    assertThat(failures).isEmpty();
    assertThat(reads.get()).isPositive();
  }
}
