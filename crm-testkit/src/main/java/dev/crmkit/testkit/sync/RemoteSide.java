package dev.crmkit.testkit.sync;

import dev.crmkit.CustomerSystem;
import dev.crmkit.sync.FieldMapping;
import dev.crmkit.sync.SyncEngine;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.webhook.ChangeEventType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One vendor CRM as {@link SyncScenarioSuite} drives it: the provider's {@link CustomerSystem} on the
 * vendor's emulator, the emulator's "vendor UI" hooks, the vendor's real-time delivery into an engine's
 * inbox, injected faults and call counters. A provider's test implements it once and hands a new one
 * to the suite per test ({@link SyncScenarioSuite#newRemote}).
 *
 * <p>Every value crosses this interface in crmkit's words ({@link Field}); the vendor's property names
 * and encodings stay in the implementation. An implementation translates with its own literal table
 * (HubSpot: {@code lifecyclestage=evangelist} is {@code VIP}), never with the provider's mapping under
 * test, so that a wrong mapping fails the suite instead of agreeing with itself.
 *
 * <p>Time: the implementation takes every instant from the suite's {@link dev.crmkit.testkit.MutableClock}
 * and makes the provider's retry sleeps advance that clock, so nothing sleeps.
 *
 * <p>Not thread-safe; one per test.
 */
public interface RemoteSide extends AutoCloseable {

  /** A field of a person record, in crmkit's words; the implementation maps it to the vendor's property. */
  enum Field {
    /** Given name. */
    FIRST_NAME,
    /** Family name. */
    LAST_NAME,
    /** Email address. */
    EMAIL,
    /** Phone number, E.164. */
    PHONE,
    /**
     * The segment, as a {@link dev.crmkit.Segment} name; an implementation reads the vendor's value
     * back to a name with its literal table and returns an unknown vendor value as it is.
     */
    SEGMENT,
    /** Tags, comma-separated, as the provider writes them. */
    TAGS,
    /** Order count pushed from the local store, a decimal integer. */
    ORDERS_COUNT,
    /** Revenue pushed from the local store, a decimal amount ({@code 40.50}). */
    REVENUE,
    /** A vendor property the field mapping does not sync (HubSpot: {@code company}). */
    UNSYNCED
  }

  /** What a vendor or its emulator can do; a scenario that needs a missing one is skipped with a message. */
  enum Capability {
    /** Edits and creates made in the vendor UI reach {@link #deliverInto the inbox} in real time. */
    REALTIME_CHANGES,
    /** Deletions, restores and merges made in the vendor UI are delivered in real time too. */
    REALTIME_DELETIONS,
    /** A real-time event says whether the integration's own write caused it ({@link #isOwnWrite}). */
    OWN_WRITE_MARKER,
    /** The vendor UI can merge two records ({@link #mergeInUi}). */
    MERGE_IN_UI,
    /** The vendor UI can restore a deleted record ({@link #restoreInUi}). */
    RESTORE_IN_UI,
    /**
     * A delivery numbers each event's attempt ({@link Delivery#attemptNumbers()}; HubSpot's {@code
     * attemptNumber}); without it the attempt numbers are empty and the suite checks redelivery by ids only.
     */
    NUMBERED_ATTEMPTS,
    /**
     * The vendor answers bursts with a rate-limit answer and a short retry-after that a provider waits out
     * ({@link Failure#THROTTLED}; HubSpot's 429 per ten-second window). Salesforce has none: its 403
     * {@code REQUEST_LIMIT_EXCEEDED} is the rolling 24-hour allocation, nothing a run can wait out.
     */
    SHORT_THROTTLING
  }

  /** A failure the emulator answers the provider's next requests with. */
  enum Failure {
    /** The vendor's rate-limit answer with a short retry-after (HubSpot: 429); only with {@link Capability#SHORT_THROTTLING}. */
    THROTTLED,
    /** The vendor is down (503). */
    UNAVAILABLE
  }

  /** A kind of request the emulator counts. */
  enum Call {
    /** A batch create or batch upsert of records. */
    BATCH_CREATE,
    /** A batch update of records. */
    BATCH_UPDATE,
    /**
     * A read of the records a batch write has just stored, at most one per batch (Salesforce: a SOQL query,
     * as sObject Collections answer ids only); none for a vendor whose batch answers carry the records.
     */
    READ_BACK,
    /**
     * A request a provider makes once on first use, not per record or batch (Salesforce: {@code GET /limits}
     * for the daily allocation and a describe that checks the configured fields).
     */
    SETUP,
    /** Every request, of any kind. */
    ANY
  }

  /**
   * One real-time delivery attempt the vendor made to the host's endpoint.
   *
   * @param eventIds the vendor's ids of the events in it, in the order sent
   * @param attemptNumbers the attempt number of each event, 0 for the first delivery; empty when the
   *     vendor does not number attempts (no {@link Capability#NUMBERED_ATTEMPTS})
   * @param status the HTTP status the endpoint answered
   * @param willRetry whether the vendor will send the events again
   */
  record Delivery(List<String> eventIds, List<Integer> attemptNumbers, int status, boolean willRetry) {
    /** Copies the lists. */
    public Delivery {
      eventIds = List.copyOf(eventIds);
      attemptNumbers = List.copyOf(attemptNumbers);
    }
  }

  // ----------------------------------------------------------------------------- the provider

  /**
   * @return the provider name, the {@link dev.crmkit.sync.IntegrationKey}'s and the events' ({@code hubspot})
   */
  String provider();

  /**
   * @return the provider's system of tenant {@code shop-1} on the emulator, the same instance each
   *     call, configured to push orders and revenue to {@link Field#ORDERS_COUNT} and {@link Field#REVENUE}
   */
  CustomerSystem system();

  /** @return the field mapping a host syncs this provider with (its default) */
  FieldMapping mapping();

  /** @return the vendor's largest batch write, records per request (HubSpot: 100) */
  int batchLimit();

  /** @return what this vendor can do; the suite skips a scenario needing anything missing */
  Set<Capability> capabilities();

  // ----------------------------------------------------------------------------- the vendor UI

  /**
   * Creates a person in the vendor UI (straight on the emulator, not through the provider).
   *
   * @param fields the fields to set, values in crmkit's words
   * @return the vendor's id of the new record
   */
  String createInUi(Map<Field, String> fields);

  /**
   * Edits a person in the vendor UI; the emulator stamps the edit at the clock's instant.
   *
   * @param id the vendor's id of a live record
   * @param fields the fields to set, values in crmkit's words
   */
  void editInUi(String id, Map<Field, String> fields);

  /**
   * Deletes (archives) a person in the vendor UI.
   *
   * @param id the vendor's id of a live record
   */
  void deleteInUi(String id);

  /**
   * Restores a deleted person in the vendor UI.
   *
   * @param id the vendor's id of a deleted record
   */
  void restoreInUi(String id);

  /**
   * Merges two persons in the vendor UI.
   *
   * @param survivorId the record that stays
   * @param mergedId the record merged into it and gone afterwards
   */
  void mergeInUi(String survivorId, String mergedId);

  /**
   * Reads a record as the vendor holds it, from the emulator, not through the provider.
   *
   * @param id a vendor id
   * @return the record's fields that are set, in crmkit's words; empty when it is not live
   */
  Optional<Map<Field, String>> readInUi(String id);

  /** @return how many person records are live on the vendor */
  int liveCount();

  // ----------------------------------------------------------------------------- real-time delivery

  /**
   * Points the host's endpoint at {@code engine}: the events of later deliveries are verified the way
   * the provider's handler verifies them and then go into the engine's inbox.
   */
  void deliverInto(SyncEngine engine);

  /**
   * Delivers every queued event the vendor way and waits for the endpoint's answers.
   *
   * @return the attempts, in order
   */
  List<Delivery> deliver();

  /**
   * Like {@link #deliver()}, but the vendor sends the next batch twice.
   *
   * @return the attempts, the repeat last
   */
  List<Delivery> deliverTwice();

  /**
   * Like {@link #deliver()}, with the queued events sent in a shuffled order.
   *
   * @param seed the shuffle's seed
   * @return the attempts, in order
   */
  List<Delivery> deliverShuffled(long seed);

  /** @return the vendor's ids of the events queued and not yet delivered, in the order they happened */
  List<String> pendingEventIds();

  /** Makes the host's endpoint answer the next {@code count} deliveries with 503. */
  void refuseNextDeliveries(int count);

  /** @return every verified event the endpoint received, in arrival order, redeliveries included */
  List<ChangeEvent> received();

  /** @return how many verified events were new to the inbox */
  int accepted();

  /** @return how many verified events the inbox had already */
  int duplicates();

  /** @return how many deliveries the endpoint refused for their signature or body */
  int refused();

  /**
   * An event as the provider's handler makes it from the vendor's delivery, for scenarios that put
   * events in the inbox themselves.
   *
   * @param eventId the event's id, its dedupe key
   * @param type what happened
   * @param recordId the vendor's id of the record
   * @param field the field that changed, or {@code null} for a whole-record event
   * @return the event, stamped at the clock's instant
   */
  ChangeEvent event(String eventId, ChangeEventType type, String recordId, Field field);

  /** @return whether {@code event} says the integration's own write caused it (see {@link Capability#OWN_WRITE_MARKER}) */
  boolean isOwnWrite(ChangeEvent event);

  // ----------------------------------------------------------------------------- faults and costs

  /** Answers the provider's next {@code requests} requests with {@code failure}. */
  void failNext(int requests, Failure failure);

  /** Drops every fault not yet used. */
  void clearFaults();

  /** Sets every call counter to zero. */
  void resetCalls();

  /** @return how many requests of {@code kind} the provider made since the last {@link #resetCalls()} */
  long calls(Call kind);

  /** Stops the emulator and the endpoint. */
  @Override
  void close();
}
