package dev.crmkit.salesforce.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.ChangeBatch;
import dev.crmkit.ChangeType;
import dev.crmkit.CustomerChange;
import dev.crmkit.CustomerSystem;
import dev.crmkit.ProviderContext;
import dev.crmkit.TenantConfig;
import dev.crmkit.error.ValidationException;
import dev.crmkit.salesforce.SalesforceCustomerSystemProvider;
import dev.crmkit.testkit.MutableClock;
import dev.crmkit.testkit.salesforce.SalesforceCounters;
import dev.crmkit.testkit.salesforce.SalesforceEmulator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The change feed against the emulator. The emulator and the provider have clocks of their own, so a test can
 * write a record whose {@code SystemModstamp} lags the provider's clock, as a transaction committing late does.
 */
class SalesforceChangeFeedTest {
  private static final Instant T0 = Instant.parse("2025-03-14T09:26:00Z");
  private final MutableClock app = new MutableClock(T0);
  private final MutableClock org = new MutableClock(T0);
  private final SalesforceEmulator emulator = SalesforceEmulator.builder().clock(org).build();
  private final CustomerSystem system = new SalesforceCustomerSystemProvider().create(new ProviderContext(
      TenantConfig.builder("t-1", "salesforce").credential("accessToken", emulator.accessToken())
          .setting("instanceUrl", emulator.baseUrl()).build(), app, Map.of()));

  @AfterEach
  void stop() {
    emulator.close();
  }

  @Test
  void aWriteCommittedLateWithAnOlderStampIsDeliveredOnceWithinTheOverlap() {
    at(T0.plusSeconds(10));
    String a = contact("Early");
    ChangeBatch first = system.changesSince(null, 10);
    assertThat(ids(first)).containsExactly(a);

    app.set(T0.plusSeconds(60));
    org.set(T0.plusSeconds(5));
    String late = contact("Late");
    org.set(T0.plusSeconds(60));
    ChangeBatch second = system.changesSince(first.nextCursor(), 10);

    assertThat(second.changes()).singleElement().satisfies(ch -> {
      assertThat(ch.customerId()).isEqualTo(late);
      assertThat(ch.type()).isEqualTo(ChangeType.CREATED);
      assertThat(ch.changedAt()).isEqualTo(T0.plusSeconds(5));
    });
    ChangeBatch third = system.changesSince(second.nextCursor(), 10);
    assertThat(third.changes()).isEmpty();
    assertThat(third.nextCursor()).isEqualTo(second.nextCursor());
  }

  @Test
  void theSettledPointStaysTheOverlapBehindTheClockToTheSecond() {
    at(T0);
    contact("First");
    String cursor = system.changesSince(null, 10).nextCursor();
    Instant horizon = T0.plus(Duration.ofMinutes(1)).minus(ContactChangeFeed.DEFAULT_OVERLAP);

    app.set(T0.plus(Duration.ofMinutes(1)));
    org.set(horizon);
    String atHorizon = contact("AtHorizon");
    ChangeBatch batch = system.changesSince(cursor, 10);
    assertThat(ids(batch)).containsExactly(atHorizon);
    assertThat(ContactChangeFeed.CURSORS.decode(batch.nextCursor()).settledAt()).isEqualTo(horizon.getEpochSecond());

    org.set(horizon);
    String sameSecond = contact("SameSecond");
    org.set(horizon.minusSeconds(1));
    contact("TooLate");
    assertThat(ids(system.changesSince(batch.nextCursor(), 10))).containsExactly(sameSecond);
  }

  @Test
  void aFullPullOfOldRecordsStreamsByKeysetAndRemembersNoRows() {
    at(T0);
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      created.add(contact("Bulk" + i));
    }
    at(T0.plus(Duration.ofHours(1)));
    system.changesSince(null, 1);
    emulator.counters().reset();

    List<String> seen = new ArrayList<>();
    String cursor = null;
    int calls = 0;
    ChangeBatch batch;
    do {
      batch = system.changesSince(cursor, 10);
      calls++;
      batch.changes().forEach(ch -> seen.add(ch.customerId()));
      assertThat(ContactChangeFeed.CURSORS.decode(batch.nextCursor()).recent()).isEmpty();
      cursor = batch.nextCursor();
    } while (batch.hasMore());

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(calls).isEqualTo(3);
    assertThat(emulator.counters().requests(SalesforceCounters.QUERY_ALL)).isEqualTo(3);
    assertThat(emulator.counters().requests(SalesforceCounters.QUERY_MORE)).isZero();
  }

  @Test
  void aBurstInsideTheOverlapIsDeliveredOnceAndTheCursorRemembersAtMostMaxRecentRows() {
    at(T0);
    Set<String> created = new HashSet<>();
    for (int i = 0; i < ContactChangeFeed.MAX_RECENT + 5; i++) {
      created.add(contact("Burst" + i));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    ChangeBatch batch;
    do {
      batch = system.changesSince(cursor, 400);
      batch.changes().forEach(ch -> seen.add(ch.customerId()));
      assertThat(ContactChangeFeed.CURSORS.decode(batch.nextCursor()).recent()).hasSizeLessThanOrEqualTo(
          ContactChangeFeed.MAX_RECENT);
      cursor = batch.nextCursor();
    } while (batch.hasMore());

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(ContactChangeFeed.CURSORS.decode(cursor).recent()).hasSize(ContactChangeFeed.MAX_RECENT);
    assertThat(system.changesSince(cursor, 400).changes()).isEmpty();
  }

  @Test
  void aBurstOfMoreThanTwiceMaxRecentInOneSecondIsDeliveredOnceInTheServersIdOrder() {
    // Salesforce sorts text, Ids too, case-insensitively (the emulator as well); the 18-character ids of one
    // second cross case boundaries (…Z, …a), so the rows the cursor forgets when it caps its remembered rows
    // must be the first ones in that order, or rows after the settled point are delivered twice.
    at(T0);
    Set<String> created = new HashSet<>();
    for (int i = 0; i < 2 * ContactChangeFeed.MAX_RECENT + 100; i++) {
      created.add(contact("Second" + i));
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int calls = 0;
    ChangeBatch batch;
    do {
      batch = system.changesSince(cursor, 1000);
      calls++;
      batch.changes().forEach(ch -> seen.add(ch.customerId()));
      cursor = batch.nextCursor();
    } while (batch.hasMore() && calls < 10);

    assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
    assertThat(calls).isEqualTo(3);
    assertThat(system.changesSince(cursor, 1000).changes()).isEmpty();
  }

  @Test
  void aMergedRecordIsDeletedIntoItsMasterRecord() {
    at(T0);
    String master = contact("Master");
    String loser = contact("Loser");
    String cursor = system.changesSince(null, 10).nextCursor();
    at(T0.plusSeconds(1));
    emulator.merge(master, loser);

    List<CustomerChange> changes = system.changesSince(cursor, 10).changes();

    assertThat(changes).filteredOn(c -> c.customerId().equals(loser)).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(ChangeType.DELETED);
      assertThat(c.mergedIntoId()).isEqualTo(master);
      assertThat(c.customer().isDeleted()).isTrue();
    });
    assertThat(changes).filteredOn(c -> c.customerId().equals(master)).singleElement()
        .satisfies(c -> assertThat(c.type()).isEqualTo(ChangeType.UPDATED));
  }

  @Test
  void aRecordPurgedFromTheRecycleBinIsReportedOnceFromTheDeleteLog() {
    at(T0);
    String gone = contact("Gone");
    String cursor = system.changesSince(null, 10).nextCursor();
    at(T0.plus(Duration.ofMinutes(2)));
    emulator.delete(gone);
    emulator.purge(gone);
    at(T0.plus(Duration.ofMinutes(3)));

    ChangeBatch batch = system.changesSince(cursor, 10);

    assertThat(batch.changes()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(ChangeType.DELETED);
      assertThat(c.customerId()).isEqualTo(gone);
      assertThat(c.customer().deletedAt()).isEqualTo(T0.plus(Duration.ofMinutes(2)));
      assertThat(c.mergedIntoId()).isNull();
    });
    at(T0.plus(Duration.ofMinutes(4)));
    assertThat(system.changesSince(batch.nextCursor(), 10).changes()).isEmpty();
  }

  @Test
  void aDeleteLogEntryOfARecordStillInTheRecycleBinComesOnlyThroughTheStream() {
    at(T0);
    String binned = contact("Binned");
    String cursor = system.changesSince(null, 10).nextCursor();
    at(T0.plus(Duration.ofMinutes(2)));
    emulator.delete(binned);
    at(T0.plus(Duration.ofMinutes(3)));

    ChangeBatch batch = system.changesSince(cursor, 10);
    assertThat(batch.changes()).singleElement().satisfies(c -> {
      assertThat(c.type()).isEqualTo(ChangeType.DELETED);
      assertThat(c.customer().lastName()).isEqualTo("Binned");
    });
    assertThat(system.changesSince(batch.nextCursor(), 10).changes()).isEmpty();
  }

  @Test
  void pastTheFifteenDayDeleteLogTheRecycleBinStillReportsDeletions() {
    at(T0);
    String old = contact("Old");
    String purged = contact("Purged");
    String cursor = system.changesSince(null, 10).nextCursor();
    at(T0.plus(Duration.ofDays(16)));
    emulator.delete(old);
    emulator.delete(purged);
    emulator.purge(purged);

    ChangeBatch batch = system.changesSince(cursor, 10);

    // getDeleted would answer INVALID_REPLICATION_DATE for a start 16 days back: the feed does not ask it, and
    // queryAll still has the record in the recycle bin. The purged one is beyond every API's reach.
    assertThat(batch.changes()).singleElement().satisfies(c -> {
      assertThat(c.customerId()).isEqualTo(old);
      assertThat(c.type()).isEqualTo(ChangeType.DELETED);
    });
    assertThat(ContactChangeFeed.CURSORS.decode(batch.nextCursor()).deletedThrough())
        .isEqualTo(T0.plus(Duration.ofDays(16)).getEpochSecond());
  }

  @Test
  void aDeleteLogTheOrgRefusesAsTooOldFallsBackToTheStream() {
    at(T0);
    String binned = contact("Binned");
    String cursor = system.changesSince(null, 10).nextCursor();
    // The org's clock runs a day ahead: the provider thinks its log position is 14.5 days old, Salesforce
    // finds it 15.5 days old and answers INVALID_REPLICATION_DATE.
    app.set(T0.plus(Duration.ofHours(14 * 24 + 12)));
    org.set(T0.plus(Duration.ofHours(15 * 24 + 12)));
    emulator.delete(binned);

    ChangeBatch batch = system.changesSince(cursor, 10);

    assertThat(batch.changes()).singleElement().satisfies(c -> assertThat(c.type()).isEqualTo(ChangeType.DELETED));
    assertThat(ContactChangeFeed.CURSORS.decode(batch.nextCursor()).deletedThrough())
        .isEqualTo(T0.plus(Duration.ofHours(14 * 24 + 12)).getEpochSecond());
  }

  @Test
  void aCursorOfAnotherListOrWithAForgedIdIsRejectedNamingCursor() {
    at(T0);
    String search = ContactSearch.CURSORS.encode(new ContactSearch.SearchCursor("003000000000001AAA"));
    String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
        "{\"k\":\"sf1:feed\",\"s\":{\"di\":\"\",\"si\":\"x' OR Id != '\"}}".getBytes(StandardCharsets.UTF_8));

    for (String bad : List.of(search, forged, "not a cursor")) {
      assertThatThrownBy(() -> system.changesSince(bad, 10)).isInstanceOfSatisfying(ValidationException.class,
          e -> assertThat(e.fieldErrors()).anySatisfy(f -> assertThat(f.field()).isEqualTo("cursor")));
    }
    assertThat(emulator.counters().requests(SalesforceCounters.QUERY_ALL)).isZero();
  }

  private void at(Instant t) {
    app.set(t);
    org.set(t);
  }

  private String contact(String lastName) {
    return emulator.insert("Contact", Map.of("LastName", lastName));
  }

  private static List<String> ids(ChangeBatch batch) {
    return batch.changes().stream().map(CustomerChange::customerId).toList();
  }
}
