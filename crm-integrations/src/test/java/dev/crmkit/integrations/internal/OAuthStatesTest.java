package dev.crmkit.integrations.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.crmkit.integrations.IntegrationSchema;
import dev.crmkit.integrations.TestDatabases;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** crmkit_oauth_state (schema V2) on the four dialects: single use decided by the database. */
class OAuthStatesTest {
  private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

  static Stream<Arguments> databases() {
    return Stream.of(
        Arguments.of("h2", (Supplier<DataSource>) TestDatabases::h2),
        Arguments.of("sqlite", (Supplier<DataSource>) TestDatabases::sqlite),
        Arguments.of("postgresql", (Supplier<DataSource>) TestDatabases::postgres),
        Arguments.of("mariadb", (Supplier<DataSource>) TestDatabases::mariadb));
  }

  private static OAuthStates states(Supplier<DataSource> database) {
    DataSource db = database.get();
    IntegrationSchema.migrate(db);
    return new OAuthStates(db);
  }

  private static OAuthStates.Row row(String hash, Instant expiresAt) {
    return new OAuthStates.Row(hash, "acme", "int-1", "salesforce", "https://app.example/cb?x=1", "v1.k.n.c",
        NOW, expiresAt, null);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void aStateIsConsumedOnceAndReadBackWithItsBinding(String name, Supplier<DataSource> database) {
    OAuthStates states = states(database);
    String hash = OAuthConnections.hash("state-1");
    states.insert(row(hash, NOW.plusSeconds(600)));

    assertThat(states.find(hash)).hasValueSatisfying(r -> {
      assertThat(r.tenantId()).isEqualTo("acme");
      assertThat(r.integrationId()).isEqualTo("int-1");
      assertThat(r.provider()).isEqualTo("salesforce");
      assertThat(r.redirectUri()).isEqualTo("https://app.example/cb?x=1");
      assertThat(r.verifierSealed()).isEqualTo("v1.k.n.c");
      assertThat(r.expiresAt()).isEqualTo(NOW.plusSeconds(600));
      assertThat(r.consumedAt()).isNull();
    });
    assertThat(states.consume(hash, NOW.plusSeconds(1))).isTrue();
    assertThat(states.consume(hash, NOW.plusSeconds(2))).isFalse();
    assertThat(states.find(hash).orElseThrow().consumedAt()).isEqualTo(NOW.plusSeconds(1));
    assertThat(states.consume(OAuthConnections.hash("never-issued"), NOW)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void anExpiredStateCannotBeConsumedAndIsDeletedLater(String name, Supplier<DataSource> database) {
    OAuthStates states = states(database);
    String hash = OAuthConnections.hash("state-2");
    states.insert(row(hash, NOW.plusSeconds(600)));

    assertThat(states.consume(hash, NOW.plusSeconds(600))).isFalse();
    assertThat(states.deleteExpiredBefore(NOW.plusSeconds(600))).isZero();
    assertThat(states.deleteExpiredBefore(NOW.plusSeconds(601))).isEqualTo(1);
    assertThat(states.find(hash)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("databases")
  void ofManyConcurrentConsumersExactlyOneWins(String name, Supplier<DataSource> database) throws Exception {
    OAuthStates states = states(database);
    String hash = OAuthConnections.hash("state-3");
    states.insert(row(hash, NOW.plus(Duration.ofMinutes(10))));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        tasks.add(() -> states.consume(hash, NOW.plusSeconds(5)));
      }
      long wins = 0;
      for (Future<Boolean> f : pool.invokeAll(tasks)) {
        wins += f.get() ? 1 : 0;
      }
      assertThat(wins).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
