package dev.crmkit.sync;

import dev.crmkit.IdempotentCreates;
import dev.crmkit.Capability;
import dev.crmkit.CustomerSystem;
import dev.crmkit.error.ConflictException;
import dev.crmkit.error.CrmException;
import dev.crmkit.error.UnsupportedCapabilityException;
import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.ConflictStrategy;
import dev.crmkit.webhook.ChangeEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.crmkit.sync.spi.SyncStore;
import dev.crmkit.sync.spi.SyncLease;

/**
 * Keeps a local {@link CustomerSystem} (usually the native store) and a remote one (a vendor CRM) in
 * sync for one tenant integration. Built with {@link #builder()}; all state lives in the
 * {@link SyncStore}, so any number of engines (in any number of processes) may be built on one
 * integration: the store's lease lets one of them work at a time.
 *
 * <h2>What a run does</h2>
 *
 * <p>{@link #run(SyncMode)} reads the remote change feed ({@link SyncFlow#pulls() pull}), then the
 * local one ({@link SyncFlow#pushes() push}), page by page ({@link Builder#pageSize}), never whole in
 * memory. For each changed record:
 * <ul>
 *   <li><b>Linking.</b> A record is found on the other side by its id mapping first. A record without
 *       one and with an email is created on the other side at the end of the page, without a lookup:
 *       a back end keyed by email links it to the record holding that email (HubSpot's upsert by
 *       email, which then takes the record's values), and one that rejects the duplicate
 *       ({@link ConflictException}) gets the pair matched by email, then phone, and reconciled. A record
 *       with no email is matched by phone first. So a first full sync links existing records instead of
 *       duplicating them.
 *   <li><b>Batched writes.</b> Writes to the remote system (creates and updates) and creates in the
 *       local system are queued per page and sent through {@link CustomerSystem#bulkWrite} in the
 *       receiving system's batch size ({@link Builder#remoteBatchSize}, default 100, HubSpot's limit;
 *       {@link Builder#localBatchSize}). Updates of linked local records are written one by one with
 *       {@link CustomerSystem#update}; the native store does each in one short transaction. A linked record pushed to the
 *       remote is reconciled against its snapshot, without reading the remote record: in a
 *       bidirectional run the pull pass, which runs first, has already brought remote changes in.
 *       A full push of N new records costs about N/100 remote calls.
 *   <li><b>Echo suppression.</b> After a pair is synced, its values (see {@link FieldMapping}) are kept
 *       as the pair's {@link dev.crmkit.sync.spi.SyncSnapshot}. A change whose synced values equal the snapshot (the echo of
 *       the engine's own write, or a change to a field that is not synced) is skipped.
 *   <li><b>Conflicts.</b> When both sides changed since the snapshot, the {@link ConflictStrategy}
 *       decides, with the snapshot as three-way merge base; a manual outcome parks the pair in the
 *       {@link #conflicts() conflict queue} and leaves both records alone until a person decides.
 *   <li><b>Deletions</b> (soft delete locally, archive remotely) propagate to the other side unless
 *       {@link Builder#propagateDeletions} is off. A deletion wins over a concurrent edit on the other
 *       side. A record restored on one side is restored on the other where that side can
 *       ({@link Capability#RESTORE}).
 *   <li><b>Merges.</b> A merge on one side becomes a merge on the other where it has
 *       {@link Capability#MERGE} (else the merged-away record is deleted there); when only the merged-away
 *       record was linked, its link moves to the survivor.
 * </ul>
 *
 * <p>After each page, the page's links, snapshots and cursor are stored in one
 * {@link SyncStore#checkpoint}, after renewing the lease (a run that lost its lease stops before it
 * checkpoints). A run killed at any point resumes from the last checkpoint: the records of the
 * unfinished page are read again, and the pairs it already wrote are found as echoes or linked by
 * email or phone, so nothing is lost or created twice. A local record without email that is pushed
 * to a remote system implementing {@link IdempotentCreates} is created under a client-generated
 * idempotency key, stored first as a pending mapping in a checkpoint of its own: a resumed run finds
 * the record that key made and links it (the pull pass does the same when it meets that record),
 * or sends the create again under the same key. Without {@link IdempotentCreates} such a record,
 * created remotely just before the kill, cannot be recognised and is created again. A local record
 * created by a pull has no such protection: the local store is expected to be the host's own.
 *
 * <p>Errors: a record the back end rejects ({@link ValidationException}, {@link ConflictException},
 * ...) becomes a {@link RecordError} and the run goes on. Errors that would fail every record
 * ({@link dev.crmkit.error.ApiConnectionException}, {@link dev.crmkit.error.ServerException} after the
 * connector's retries, {@link dev.crmkit.error.RateLimitedException},
 * {@link dev.crmkit.error.AuthenticationException}) stop the run with {@link RunStatus#FAILED}: the
 * records done so far are checkpointed, the cursor stays before the first record not done, and the
 * next run takes over from there.
 *
 * <h2>Webhooks</h2>
 *
 * <p>{@link #accept} puts verified {@link ChangeEvent}s in the store's inbox (a duplicate delivery is
 * dropped there); {@link #drainInbox()} applies the pending ones, each by reading the remote record's
 * current state, so events delivered twice or out of order converge on the same result. An event is
 * done once the writes it caused are stored, failed (for a replay) when one was rejected.
 *
 * <p>Thread-safety: an engine is immutable and thread-safe; concurrent runs of one integration are
 * kept apart by the lease (the loser gets a {@link ConflictException}).
 */
public final class SyncEngine {
  private static final Logger LOG = LoggerFactory.getLogger(SyncEngine.class);

  /** Default records per page: {@value}. */
  public static final int DEFAULT_PAGE_SIZE = 100;
  /** Default remote batch size: {@value}, HubSpot's batch limit. */
  public static final int DEFAULT_REMOTE_BATCH_SIZE = 100;
  /** Default local batch size: {@value}. */
  public static final int DEFAULT_LOCAL_BATCH_SIZE = 500;
  /** Default lease time to live: 5 minutes, renewed at every checkpoint. */
  public static final Duration DEFAULT_LEASE_TTL = Duration.ofMinutes(5);

  private final CustomerSystem local;
  private final CustomerSystem remote;
  private final SyncStore store;
  private final IntegrationKey key;
  private final SyncFlow flow;
  private final FieldMapping mapping;
  private final ConflictStrategy strategy;
  private final SyncListener listener;
  private final Clock clock;
  private final int pageSize;
  private final int remoteBatchSize;
  private final int localBatchSize;
  private final String leaseOwner;
  private final Duration leaseTtl;
  private final boolean propagateDeletions;
  private final Set<String> webhookObjectTypes;

  private SyncEngine(Builder b) {
    this.local = b.local;
    this.remote = b.remote;
    this.store = b.store;
    this.key = b.key;
    this.flow = b.flow;
    this.mapping = b.mapping;
    this.strategy = b.strategy;
    this.listener = b.listener;
    this.clock = b.clock;
    this.pageSize = b.pageSize;
    this.remoteBatchSize = b.remoteBatchSize;
    this.localBatchSize = b.localBatchSize;
    this.leaseOwner = b.leaseOwner != null ? b.leaseOwner : "sync-" + UUID.randomUUID();
    this.leaseTtl = b.leaseTtl;
    this.propagateDeletions = b.propagateDeletions;
    this.webhookObjectTypes = Set.copyOf(b.webhookObjectTypes);
  }

  /** A builder; local, remote, store, key, mapping and strategy are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs one sync of the integration in this engine's {@link SyncFlow}.
   *
   * @param mode {@link SyncMode#FULL} reads every record, {@link SyncMode#DELTA} the changes since the
   *     last run
   * @return what the run did; its status is {@link RunStatus#FAILED} when a run-wide error or a lost
   *     lease stopped it (the records done before are kept)
   * @throws ConflictException when another run holds the integration's lease
   * @throws ValidationException naming {@code mode} when it is null
   * @throws UnsupportedCapabilityException when a system read has no {@link Capability#CHANGE_FEED}
   */
  public SyncResult run(SyncMode mode) {
    if (mode == null) {
      throw ValidationException.of("mode", null, "is required: FULL or DELTA");
    }
    if (flow.pulls()) {
      requireFeed(remote);
    }
    if (flow.pushes()) {
      requireFeed(local);
    }
    String kind = flow.name().toLowerCase(Locale.ROOT) + "/" + mode.name().toLowerCase(Locale.ROOT);
    return withLease(kind, runner -> {
      boolean resume = false;
      if (mode == SyncMode.FULL) {
        List<SyncRun> last = store.recentRuns(key, 2);
        for (SyncRun r : last) {
          if (r.status() == RunStatus.RUNNING && r.kind().equals(kind) && !r.id().equals(runner.runId)) {
            resume = true;
            store.finishRun(key, r.id(), RunStatus.FAILED, r.counts());
            break;
          }
        }
      }
      boolean fromStart = mode == SyncMode.FULL && !resume;
      if (flow.pulls()) {
        runner.runner.pass(SyncFlow.PULL, fromStart ? null : store.cursor(key, SyncFlow.PULL).orElse(null));
      }
      if (flow.pushes()) {
        runner.runner.pass(SyncFlow.PUSH, fromStart ? null : store.cursor(key, SyncFlow.PUSH).orElse(null));
      }
    });
  }

  /**
   * Syncs one customer now, as a run of kind {@code "customer"}: when the flow pulls and the customer
   * is linked, its remote record first, then, when the flow pushes, the local record; each as a change
   * feed would bring it, so linking, creating on the other side, conflicts, deletions and snapshots work
   * as in {@link #run}. The cursors do not move: the next delta run still reads these changes, and finds
   * them synced.
   *
   * @param localId the customer's id in the local system
   * @return what the run did; its status is {@link RunStatus#FAILED} when a run-wide error stopped it
   * @throws ConflictException when another run holds the integration's lease
   * @throws ValidationException naming {@code localId} when it is null or blank
   */
  public SyncResult syncCustomer(String localId) {
    if (localId == null || localId.isBlank()) {
      throw ValidationException.of("localId", localId, "is required: the customer's id in the local system");
    }
    return withLease("customer", runner -> runner.runner.customer(localId));
  }

  /**
   * Puts a verified webhook event in the inbox, for {@link #drainInbox()}.
   *
   * @param event the event, as a {@code WebhookHandler} parsed it
   * @return true when it is new; false for a duplicate delivery, which is dropped
   * @throws ValidationException naming {@code event} when null or not storable
   */
  public boolean accept(ChangeEvent event) {
    return store.putEvent(key, event);
  }

  /**
   * Applies the inbox's pending webhook events, oldest first, page by page, as one run of kind
   * {@code "webhook"}. Each event is applied by reading the remote record's current state (a merge
   * event also merges the linked local records). The writes an event causes go out in the page's
   * batches, so an event is marked done only once every one of them is stored. An event that fails
   * for its record alone (its read, or one of its batched writes, is rejected) is marked failed in the
   * inbox, with the attempt counted and the error kept, to be retried by {@link SyncStore#replayEvent};
   * a run-wide error stops the drain and leaves pending the events whose writes were not stored. Does
   * nothing to the records when the flow does not pull.
   *
   * @return what the drain did
   * @throws ConflictException when another run holds the integration's lease
   */
  public SyncResult drainInbox() {
    return withLease("webhook", runner -> runner.runner.drain());
  }

  /**
   * {@link #accept} for each event, then {@link #drainInbox()}.
   *
   * @param events the verified events; duplicates are dropped
   * @return what the drain did
   * @throws ConflictException when another run holds the integration's lease
   * @throws ValidationException naming {@code events} when null
   */
  public SyncResult apply(List<ChangeEvent> events) {
    if (events == null) {
      throw ValidationException.of("events", null, "is required");
    }
    events.forEach(this::accept);
    return drainInbox();
  }

  /** The conflict queue of this integration: list, inspect and resolve parked conflicts. */
  public ConflictQueue conflicts() {
    return new ConflictQueue(this);
  }

  /** The integration this engine syncs. */
  public IntegrationKey key() {
    return key;
  }

  // ------------------------------------------------------------------------- run scaffolding

  /** A started run: its id and its worker. */
  static final class Started {
    final String runId;
    final SyncRunner runner;

    Started(String runId, SyncRunner runner) {
      this.runId = runId;
      this.runner = runner;
    }
  }

  private SyncResult withLease(String kind, Consumer<Started> body) {
    SyncLease lease = store.acquireLease(key, leaseOwner, leaseTtl).orElseThrow(
        () -> new ConflictException(null, "lease", null, "another run is syncing integration " + key + " now"));
    SyncRun run;
    try {
      run = store.startRun(key, kind);
    } catch (RuntimeException e) {
      store.releaseLease(key, leaseOwner);
      throw e;
    }
    notify(l -> l.runStarted(key, run.id(), kind));
    SyncRunner runner = new SyncRunner(this, run.id(), lease);
    RunStatus status;
    String failure = null;
    try {
      body.accept(new Started(run.id(), runner));
      status = runner.counts().failed() > 0 ? RunStatus.PARTIALLY_FAILED : RunStatus.SUCCEEDED;
    } catch (SyncRunner.Abort | CrmException e) {
      status = RunStatus.FAILED;
      failure = e.getMessage();
      LOG.warn("sync run {} of {} stopped: {}", run.id(), key, e.getMessage());
    } catch (RuntimeException e) {
      finish(run, RunStatus.FAILED, runner, e.toString());
      throw e;
    }
    return finish(run, status, runner, failure);
  }

  private SyncResult finish(SyncRun run, RunStatus status, SyncRunner runner, String failure) {
    SyncRun done;
    try {
      done = store.finishRun(key, run.id(), status, runner.counts());
    } finally {
      // Even when the run log cannot be written: a held lease would block every run until it expires.
      store.releaseLease(key, leaseOwner);
    }
    SyncResult result = new SyncResult(done.id(), done.kind(), status, done.counts(), runner.errors(), failure,
        done.startedAt(), done.duration().orElse(Duration.ZERO));
    notify(l -> l.runFinished(key, result));
    return result;
  }

  /** Takes the lease for a conflict resolution; empty when a run holds it. */
  Optional<SyncLease> tryLease() {
    return store.acquireLease(key, leaseOwner, leaseTtl);
  }

  void releaseLease() {
    store.releaseLease(key, leaseOwner);
  }

  void notify(Consumer<SyncListener> call) {
    try {
      call.accept(listener);
    } catch (RuntimeException e) {
      LOG.warn("sync listener {} failed; ignored", listener, e);
    }
  }

  private static void requireFeed(CustomerSystem system) {
    if (!system.supports(Capability.CHANGE_FEED)) {
      throw new UnsupportedCapabilityException(system.providerName(), Capability.CHANGE_FEED);
    }
  }

  // ------------------------------------------------------------------ accessors for the runner

  SyncStore store() {
    return store;
  }

  FieldMapping mapping() {
    return mapping;
  }

  ConflictStrategy strategy() {
    return strategy;
  }

  String strategyName() {
    String name = strategy.toString();
    return name.length() > 64 ? name.substring(0, 64) : name;
  }

  CustomerSystem local() {
    return local;
  }

  CustomerSystem remote() {
    return remote;
  }

  /** The remote system's keyed creates, or {@code null} when it has none. */
  IdempotentCreates remoteKeys() {
    return remote instanceof IdempotentCreates keys ? keys : null;
  }

  CustomerSystem system(SyncSide side) {
    return side == SyncSide.LOCAL ? local : remote;
  }

  int pageSize() {
    return pageSize;
  }

  int batchSize(SyncSide side) {
    return side == SyncSide.LOCAL ? localBatchSize : remoteBatchSize;
  }

  boolean pushes() {
    return flow.pushes();
  }

  boolean pulls() {
    return flow.pulls();
  }

  boolean propagatesDeletions() {
    return propagateDeletions;
  }

  boolean acceptsObjectType(String objectType) {
    return objectType == null || webhookObjectTypes.contains(objectType.toLowerCase(Locale.ROOT));
  }

  String leaseOwner() {
    return leaseOwner;
  }

  Duration leaseTtl() {
    return leaseTtl;
  }

  Instant now() {
    return clock.instant();
  }

  /** The engine's settings, never credentials or record values. */
  @Override
  public String toString() {
    return "SyncEngine{" + key + ", " + flow + ", local=" + local.providerName() + ", remote=" + remote.providerName()
        + ", strategy=" + strategy + ", " + mapping + "}";
  }

  /**
   * Builds a {@link SyncEngine}. Setters check their argument at once: a {@code null} throws a
   * {@link NullPointerException} whose message is the argument's name, a bad value an
   * {@link IllegalArgumentException} naming the argument, the rule and the value; {@link #build()}
   * throws an {@link IllegalStateException} naming the part still missing. Not thread-safe.
   */
  public static final class Builder {
    private CustomerSystem local;
    private CustomerSystem remote;
    private SyncStore store;
    private IntegrationKey key;
    private SyncFlow flow = SyncFlow.BIDIRECTIONAL;
    private FieldMapping mapping;
    private ConflictStrategy strategy;
    private SyncListener listener = SyncListener.NONE;
    private Clock clock = Clock.systemUTC();
    private int pageSize = DEFAULT_PAGE_SIZE;
    private int remoteBatchSize = DEFAULT_REMOTE_BATCH_SIZE;
    private int localBatchSize = DEFAULT_LOCAL_BATCH_SIZE;
    private String leaseOwner;
    private Duration leaseTtl = DEFAULT_LEASE_TTL;
    private boolean propagateDeletions = true;
    private List<String> webhookObjectTypes = List.of("contact", "customer", "person");

    private Builder() {}

    /** The local system (usually the native store); required. */
    public Builder local(CustomerSystem v) {
      local = required(v, "local");
      return this;
    }

    /** The remote system (the vendor CRM); required. */
    public Builder remote(CustomerSystem v) {
      remote = required(v, "remote");
      return this;
    }

    /** Where the sync state lives; required. Use a store on a shared database when several processes sync. */
    public Builder store(SyncStore v) {
      store = required(v, "store");
      return this;
    }

    /** The tenant integration; required. */
    public Builder key(IntegrationKey v) {
      key = required(v, "key");
      return this;
    }

    /** Which way records flow; default {@link SyncFlow#BIDIRECTIONAL}. */
    public Builder flow(SyncFlow v) {
      flow = required(v, "flow");
      return this;
    }

    /** Which fields sync and how; required (see {@link FieldMapping#defaults()}). */
    public Builder mapping(FieldMapping v) {
      mapping = required(v, "mapping");
      return this;
    }

    /** What happens when both sides changed a record; required. */
    public Builder strategy(ConflictStrategy v) {
      strategy = required(v, "strategy");
      return this;
    }

    /** Hears runs, pages, conflicts and errors; default {@link SyncListener#NONE}. */
    public Builder listener(SyncListener v) {
      listener = required(v, "listener");
      return this;
    }

    /** Time for snapshots; default the system UTC clock. The store keeps its own clock for leases and runs. */
    public Builder clock(Clock v) {
      clock = required(v, "clock");
      return this;
    }

    /**
     * Records per change-feed page, the unit of a checkpoint; default {@value #DEFAULT_PAGE_SIZE}.
     *
     * @param v 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException naming {@code pageSize} when out of range
     */
    public Builder pageSize(int v) {
      pageSize = range(v, "pageSize", 1000);
      return this;
    }

    /**
     * Records per batch write to the remote system; default {@value #DEFAULT_REMOTE_BATCH_SIZE}.
     *
     * @param v 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException naming {@code remoteBatchSize} when out of range
     */
    public Builder remoteBatchSize(int v) {
      remoteBatchSize = range(v, "remoteBatchSize", 1000);
      return this;
    }

    /**
     * Records per batch of creates in the local system (updates of linked local records are written
     * one by one); default {@value #DEFAULT_LOCAL_BATCH_SIZE}.
     *
     * @param v 1 to 10,000
     * @return this builder
     * @throws IllegalArgumentException naming {@code localBatchSize} when out of range
     */
    public Builder localBatchSize(int v) {
      localBatchSize = range(v, "localBatchSize", 10_000);
      return this;
    }

    /**
     * Names this engine in the lease; default {@code sync-<random UUID>}. Unique per process.
     *
     * @param v 1 to 255 characters, not blank
     * @return this builder
     * @throws NullPointerException when {@code v} is null
     * @throws IllegalArgumentException naming {@code leaseOwner} when blank or longer than 255 characters
     */
    public Builder leaseOwner(String v) {
      Objects.requireNonNull(v, "leaseOwner");
      if (v.isBlank() || v.length() > 255) {
        throw new IllegalArgumentException("leaseOwner must be 1 to 255 characters, not blank: "
            + (v.isBlank() ? "\"" + v + "\"" : v.length() + " characters"));
      }
      leaseOwner = v;
      return this;
    }

    /**
     * How long the lease lasts between checkpoints; default 5 minutes. Longer than a page takes.
     *
     * @param v at least 1 second
     * @return this builder
     * @throws NullPointerException when {@code v} is null
     * @throws IllegalArgumentException naming {@code leaseTtl} when shorter than 1 second
     */
    public Builder leaseTtl(Duration v) {
      Objects.requireNonNull(v, "leaseTtl");
      if (v.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("leaseTtl must be at least 1 second: " + v);
      }
      leaseTtl = v;
      return this;
    }

    /** Whether a deletion on one side deletes the linked record on the other; default true. */
    public Builder propagateDeletions(boolean v) {
      propagateDeletions = v;
      return this;
    }

    /**
     * The webhook object types that name customers, compared case-insensitively; events of other
     * types are skipped. Default {@code contact}, {@code customer}, {@code person}; an event without a
     * type is always taken.
     *
     * @param v the types; not empty, no null or blank element
     * @return this builder
     * @throws NullPointerException when {@code v} is null
     * @throws IllegalArgumentException naming {@code webhookObjectTypes} when empty or holding a null or
     *     blank type
     */
    public Builder webhookObjectTypes(Set<String> v) {
      Objects.requireNonNull(v, "webhookObjectTypes");
      if (v.isEmpty() || v.stream().anyMatch(t -> t == null || t.isBlank())) {
        throw new IllegalArgumentException("webhookObjectTypes must name at least one type, none blank: " + v);
      }
      List<String> out = new ArrayList<>();
      v.forEach(t -> out.add(t.toLowerCase(Locale.ROOT)));
      webhookObjectTypes = out;
      return this;
    }

    /**
     * The engine.
     *
     * @return the engine
     * @throws IllegalStateException naming the first missing part ({@code local}, {@code remote},
     *     {@code store}, {@code key}, {@code mapping}, {@code strategy})
     * @throws IllegalArgumentException naming {@code remote} when it is the same instance as {@code local}
     */
    public SyncEngine build() {
      missing(local, "local");
      missing(remote, "remote");
      missing(store, "store");
      missing(key, "key");
      missing(mapping, "mapping");
      missing(strategy, "strategy");
      if (local == remote) {
        throw new IllegalArgumentException("remote must be another system than local: " + remote.providerName());
      }
      return new SyncEngine(this);
    }

    private static <T> T required(T v, String field) {
      return Objects.requireNonNull(v, field);
    }

    private static void missing(Object v, String field) {
      if (v == null) {
        throw new IllegalStateException(field + " is required to build a SyncEngine: call " + field + "(...)");
      }
    }

    private static int range(int v, String field, int max) {
      if (v < 1 || v > max) {
        throw new IllegalArgumentException(field + " must be 1 to " + max + ": " + v);
      }
      return v;
    }
  }
}
