package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.crmkit.integrations.IntegrationSchema;
import dev.crmkit.integrations.TestDatabases;
import dev.crmkit.integrations.WebhookDelivery;
import dev.crmkit.integrations.WebhookDelivery.Outcome;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The V3 table and its log on every dialect (PostgreSQL and MariaDB are skipped when not reachable). */
class WebhookDeliveryLogTest {
  private static final Instant T0 = Instant.parse("2026-12-06T22:00:00.123Z");

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of(Named.of("h2", (Supplier<DataSource>) TestDatabases::h2)),
        Arguments.of(Named.of("sqlite", (Supplier<DataSource>) TestDatabases::sqlite)),
        Arguments.of(Named.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres)),
        Arguments.of(Named.of("mariadb", (Supplier<DataSource>) TestDatabases::mariadb)));
  }

  @ParameterizedTest
  @MethodSource("databases")
  void logsDeliveriesAndListsAnIntegrationsNewestFirstByExactTenant(Supplier<DataSource> database) {
    DataSource db = database.get();
    IntegrationSchema.migrate(db);
    WebhookDeliveryLog log = new WebhookDeliveryLog(db);

    WebhookDelivery first = log.log("acme", "int-1", "hubspot", T0, 200, Outcome.ACCEPTED, 3, 0, null);
    log.log("acme", "int-1", "hubspot", T0, 200, Outcome.ACCEPTED, 3, 3, null);
    log.log("acme", "int-1", "hubspot", T0.plusSeconds(1), 401, Outcome.BAD_SIGNATURE, 0, 0, "x".repeat(900));
    log.log("ACME", "int-1", "hubspot", T0.plusSeconds(2), 200, Outcome.ACCEPTED, 1, 0, null);
    log.log("acme ", "int-1", "hubspot", T0.plusSeconds(2), 200, Outcome.ACCEPTED, 1, 0, null);
    log.log(null, null, "hubspot", T0.plusSeconds(3), 404, Outcome.UNROUTED, 0, 0, "no integration");

    assertThat(first.receivedAt()).isEqualTo(T0);
    assertThat(log.recent("acme", "int-1", 10))
        .extracting(WebhookDelivery::outcome, WebhookDelivery::status, WebhookDelivery::duplicates)
        .containsExactly(tuple(Outcome.BAD_SIGNATURE, 401, 0), tuple(Outcome.ACCEPTED, 200, 3),
            tuple(Outcome.ACCEPTED, 200, 0));
    assertThat(log.recent("acme", "int-1", 10).get(0).detail()).hasSize(WebhookDeliveryLog.MAX_DETAIL).endsWith("...");
    assertThat(log.recent("acme", "int-1", 10).get(2)).isEqualTo(first);
    assertThat(log.recent("acme", "int-1", 1)).hasSize(1);
    assertThat(log.recent("acme", "int-2", 10)).isEmpty();
    assertThat(log.recent("ACME", "int-1", 10)).hasSize(1);
    assertThat(log.recent("acme ", "int-1", 10)).hasSize(1);
  }
}
