package dev.crmkit.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.crmkit.ActivityDraft;
import dev.crmkit.ActivityType;
import dev.crmkit.Channel;
import dev.crmkit.Customer;
import dev.crmkit.CustomerDraft;
import dev.crmkit.CustomerQuery;
import dev.crmkit.Money;
import dev.crmkit.NoteDraft;
import dev.crmkit.OrderDraft;
import dev.crmkit.PageRequest;
import dev.crmkit.error.ValidationException;
import dev.crmkit.identity.PhoneNumbers;
import dev.crmkit.inbound.FirstContactHandler;
import dev.crmkit.inbound.FirstContactResult.Outcome;
import dev.crmkit.inbound.InboundMessage;
import dev.crmkit.jdbc.internal.DriverManagerDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.Normalizer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Two keys that differ only by a trailing space, by case, or by Unicode normalization (NFC against
 * NFD) never reach each other's data, on every database: tenants, customer ids, message ids
 * (idempotency keys), order ids, and the key columns themselves. MariaDB's {@code utf8mb4_bin} is PAD
 * SPACE and failed the trailing-space cases before migration V4.
 */
class ExactKeysPropertyTest {
  private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");
  private static final Map<String, HikariDataSource> DATABASES = new ConcurrentHashMap<>();
  private static final AtomicInteger TRIES = new AtomicInteger();
  private static final String RUN = Long.toString(System.nanoTime() % 1_000_000, 36);

  /** How the second key differs from the first. */
  enum Variant {
    TRAILING_SPACE, CASE, NFD;

    String apply(String s) {
      return switch (this) {
        case TRAILING_SPACE -> s + " ";
        case CASE -> s.toUpperCase(Locale.ROOT).equals(s) ? s.toLowerCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT);
        case NFD -> Normalizer.normalize(s, Normalizer.Form.NFD);
      };
    }
  }

  @Provide
  Arbitrary<String> keys() {
    Arbitrary<String> letters = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(10);
    // One precomposed letter, so that its NFD form differs from it.
    Arbitrary<Character> composed = Arbitraries.of('\u00e9', '\u00f6', '\u00c5', '\u00f1', '\u00e7');
    return Combinators.combine(letters, composed, letters).as((a, c, b) -> a + c + b);
  }

  @Property(tries = 12)
  void keysAreExactOnH2(@ForAll("keys") String key, @ForAll Variant variant) throws SQLException {
    keysNeverReachEachOther(database("h2", () -> new DriverManagerDataSource(
        "jdbc:h2:file:" + tempDir().resolve("exact") + ";DB_CLOSE_DELAY=-1", "sa", "")), key, variant);
  }

  @Property(tries = 12)
  void keysAreExactOnSqlite(@ForAll("keys") String key, @ForAll Variant variant) throws SQLException {
    keysNeverReachEachOther(database("sqlite", () -> new DriverManagerDataSource(
        "jdbc:sqlite:" + tempDir().resolve("exact.db") + "?busy_timeout=10000", null, null)), key, variant);
  }

  @Property(tries = 12)
  void keysAreExactOnPostgres(@ForAll("keys") String key, @ForAll Variant variant) throws SQLException {
    keysNeverReachEachOther(database("postgresql", () -> ServerDatabases.postgres("crmkit_exact_keys")), key, variant);
  }

  @Property(tries = 12)
  void keysAreExactOnMariaDb(@ForAll("keys") String key, @ForAll Variant variant) throws SQLException {
    keysNeverReachEachOther(database("mariadb", () -> ServerDatabases.mariadb("crmkit_exact_keys")), key, variant);
  }

  @AfterContainer
  static void closePools() {
    DATABASES.values().forEach(HikariDataSource::close);
    DATABASES.clear();
  }

  private static DataSource database(String name, Supplier<DataSource> raw) {
    return DATABASES.computeIfAbsent(name, n -> {
      HikariDataSource pool = TestPools.pool(raw.get(), "exact-" + n);
      NativeSchema.migrate(pool);
      return pool;
    });
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("crmkit-exact");
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void keysNeverReachEachOther(DataSource db, String key, Variant variant) throws SQLException {
    String tenant = "t" + RUN + "-" + TRIES.incrementAndGet() + "-" + key;
    String other = variant.apply(tenant);
    assertThat(other).isNotEqualTo(tenant);

    keyColumnsCompareExactly(db, tenant, other);
    if (variant == Variant.TRAILING_SPACE) {
      assertThatThrownBy(() -> open(db, other)).isInstanceOf(ValidationException.class)
          .hasMessageContaining("tenantId");
    } else {
      tenantsNeverSeeEachOther(db, tenant, other);
    }
    idsWithinATenantAreExact(db, tenant, key, variant);
  }

  /** The columns themselves: a row stored under one key is not found, nor clashed with, under the other. */
  private static void keyColumnsCompareExactly(DataSource db, String tenant, String other) throws SQLException {
    try (Connection c = db.getConnection()) {
      String raw = "raw-" + tenant;
      String rawOther = "raw-" + other;
      update(c, "INSERT INTO crm_change_counters (tenant_id, last_seq) VALUES (?, 1)", raw);
      assertThat(count(c, "SELECT COUNT(*) FROM crm_change_counters WHERE tenant_id = ?", rawOther)).isZero();
      update(c, "INSERT INTO crm_change_counters (tenant_id, last_seq) VALUES (?, 2)", rawOther);
      assertThat(count(c, "SELECT COUNT(*) FROM crm_change_counters WHERE tenant_id = ?", raw)).isOne();

      update(c, "INSERT INTO crm_merged_ids (tenant_id, merged_id, survivor_id, merged_at) VALUES (?, ?, 's', 0)",
          raw, tenant);
      assertThat(count(c, "SELECT COUNT(*) FROM crm_merged_ids WHERE tenant_id = ? AND merged_id = ?", raw, other))
          .isZero();
      update(c, "INSERT INTO crm_merged_ids (tenant_id, merged_id, survivor_id, merged_at) VALUES (?, ?, 's', 0)",
          raw, other);

      // Sync state: the primary key (local id) and the unique external id.
      update(c, "INSERT INTO crm_sync_mappings (tenant_id, integration, local_id, external_id) VALUES (?, 'i', ?, ?)",
          raw, tenant, tenant);
      assertThat(count(c, "SELECT COUNT(*) FROM crm_sync_mappings WHERE tenant_id = ? AND integration = 'i' "
          + "AND (local_id = ? OR external_id = ?)", raw, other, other)).isZero();
      update(c, "INSERT INTO crm_sync_mappings (tenant_id, integration, local_id, external_id) VALUES (?, 'i', ?, ?)",
          raw, other, other);
    }
  }

  private static void tenantsNeverSeeEachOther(DataSource db, String tenant, String other) {
    NativeCustomerSystem a = open(db, tenant);
    NativeCustomerSystem b = open(db, other);
    Customer ada = a.create(CustomerDraft.builder().firstName("Ada").email("ada@example.com").build());
    a.addNote(ada.id(), NoteDraft.of("private"));
    a.recordOrder(ada.id(), new OrderDraft("O-1", Money.of("10.00", "EUR"), T0));
    a.logInteraction(ada.id(), activity("k-1"));

    assertThat(b.get(ada.id())).isEmpty();
    assertThat(b.findByEmail("ada@example.com")).isEmpty();
    assertThat(b.findActivity("k-1")).isEmpty();
    assertThat(b.search(CustomerQuery.builder().build()).items()).isEmpty();
    assertThat(b.changesSince(null, 10).changes()).isEmpty();

    Customer bea = b.create(CustomerDraft.builder().firstName("Bea").email("ada@example.com").build());
    assertThat(b.logInteraction(bea.id(), activity("k-1")).duplicate()).isFalse();
    assertThat(b.recordOrder(bea.id(), new OrderDraft("O-1", Money.of("5.00", "EUR"), T0)).totalOrders()).isOne();
    assertThat(a.require(ada.id()).firstName()).isEqualTo("Ada");
    assertThat(a.listNotes(ada.id(), PageRequest.first()).items()).hasSize(1);
    assertThat(b.listNotes(bea.id(), PageRequest.first()).items()).isEmpty();
  }

  private static void idsWithinATenantAreExact(DataSource db, String tenant, String key, Variant variant) {
    NativeCustomerSystem crm = open(db, tenant);
    FirstContactHandler handler = FirstContactHandler.builder(crm).build();
    String messageId = "SM-" + key;
    String otherMessageId = variant.apply(messageId);

    assertThat(handler.handle(sms(tenant, messageId)).outcome()).isIn(Outcome.CREATED, Outcome.MATCHED);
    var second = handler.handle(sms(tenant, otherMessageId));
    assertThat(second.outcome()).isEqualTo(Outcome.MATCHED);
    assertThat(second.activity().idempotencyKey()).endsWith(otherMessageId);
    assertThat(handler.handle(sms(tenant, messageId)).outcome()).isEqualTo(Outcome.DUPLICATE);
    assertThat(handler.handle(sms(tenant, otherMessageId)).outcome()).isEqualTo(Outcome.DUPLICATE);

    String customerId = second.customer().id();
    assertThat(crm.findActivity("msg:sms:" + messageId).map(a -> a.metadata().get("messageId")))
        .contains(messageId);
    assertThat(crm.findActivity("msg:sms:" + otherMessageId).map(a -> a.metadata().get("messageId")))
        .contains(otherMessageId);
    if (variant != Variant.NFD) {
      // Customer ids are ASCII: NFD leaves them as they are.
      assertThat(crm.get(variant.apply(customerId))).isEmpty();
    }
    if (variant != Variant.TRAILING_SPACE) {
      // OrderDraft strips an order id by design, so only case and normalization make another order.
      String orderId = "O-" + key;
      crm.recordOrder(customerId, new OrderDraft(orderId, Money.of("1.00", "EUR"), T0));
      crm.recordOrder(customerId, new OrderDraft(variant.apply(orderId), Money.of("1.00", "EUR"), T0));
      assertThat(crm.recordOrder(customerId, new OrderDraft(orderId, Money.of("1.00", "EUR"), T0)).totalOrders())
          .isEqualTo(2);
    }
  }

  private static NativeCustomerSystem open(DataSource db, String tenant) {
    return NativeCustomerSystem.open(db, tenant, Clock.fixed(T0, ZoneOffset.UTC), PhoneNumbers.forRegion("US"));
  }

  private static InboundMessage sms(String tenant, String messageId) {
    return new InboundMessage(tenant, Channel.SMS, "+1 415 555 0100", null, "hi", messageId, T0);
  }

  private static ActivityDraft activity(String key) {
    return new ActivityDraft(ActivityType.MESSAGE_RECEIVED, Channel.SMS, "hi", T0, Map.of(), key);
  }

  private static void update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      ps.executeUpdate();
    }
  }

  private static long count(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < params.length; i++) {
        ps.setObject(i + 1, params[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
