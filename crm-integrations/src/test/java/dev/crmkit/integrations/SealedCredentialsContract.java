package dev.crmkit.integrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.IntegrationFactory;
import dev.crmkit.error.ConfigurationException;
import dev.crmkit.integrations.internal.CredentialCipher;
import dev.crmkit.integrations.internal.IntegrationStore;
import dev.crmkit.integrations.internal.KeyRotation;
import dev.crmkit.integrations.internal.Runtime;
import dev.crmkit.integrations.internal.SealedRows;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.sync.SyncFlow;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sealed credentials on one database: what the raw table holds, tampering and moving envelopes in the
 * table, and key rotation (all rows, batches, versions untouched, under concurrent reads and writes).
 * One fresh database per test, since rotation walks every row of the table.
 */
abstract class SealedCredentialsContract {
  static final byte[] OLD_KEY = key(11);
  static final byte[] NEW_KEY = key(22);
  static final KeyRing OLD = KeyRings.of("k2025b", Map.of("k2025b", OLD_KEY));
  static final KeyRing BOTH = KeyRings.of("k2026a", Map.of("k2025b", OLD_KEY, "k2026a", NEW_KEY));
  /** Enough rows that rotation takes a while next to the readers' and writer's calls. */
  static final int ROWS_UNDER_LOAD = 150;
  static final KeyRing NEW_ONLY = KeyRings.of("k2026a", Map.of("k2026a", NEW_KEY));

  DataSource db;
  IntegrationFactory factory;
  final List<AutoCloseable> closing = new ArrayList<>();
  /** integration id to the credentials it was given. */
  final Map<String, Map<String, String>> secrets = new LinkedHashMap<>();

  abstract DataSource database();

  static byte[] key(int seed) {
    byte[] b = new byte[32];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed * 37 + i * 11);
    }
    return b;
  }

  @BeforeEach
  void migrate() {
    db = database();
    IntegrationSchema.migrate(db);
    factory = IntegrationFactory.builder().build();
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    factory.close();
  }

  IntegrationService service(KeyRing ring) {
    IntegrationService s = IntegrationService.builder().dataSource(db).factory(factory).keyRing(ring).build();
    closing.add(s);
    return s;
  }

  Runtime runtime(KeyRing ring) {
    return new Runtime(db, factory, ring, Clock.systemUTC(), new SimpleMeterRegistry(),
        ConflictStrategy.fieldLevelMerge(ConflictStrategy.manual()));
  }

  /** A secret no other text in the test contains. */
  static String secret(String kind) {
    return kind + "-" + UUID.randomUUID();
  }

  TenantIntegration hubspot(IntegrationService s, String tenant, String name) {
    Map<String, String> credentials = Map.of("accessToken", secret("pat-na1"), "clientSecret", secret("hs-client"),
        "refreshToken", secret("hs-refresh"));
    TenantIntegration t = s.create(tenant, new IntegrationDraft("hubspot", name, SyncFlow.BIDIRECTIONAL,
        SyncSchedule.HOURLY, Map.of("baseUrl", "https://api.example.test"), credentials));
    secrets.put(t.id(), credentials);
    return t;
  }

  TenantIntegration salesforce(IntegrationService s, String tenant, String name) {
    Map<String, String> credentials = Map.of("accessToken", secret("00D-session"), "clientSecret", secret("sf-client"),
        "refreshToken", secret("5Aep861"), "privateKey", "-----BEGIN PRIVATE KEY-----\n" + secret("MIIEv") + "\n-----END");
    TenantIntegration t = s.create(tenant, new IntegrationDraft("salesforce", name, SyncFlow.PULL, SyncSchedule.DAILY,
        Map.of("instanceUrl", "https://acme.my.salesforce.example"), credentials));
    secrets.put(t.id(), credentials);
    return t;
  }

  @Test
  void noTableHoldsASecretInAnyColumnOfAnyRow() throws Exception {
    IntegrationService s = service(OLD);
    hubspot(s, "acme", "Main portal");
    TenantIntegration second = hubspot(s, "acme", "EU portal");
    salesforce(s, "globex", "Org");
    TenantIntegration updated = salesforce(s, "globex", "Sandbox");
    Map<String, String> renewed = Map.of("accessToken", secret("renewed"), "refreshToken", secret("renewed-refresh"));
    s.update("globex", updated.id(), new IntegrationUpdate("Sandbox 2", null, null, null, renewed, null));
    secrets.put(updated.id() + "-renewed", renewed);
    s.disable("acme", second.id());
    s.create("acme", new IntegrationDraft("hubspot", "Not connected yet", SyncFlow.PUSH, SyncSchedule.MANUAL,
        Map.of(), Map.of()));

    Map<String, String> tables = rawTables();
    String integrations = tables.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("crmkit_integration"))
        .map(Map.Entry::getValue).findFirst().orElseThrow();

    assertThat(integrations).contains("v1.k2025b.", "Main portal", "accessToken");
    for (Map<String, String> credentials : secrets.values()) {
      for (String value : credentials.values()) {
        for (String form : forms(value)) {
          tables.forEach((table, text) -> assertThat(text).as("table %s", table).doesNotContain(form));
        }
      }
    }
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, credentials_sealed FROM crmkit_integration")) {
      int sealed = 0;
      while (rs.next()) {
        String envelope = rs.getString(2);
        if (envelope != null) {
          assertThat(envelope).matches("v1\\.k2025b\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+");
          sealed++;
        }
      }
      assertThat(sealed).isEqualTo(4);
    }
  }

  /** The value, and its base64 and hex encodings, which a careless store could hold instead. */
  private static List<String> forms(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    String tail = value.substring(value.length() - 12); // the random part alone
    return List.of(value, tail, Base64.getEncoder().encodeToString(bytes), Base64.getUrlEncoder().encodeToString(bytes),
        HexFormat.of().formatHex(bytes), HexFormat.of().formatHex(tail.getBytes(StandardCharsets.UTF_8)));
  }

  /** Every table of the database's current schema: its name to all its rows, every column as text. */
  Map<String, String> rawTables() throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = db.getConnection()) {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          names.add(rs.getString("TABLE_NAME"));
        }
      }
      assertThat(names).anyMatch(n -> n.equalsIgnoreCase("crmkit_integration"));
      for (String name : names) {
        StringBuilder text = new StringBuilder();
        String quote = c.getMetaData().getIdentifierQuoteString();
        try (Statement st = c.createStatement();
            ResultSet rs = st.executeQuery("SELECT * FROM " + quote + name + quote)) {
          int columns = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              text.append(rs.getString(i)).append('|');
            }
            text.append('\n');
          }
        }
        out.put(name, text.toString());
      }
    }
    return out;
  }

  @Test
  void anEnvelopeMovedToAnotherIntegrationOrTenantInTheTableDoesNotOpen() throws Exception {
    IntegrationService s = service(OLD);
    TenantIntegration a = hubspot(s, "acme", "A");
    TenantIntegration b = hubspot(s, "acme", "B");
    TenantIntegration c = hubspot(s, "globex", "C");
    Runtime runtime = runtime(OLD);
    String envelopeOfA = runtime.byId(a.id()).orElseThrow().sealedCredentials();

    sql("UPDATE crmkit_integration SET credentials_sealed = ? WHERE id IN (?, ?)", envelopeOfA, b.id(), c.id());

    assertThat(runtime.credentials(runtime.byId(a.id()).orElseThrow())).isEqualTo(secrets.get(a.id()));
    for (TenantIntegration moved : List.of(b, c)) {
      assertThatThrownBy(() -> runtime.credentials(runtime.byId(moved.id()).orElseThrow()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessage("the credentials of integration '" + moved.id() + "' do not authenticate under key 'k2025b': "
              + "tampered, or sealed for another integration")
          .satisfies(e -> assertNoSecret(e.toString()));
    }
  }

  @Test
  void anEnvelopeEditedInTheTableDoesNotOpen() throws Exception {
    IntegrationService s = service(OLD);
    TenantIntegration a = hubspot(s, "acme", "A");
    Runtime runtime = runtime(OLD);
    String envelope = runtime.byId(a.id()).orElseThrow().sealedCredentials();
    int cut = envelope.lastIndexOf('.') + 5;
    char flipped = envelope.charAt(cut) == 'A' ? 'B' : 'A';

    sql("UPDATE crmkit_integration SET credentials_sealed = ? WHERE id = ?",
        envelope.substring(0, cut) + flipped + envelope.substring(cut + 1), a.id());

    assertThatThrownBy(() -> runtime.credentials(runtime.byId(a.id()).orElseThrow()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tampered")
        .satisfies(e -> assertNoSecret(e.toString()));
    ConnectionTest test = s.testConnection("acme", a.id());
    assertThat(test.ok()).isFalse();
    assertThat(test.failure()).isEqualTo(ConnectionTest.Failure.CONFIGURATION);
    assertThat(test.message()).contains("tampered");
    assertNoSecret(test.toString());
    assertNoSecret(s.get("acme", a.id()).toString());
  }

  @Test
  void rotationReSealsEveryRowUnderTheCurrentKeyAndLeavesVersionsAndTimesAlone() throws Exception {
    IntegrationService old = service(OLD);
    for (int i = 0; i < 9; i++) {
      hubspot(old, "tenant-" + (i % 3), "Portal " + i);
    }
    salesforce(old, "tenant-0", "Org");
    old.create("tenant-1", new IntegrationDraft("hubspot", "No credentials", SyncFlow.PUSH, SyncSchedule.MANUAL,
        Map.of(), Map.of()));
    Map<String, String> before = versionsAndTimes();

    int resealed = service(BOTH).rotateCredentials();

    assertThat(resealed).isEqualTo(10);
    assertThat(keyIds()).containsOnlyKeys(secrets.keySet()).allSatisfy((id, keyId) -> assertThat(keyId).isEqualTo("k2026a"));
    assertThat(versionsAndTimes()).isEqualTo(before);
    Runtime newOnly = runtime(NEW_ONLY);
    secrets.forEach((id, credentials) ->
        assertThat(newOnly.credentials(newOnly.byId(id).orElseThrow())).isEqualTo(credentials));
    assertThat(service(BOTH).rotateCredentials()).isZero();
  }

  @Test
  void rotationWalksTheTableInBatchesByKeyset() throws Exception {
    IntegrationService old = service(OLD);
    for (int i = 0; i < 11; i++) {
      hubspot(old, "tenant-" + (i % 2), "Portal " + i);
    }
    IntegrationStore store = new IntegrationStore(db);
    AtomicInteger queries = new AtomicInteger();
    SealedRows counted = new SealedRows() {
      @Override
      public List<Sealed> sealedNotUnder(String keyId, String afterId, int limit) {
        queries.incrementAndGet();
        List<Sealed> batch = store.sealedNotUnder(keyId, afterId, limit);
        assertThat(batch).hasSizeLessThanOrEqualTo(limit).allSatisfy(r -> assertThat(r.id()).isGreaterThan(afterId));
        return batch;
      }

      @Override
      public boolean replaceSealed(String id, String expected, String replacement) {
        return store.replaceSealed(id, expected, replacement);
      }
    };

    assertThat(new KeyRotation(counted, new CredentialCipher(BOTH), 4).rotate()).isEqualTo(11);
    assertThat(queries).hasValue(3);
    assertThat(keyIds().values()).containsOnly("k2026a");
    assertThat(store.sealedNotUnder("k2026a", "", 100)).isEmpty();
    assertThat(store.sealedNotUnder("k2025b", "", 100)).hasSize(11);
    assertThat(store.replaceSealed(secrets.keySet().iterator().next(), "v1.k2025b.not.what-is-stored", "x")).isFalse();
  }

  @Test
  void aCredentialUpdateThatLandsBetweenRotationsReadAndWriteIsKept() throws Exception {
    IntegrationService old = service(OLD);
    TenantIntegration a = hubspot(old, "acme", "A");
    hubspot(old, "acme", "B");
    IntegrationService current = service(BOTH);
    IntegrationStore store = new IntegrationStore(db);
    Map<String, String> during = Map.of("accessToken", secret("during-rotation"));
    SealedRows racing = new SealedRows() {
      @Override
      public List<Sealed> sealedNotUnder(String keyId, String afterId, int limit) {
        return store.sealedNotUnder(keyId, afterId, limit);
      }

      @Override
      public boolean replaceSealed(String id, String expected, String replacement) {
        if (id.equals(a.id())) {
          current.update("acme", id, new IntegrationUpdate(null, null, null, null, during, null));
        }
        return store.replaceSealed(id, expected, replacement);
      }
    };

    assertThat(new KeyRotation(racing, new CredentialCipher(BOTH), 10).rotate()).isEqualTo(1);

    Runtime newOnly = runtime(NEW_ONLY);
    Map<String, String> expected = new TreeMap<>(secrets.get(a.id()));
    expected.putAll(during);
    assertThat(newOnly.credentials(newOnly.byId(a.id()).orElseThrow())).isEqualTo(expected);
    assertThat(keyIds().values()).containsOnly("k2026a");
  }

  @Test
  void aChangeOfOtherColumnsThatReadTheRowBeforeRotationDoesNotWriteBackTheOldEnvelope() throws Exception {
    IntegrationService old = service(OLD);
    TenantIntegration a = hubspot(old, "acme", "A");
    Runtime runtime = runtime(BOTH);
    AtomicBoolean rotated = new AtomicBoolean();

    // the edit runs between the update's read and its write: rotation lands right there
    runtime.update(a.id(), null, e -> {
      if (rotated.compareAndSet(false, true)) {
        assertThat(service(BOTH).rotateCredentials()).isEqualTo(1);
      }
      e.name = "Renamed during rotation";
    });

    assertThat(keyIds()).containsEntry(a.id(), "k2026a");
    assertThat(runtime.credentials(runtime.byId(a.id()).orElseThrow())).isEqualTo(secrets.get(a.id()));
    assertThat(service(BOTH).get("acme", a.id()).name()).isEqualTo("Renamed during rotation");
  }

  @Test
  void underLoadNoReadFailsAndConcurrentWritesAreKept() throws Exception {
    IntegrationService old = service(OLD);
    List<TenantIntegration> all = new ArrayList<>();
    for (int i = 0; i < ROWS_UNDER_LOAD; i++) {
      all.add(hubspot(old, "tenant-" + (i % 4), "Portal " + i));
    }
    IntegrationService current = service(BOTH);
    Runtime reader = runtime(BOTH);
    TenantIntegration renewed = all.get(7);
    TenantIntegration statusChurn = all.get(31);
    Map<String, String> lastRenewal = new ConcurrentHashMap<>();
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong reads = new AtomicLong();
    AtomicLong writes = new AtomicLong();
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int offset = t * 13;
      running.add(pool.submit(() -> {
        for (int n = offset; !done.get(); n++) {
          TenantIntegration i = all.get(n % all.size());
          try {
            assertThat(current.get(i.tenantId(), i.id()).credentialKeys()).contains("accessToken");
            Map<String, String> opened = reader.credentials(reader.byId(i.id()).orElseThrow());
            if (!i.id().equals(renewed.id())) {
              assertThat(opened).isEqualTo(secrets.get(i.id()));
            }
            reads.incrementAndGet();
          } catch (Throwable e) {
            failures.add(e);
          }
        }
      }));
    }
    running.add(pool.submit(() -> {
      for (int n = 0; !done.get(); n++) {
        try {
          String token = "renewal-" + n + "-" + UUID.randomUUID();
          current.update(renewed.tenantId(), renewed.id(),
              new IntegrationUpdate(null, null, null, null, Map.of("accessToken", token), null));
          lastRenewal.put("accessToken", token);
          // a change of anything but the credentials must not write back the envelope it read
          current.update(statusChurn.tenantId(), statusChurn.id(),
              new IntegrationUpdate("Portal 31 #" + n, null, null, null, null, null));
          writes.incrementAndGet();
        } catch (Throwable e) {
          failures.add(e);
        }
      }
    }));
    while (reads.get() < 50) {
      Thread.sleep(5);
    }

    long readsBefore = reads.get();
    long writesBefore = writes.get();
    int resealed = current.rotateCredentials();
    long readsDuringRotation = reads.get() - readsBefore;
    long writesDuringRotation = writes.get() - writesBefore;
    done.set(true);
    for (Future<?> f : running) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(failures).isEmpty();
    assertThat(readsDuringRotation).isPositive();
    assertThat(writesDuringRotation).isPositive();
    assertThat(resealed).isBetween(ROWS_UNDER_LOAD - 2, ROWS_UNDER_LOAD);
    assertThat(keyIds().values()).containsOnly("k2026a");
    Runtime newOnly = runtime(NEW_ONLY);
    for (TenantIntegration i : all) {
      Map<String, String> opened = newOnly.credentials(newOnly.byId(i.id()).orElseThrow());
      if (i.id().equals(renewed.id())) {
        assertThat(opened).containsEntry("accessToken", lastRenewal.get("accessToken"));
      } else {
        assertThat(opened).isEqualTo(secrets.get(i.id()));
      }
    }
  }

  /** id to the key id of its envelope, for rows with credentials, straight from the table. */
  Map<String, String> keyIds() throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, credentials_sealed FROM crmkit_integration")) {
      while (rs.next()) {
        if (rs.getString(2) != null) {
          out.put(rs.getString(1), rs.getString(2).split("\\.")[1]);
        }
      }
    }
    return out;
  }

  Map<String, String> versionsAndTimes() throws SQLException {
    Map<String, String> out = new TreeMap<>();
    try (Connection c = db.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id, version, updated_at FROM crmkit_integration")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2) + "@" + rs.getLong(3));
      }
    }
    return out;
  }

  void sql(String statement, String... params) throws SQLException {
    try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(statement)) {
      for (int i = 0; i < params.length; i++) {
        ps.setString(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  void assertNoSecret(String text) {
    secrets.values().forEach(m -> m.values().forEach(v -> assertThat(text).doesNotContain(v)));
  }
}
