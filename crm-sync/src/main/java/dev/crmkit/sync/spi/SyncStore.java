package dev.crmkit.sync.spi;

import dev.crmkit.error.ConflictException;
import dev.crmkit.error.NotFoundException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.webhook.ChangeEvent;
import dev.crmkit.sync.spi.SyncChecks;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.crmkit.sync.SyncRun;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.SyncConflict;
import dev.crmkit.sync.RunStatus;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RecordError;
import dev.crmkit.sync.IntegrationKey;
import dev.crmkit.sync.FieldConflict;
import dev.crmkit.sync.SyncSide;

/**
 * The durable state of the sync engine, per tenant integration ({@link IntegrationKey}): id
 * mappings with the last synced snapshot of each record, a cursor per one-way {@link SyncFlow}, a
 * lease that lets one run at a time work on an integration, the run log with per-record errors, the
 * queue of conflicts parked for a person, and the webhook inbox.
 *
 * <p>Implementations: {@link dev.crmkit.sync.InMemorySyncStore} (heap, for tests and single-process hosts) and
 * {@code dev.crmkit.jdbc.JdbcSyncStore} (the host's database, safe across processes). Both pass
 * {@code dev.crmkit.testkit.SyncStoreContractTest}.
 *
 * <p>Common rules:
 * <ul>
 *   <li>Nothing is shared between integration keys: every read and write names one key, and state
 *       of one key is never visible through another.
 *   <li>Every argument is required unless its javadoc says otherwise. A {@code null} key throws
 *       {@link NullPointerException}; other missing or malformed arguments throw a
 *       {@link ValidationException} naming the parameter, and nothing is written. Ids (record ids,
 *       event ids, owners) are 1 to 255 characters, not blank; list limits are 1 to 1000.
 *   <li>Times are taken from the store's {@link java.time.Clock} and kept to the millisecond.
 *   <li>Each method is atomic: it writes all of its effect or nothing. Failures of the storage
 *       itself surface as {@link dev.crmkit.error.CrmException} subtypes
 *       ({@link dev.crmkit.error.ApiConnectionException}, {@link dev.crmkit.error.ServerException}).
 *   <li>Implementations are thread-safe.
 * </ul>
 */
public interface SyncStore {

  // ------------------------------------------------------------------------------ id mappings

  /**
   * The mapping of a local record.
   *
   * @param key the integration
   * @param localId the local id
   * @return the mapping with its snapshot, or empty when the record is not linked
   * @throws ValidationException naming {@code localId}
   */
  Optional<IdMapping> mappingByLocalId(IntegrationKey key, String localId);

  /**
   * The mapping of a remote record.
   *
   * @param key the integration
   * @param externalId the remote id
   * @return the mapping with its snapshot, or empty when the record is not linked
   * @throws ValidationException naming {@code externalId}
   */
  Optional<IdMapping> mappingByExternalId(IntegrationKey key, String externalId);

  /**
   * The mappings of a page of local records, in one read.
   *
   * @param key the integration
   * @param localIds the local ids; 0 to 1000, none null; duplicates are read once
   * @return the mappings with their snapshots, by local id, for the ids that are linked; ids that
   *     are not linked are absent
   * @throws ValidationException naming {@code localIds} (null, a null element or over 1000) or an
   *     element that is not a valid id
   */
  default Map<String, IdMapping> mappingsByLocalIds(IntegrationKey key, Collection<String> localIds) {
    Map<String, IdMapping> out = new LinkedHashMap<>();
    for (String id : SyncChecks.ids(localIds, "localIds")) {
      mappingByLocalId(key, id).ifPresent(m -> out.put(id, m));
    }
    return out;
  }

  /**
   * The mappings of a page of remote records, in one read.
   *
   * @param key the integration
   * @param externalIds the remote ids; 0 to 1000, none null; duplicates are read once
   * @return the mappings with their snapshots, by remote id, for the ids that are linked; ids that
   *     are not linked are absent
   * @throws ValidationException naming {@code externalIds} (null, a null element or over 1000) or an
   *     element that is not a valid id
   */
  default Map<String, IdMapping> mappingsByExternalIds(IntegrationKey key, Collection<String> externalIds) {
    Map<String, IdMapping> out = new LinkedHashMap<>();
    for (String id : SyncChecks.ids(externalIds, "externalIds")) {
      mappingByExternalId(key, id).ifPresent(m -> out.put(id, m));
    }
    return out;
  }

  /**
   * The cursor a one-way pass resumes from.
   *
   * @param key the integration
   * @param flow {@link SyncFlow#PUSH} (the local change feed) or {@link SyncFlow#PULL} (the remote one)
   * @return the cursor last stored by {@link #checkpoint}, or empty before the first
   * @throws ValidationException naming {@code flow} when null or {@link SyncFlow#BIDIRECTIONAL}
   */
  Optional<String> cursor(IntegrationKey key, SyncFlow flow);

  /**
   * Stores a page's work in one transaction: the mapping operations in order (see
   * {@link SyncCheckpoint.Operation}'s records for each one's rules), then the cursors, then the
   * done events, then the run's progress ({@link SyncCheckpoint.Builder#runProgress}). When any part fails, nothing of the checkpoint is stored: mappings, snapshots,
   * cursors and inbox states stay as they were. One mapping per local id and one per remote id, at
   * any time.
   *
   * @param key the integration
   * @param checkpoint the page's changes; an empty one changes nothing
   * @throws ConflictException when a link or remap clashes with another mapping (naming
   *     {@code localId} or {@code externalId} and the record already linked), a done event is not
   *     pending, or the checkpoint is {@link SyncCheckpoint.Builder#fence fenced} by a lease its owner
   *     no longer holds at that generation (naming {@code lease})
   * @throws NotFoundException when a remap's source has no mapping ({@code "mapping"}), a done
   *     event is not in the inbox ({@code "event"}) or the progress's run is unknown ({@code "run"});
   *     a finished run is a {@link ConflictException}
   * @throws ValidationException naming {@code checkpoint} when null
   */
  void checkpoint(IntegrationKey key, SyncCheckpoint checkpoint);

  // ----------------------------------------------------------------------------------- leases

  /**
   * Takes the integration's lease for {@code ttl}, so that one run at a time works on it. Succeeds
   * when nobody holds the lease, when it has expired ({@code expiresAt <= now}), or when
   * {@code owner} holds it already (then it is extended like {@link #renewLease}). Safe across
   * threads and, for stores on a shared database, across processes: of concurrent callers at most
   * one gets the lease. Processes sharing a store must have clocks that agree well within the ttl.
   * Taking the lease from nobody or from another owner raises its {@link SyncLease#generation()},
   * which the new holder's fenced checkpoints carry.
   *
   * @param key the integration
   * @param owner who asks, unique per running process and run (a host name plus a UUID, say)
   * @param ttl how long the lease lasts unless renewed; at least 1 ms
   * @return the lease, or empty when another owner holds it unexpired
   * @throws ValidationException naming {@code owner} or {@code ttl}
   */
  Optional<SyncLease> acquireLease(IntegrationKey key, String owner, Duration ttl);

  /**
   * Extends the owner's unexpired lease to {@code now + ttl}.
   *
   * @param key the integration
   * @param owner the holder
   * @param ttl the new time to live from now; at least 1 ms
   * @return the extended lease
   * @throws ConflictException when {@code owner} does not hold the lease, or it has expired (the
   *     run must stop: another owner may have taken over)
   * @throws ValidationException naming {@code owner} or {@code ttl}
   */
  SyncLease renewLease(IntegrationKey key, String owner, Duration ttl);

  /**
   * Gives the lease up, so another owner can take it before it expires. The generation is kept, so
   * the next acquisition raises it.
   *
   * @param key the integration
   * @param owner the holder
   * @return true when {@code owner} held the lease (expired or not) and it is now free; false, and
   *     nothing changes, when someone else or nobody holds it
   * @throws ValidationException naming {@code owner}
   */
  boolean releaseLease(IntegrationKey key, String owner);

  // ---------------------------------------------------------------------------------- run log

  /**
   * Logs the start of a run, {@link RunStatus#RUNNING} with zero counts.
   *
   * @param key the integration
   * @param kind what the run does, such as {@code "pull/delta"}; 1 to 64 characters
   * @return the run, with a new id
   * @throws ValidationException naming {@code kind}
   */
  SyncRun startRun(IntegrationKey key, String kind);

  /**
   * Adds per-record errors to a running run's log.
   *
   * @param key the integration
   * @param runId the run
   * @param errors the errors, kept in this order after earlier ones; may be empty
   * @throws NotFoundException ({@code "run"}) when the integration has no such run
   * @throws ConflictException when the run has finished
   * @throws ValidationException naming {@code runId} or {@code errors} (a null element)
   */
  void addRecordErrors(IntegrationKey key, String runId, List<RecordError> errors);

  /**
   * Logs the end of a run; its duration runs from start to now.
   *
   * @param key the integration
   * @param runId the run
   * @param status how it ended; not {@link RunStatus#RUNNING}
   * @param counts what it did
   * @return the finished run
   * @throws NotFoundException ({@code "run"}) when the integration has no such run
   * @throws ConflictException when the run has finished already
   * @throws ValidationException naming {@code runId}, {@code status} or {@code counts}
   */
  SyncRun finishRun(IntegrationKey key, String runId, RunStatus status, RunCounts counts);

  /**
   * One run.
   *
   * @param key the integration
   * @param runId the run
   * @return the run, or empty when the integration has no such run
   * @throws ValidationException naming {@code runId}
   */
  Optional<SyncRun> run(IntegrationKey key, String runId);

  /**
   * The latest runs, newest start first (runs started in the same millisecond: last started first).
   *
   * @param key the integration
   * @param limit how many at most; 1 to 1000
   * @return the runs; empty when there are none
   * @throws ValidationException naming {@code limit}
   */
  List<SyncRun> recentRuns(IntegrationKey key, int limit);

  /**
   * A run's per-record errors in the order they were added.
   *
   * @param key the integration
   * @param runId the run
   * @return the errors; empty for a run without errors
   * @throws NotFoundException ({@code "run"}) when the integration has no such run
   * @throws ValidationException naming {@code runId}
   */
  List<RecordError> recordErrors(IntegrationKey key, String runId);

  // --------------------------------------------------------------------------- conflict queue

  /**
   * Parks a conflict for a person, {@link dev.crmkit.sync.ConflictStatus#OPEN}, detected now. A record has at most
   * one open conflict: when {@code localId} has one already, that one is returned with its id and
   * detection time, its fields, remote id and strategy replaced by these (of concurrent calls for one
   * record, all end on the same conflict).
   *
   * @param key the integration
   * @param localId the record's local id
   * @param externalId the record's remote id
   * @param fields the clashing fields, each named once; may be empty
   * @param strategy the name of the strategy that parked it, such as {@code "manual"}; 1 to 64
   *     characters
   * @return the conflict, with a new id, or the record's open conflict updated
   * @throws ValidationException naming {@code localId}, {@code externalId}, {@code fields} (null, a
   *     null element or a field named twice) or {@code strategy}
   */
  SyncConflict addConflict(IntegrationKey key, String localId, String externalId, List<FieldConflict> fields,
      String strategy);

  /**
   * The open conflicts, oldest first (by detection time, then by the order they were added).
   *
   * @param key the integration
   * @param limit how many at most; 1 to 1000
   * @return the open conflicts; empty when there are none
   * @throws ValidationException naming {@code limit}
   */
  List<SyncConflict> openConflicts(IntegrationKey key, int limit);

  /**
   * One conflict, open or resolved.
   *
   * @param key the integration
   * @param conflictId the conflict
   * @return the conflict, or empty when the integration has no such conflict
   * @throws ValidationException naming {@code conflictId}
   */
  Optional<SyncConflict> conflict(IntegrationKey key, String conflictId);

  /**
   * Records a person's decision on an open conflict; applying it to the records is the sync
   * engine's job. Of concurrent resolutions of one conflict exactly one succeeds.
   *
   * @param key the integration
   * @param conflictId the conflict
   * @param choice the side whose values win, or {@link SyncSide#MERGED} for {@code mergedValues}
   * @param mergedValues for {@link SyncSide#MERGED}: a value (or {@code null}, clearing the field) for
   *     some or all of the conflict's fields and no other; for the other choices {@code null} or empty
   * @param resolvedBy who decided; 1 to 255 characters
   * @return the resolved conflict
   * @throws NotFoundException ({@code "conflict"}) when the integration has no such conflict
   * @throws ConflictException when the conflict is resolved already
   * @throws ValidationException naming {@code conflictId}, {@code choice}, {@code mergedValues} (missing
   *     for MERGED, given for another choice, or naming a field the conflict does not have) or
   *     {@code resolvedBy}
   */
  SyncConflict resolveConflict(IntegrationKey key, String conflictId, SyncSide choice, Map<String, String> mergedValues,
      String resolvedBy);

  // ---------------------------------------------------------------------------- webhook inbox

  /**
   * Puts a webhook event in the inbox as {@link InboxStatus#PENDING}, unless it holds one with the
   * same {@link ChangeEvent#eventId()} already (whatever its status): vendors deliver at least once.
   * Of concurrent puts of one event id exactly one returns true.
   *
   * @param key the integration
   * @param event the verified event
   * @return true when the event is new and was stored; false for a duplicate, which changes nothing
   * @throws ValidationException naming {@code event} when null, or a component too long to store:
   *     {@code vendor} (over 64 characters), {@code eventId}, {@code rawType}, {@code objectType},
   *     {@code objectId} or {@code propertyName} (over 255)
   */
  boolean putEvent(IntegrationKey key, ChangeEvent event);

  /**
   * The pending events to apply next, in occurrence order: by {@link ChangeEvent#occurredAt()} (an
   * event without one by its receive time), then by arrival. Events of one record therefore come
   * in the order they happened, as far as they arrived before this call. Nothing is claimed: the
   * caller holds the integration's lease and marks each event done or failed.
   *
   * @param key the integration
   * @param limit how many at most; 1 to 1000
   * @return the pending events; empty when there are none
   * @throws ValidationException naming {@code limit}
   */
  List<InboxEntry> pendingEvents(IntegrationKey key, int limit);

  /**
   * Marks a pending event applied. To do it in one transaction with the mapping changes it caused,
   * use {@link SyncCheckpoint.Builder#eventDone} instead.
   *
   * @param key the integration
   * @param eventId the event
   * @throws NotFoundException ({@code "event"}) when the inbox does not hold it
   * @throws ConflictException when it is not {@link InboxStatus#PENDING}
   * @throws ValidationException naming {@code eventId}
   */
  void markEventDone(IntegrationKey key, String eventId);

  /**
   * Marks a pending event failed: counts the attempt and keeps the error until a replay.
   *
   * @param key the integration
   * @param eventId the event
   * @param error what went wrong, for a person; not blank
   * @return the failed entry
   * @throws NotFoundException ({@code "event"}) when the inbox does not hold it
   * @throws ConflictException when it is not {@link InboxStatus#PENDING}
   * @throws ValidationException naming {@code eventId} or {@code error}
   */
  InboxEntry markEventFailed(IntegrationKey key, String eventId, String error);

  /**
   * The failed events, in the order {@link #pendingEvents} would give them.
   *
   * @param key the integration
   * @param limit how many at most; 1 to 1000
   * @return the failed events; empty when there are none
   * @throws ValidationException naming {@code limit}
   */
  List<InboxEntry> failedEvents(IntegrationKey key, int limit);

  /**
   * Puts a failed event back to {@link InboxStatus#PENDING}, keeping its attempts and last error; it
   * then comes in its original place in {@link #pendingEvents}.
   *
   * @param key the integration
   * @param eventId the event
   * @return true when it was failed and is pending now; false, and nothing changes, when it is
   *     pending or done
   * @throws NotFoundException ({@code "event"}) when the inbox does not hold it
   * @throws ValidationException naming {@code eventId}
   */
  boolean replayEvent(IntegrationKey key, String eventId);

  /**
   * Puts every failed event of the integration back to {@link InboxStatus#PENDING}.
   *
   * @param key the integration
   * @return how many were replayed
   */
  int replayFailedEvents(IntegrationKey key);

  /**
   * Erases everything kept for the integration: its id mappings and snapshots, cursors, lease, runs
   * with their record errors, conflicts and inbox events. For an integration deleted for good; a run
   * still going when it is erased fails at its next checkpoint (its lease is gone). Erasing an
   * integration with no state does nothing.
   *
   * @param key the integration
   * @throws NullPointerException when {@code key} is null
   */
  void erase(IntegrationKey key);
}
