package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.http.HttpConnector;
import dev.crmkit.http.StaticToken;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The resolver against the stateful emulator: queries, creates, the bounded cache. */
class AccountResolverTest {
  private final SalesforceEmulator emulator = SalesforceEmulator.start();
  private final Map<String, String> learned = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    emulator.close();
  }

  private AccountResolver resolver(int capacity) {
    HttpConnector connector = HttpConnector.builder().vendor("salesforce").baseUrl(emulator.baseUrl())
        .clock(Clock.systemUTC()).auth(StaticToken.of(emulator.accessToken())).errorParser(new SalesforceErrors())
        .build();
    return new AccountResolver(new SalesforceApi(connector, emulator.apiVersion(), new ApiUsage(Clock.systemUTC(), 10)),
        learned::put, capacity);
  }

  @Test
  void theCacheKeepsTheMostRecentlyUsedNamesAndAnEvictedNameIsFoundAgainNotCreatedAgain() {
    AccountResolver resolver = resolver(2);
    String a = resolver.resolve("Acme");
    resolver.resolve("Globex");
    resolver.resolve("Acme");
    resolver.resolve("Initech");

    assertThat(resolver.cached("ACME")).isEqualTo(a);
    assertThat(resolver.cached("Globex")).isNull();
    emulator.counters().reset();
    String globex = resolver.resolve("globex");

    assertThat(emulator.counters().requests(SalesforceCounters.QUERY)).isOne();
    assertThat(emulator.counters().requests(SalesforceCounters.CREATE)).isZero();
    assertThat(learned).containsEntry(globex, "Globex").containsEntry(a, "Acme").hasSize(3);
  }

  @Test
  void resolveAllFindsAndCreatesInOneCompositeCallEachAndKeepsTheOldestOfTwoAccountsWithOneName() {
    String oldest = emulator.insert("Account", Map.of("Name", "Twice"));
    emulator.insert("Account", Map.of("Name", "TWICE"));
    AccountResolver resolver = resolver(100);
    emulator.counters().reset();

    AccountResolver.Resolution r = resolver.resolveAll(List.of("twice", "New One", "new one", "It's \\ odd"));

    assertThat(r.idOf("Twice")).isEqualTo(oldest);
    assertThat(r.idOf("NEW ONE")).isEqualTo(resolver.cached("new one"));
    assertThat(emulator.record(r.idOf("It's \\ odd")).orElseThrow()).containsEntry("Name", "It's \\ odd");
    assertThat(emulator.counters().requests(SalesforceCounters.COMPOSITE)).isEqualTo(2);
    assertThat(emulator.counters().subrequests(SalesforceCounters.COLLECTION_CREATE)).isOne();
    assertThatThrownBy(() -> r.idOf("never asked")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> resolver(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
