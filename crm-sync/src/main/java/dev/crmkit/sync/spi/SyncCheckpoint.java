package dev.crmkit.sync.spi;

import dev.crmkit.error.ValidationException;
import dev.crmkit.sync.spi.SyncChecks;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.crmkit.sync.SyncFlow;
import dev.crmkit.sync.RunCounts;
import dev.crmkit.sync.RecordError;

/**
 * What one page of a sync run changed, for {@link SyncStore#checkpoint}, which stores all of it in
 * one transaction or none of it: id mapping changes in the order they were added, then the new
 * cursors, then the webhook events the page applied. A run that is killed before the checkpoint
 * commits resumes from the previous cursor with the previous mappings, so no record is lost or
 * linked twice. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * store.checkpoint(key, SyncCheckpoint.builder()
 *     .link(customer.id(), contactId, snapshot)
 *     .cursor(SyncFlow.PULL, page.nextCursor())
 *     .build());
 * }</pre>
 */
public final class SyncCheckpoint {

  /** One change to the id mappings; applied in the order added. */
  public sealed interface Operation permits Link, Unlink, RemapLocal, RemapExternal {}

  /**
   * Links {@code localId} and {@code externalId}, or, when they are linked already, replaces the
   * snapshot (keeps it when {@code snapshot} is null). Fails the checkpoint with a
   * {@link dev.crmkit.error.ConflictException} naming {@code localId} or {@code externalId} when
   * either is linked to another record.
   *
   * @param localId the local id
   * @param externalId the remote id
   * @param snapshot the record as just synced; {@code null} to keep the stored one (none for a new link)
   */
  public record Link(String localId, String externalId, SyncSnapshot snapshot) implements Operation {}

  /** Removes the mapping of {@code localId} and its snapshot; nothing when it has none. */
  public record Unlink(String localId) implements Operation {}

  /**
   * Moves the mapping of local record {@code fromLocalId}, with its snapshot, to {@code toLocalId}:
   * for a local merge whose survivor had no mapping of its own. Fails the checkpoint with a
   * {@link dev.crmkit.error.NotFoundException} when {@code fromLocalId} has no mapping, and with a
   * {@link dev.crmkit.error.ConflictException} naming {@code localId} when {@code toLocalId} has one.
   */
  public record RemapLocal(String fromLocalId, String toLocalId) implements Operation {}

  /**
   * Moves the mapping of remote record {@code fromExternalId}, with its snapshot, to
   * {@code toExternalId}: for a remote merge. Fails like {@link RemapLocal}, naming {@code externalId}.
   */
  public record RemapExternal(String fromExternalId, String toExternalId) implements Operation {}

  private final List<Operation> operations;
  private final Map<SyncFlow, String> cursors;
  private final List<String> doneEventIds;
  private final String fenceOwner;
  private final long fenceGeneration;
  private final String runId;
  private final RunCounts runCounts;
  private final List<RecordError> recordErrors;

  private SyncCheckpoint(Builder b) {
    this.runId = b.runId;
    this.runCounts = b.runCounts;
    this.recordErrors = List.copyOf(b.recordErrors);
    this.fenceOwner = b.fenceOwner;
    this.fenceGeneration = b.fenceGeneration;
    this.operations = List.copyOf(b.operations);
    this.cursors = Collections.unmodifiableMap(new EnumMap<>(b.cursors));
    this.doneEventIds = List.copyOf(b.doneEventIds);
  }

  /** A builder for an empty checkpoint. */
  public static Builder builder() {
    return new Builder();
  }

  /** The mapping changes in the order they were added; unmodifiable. */
  public List<Operation> operations() {
    return operations;
  }

  /** The cursors to store, by flow ({@link SyncFlow#PUSH} or {@link SyncFlow#PULL}); a flow left out keeps its cursor. Unmodifiable. */
  public Map<SyncFlow, String> cursors() {
    return cursors;
  }

  /** Ids of the inbox events to mark {@link InboxStatus#DONE}, in the order added; unmodifiable. */
  public List<String> doneEventIds() {
    return doneEventIds;
  }

  /**
   * The lease the checkpoint is fenced by, as {@link Builder#fence} set it.
   *
   * @return the owner, or empty when the checkpoint is not fenced
   */
  public Optional<String> fenceOwner() {
    return Optional.ofNullable(fenceOwner);
  }

  /** The lease generation the checkpoint is fenced by; 0 when it is not fenced. */
  public long fenceGeneration() {
    return fenceGeneration;
  }

  /**
   * The running run whose log the checkpoint updates, as {@link Builder#runProgress} set it.
   *
   * @return the run's id, or empty when the checkpoint leaves the run log alone
   */
  public Optional<String> runId() {
    return Optional.ofNullable(runId);
  }

  /** The run's counts so far, to store with the checkpoint; {@code null} when {@link #runId()} is empty. */
  public RunCounts runCounts() {
    return runCounts;
  }

  /** The per-record errors of the page, to add to the run's log; unmodifiable, empty when none. */
  public List<RecordError> recordErrors() {
    return recordErrors;
  }

  /** True when it changes nothing. */
  public boolean isEmpty() {
    return operations.isEmpty() && cursors.isEmpty() && doneEventIds.isEmpty() && runId == null;
  }

  /** Counts only; never ids or values. */
  @Override
  public String toString() {
    return "SyncCheckpoint{operations=" + operations.size() + ", cursors=" + cursors.keySet()
        + ", doneEvents=" + doneEventIds.size() + "}";
  }

  /**
   * Collects a checkpoint; each method checks its arguments at once and throws a
   * {@link ValidationException} naming the bad one. Not thread-safe.
   */
  public static final class Builder {
    private final List<Operation> operations = new ArrayList<>();
    private final Map<SyncFlow, String> cursors = new EnumMap<>(SyncFlow.class);
    private final Set<String> doneEventIds = new LinkedHashSet<>();
    private String fenceOwner;
    private long fenceGeneration;
    private String runId;
    private RunCounts runCounts;
    private final List<RecordError> recordErrors = new ArrayList<>();

    private Builder() {}

    /**
     * Stores a running run's progress with the checkpoint: its counts so far (they replace the
     * stored ones) and the page's per-record errors (added after the earlier ones). A run killed
     * after this checkpoint leaves a log that is right up to it. The checkpoint fails like
     * {@link SyncStore#addRecordErrors} when the run is unknown ({@link dev.crmkit.error.NotFoundException})
     * or finished ({@link dev.crmkit.error.ConflictException}). A later call replaces the counts and
     * adds its errors.
     *
     * @param runId the running run; 1 to 255 characters
     * @param counts the run's counts so far; not null
     * @param errors the page's errors; may be empty, no null element
     * @return this builder
     * @throws ValidationException naming {@code runId}, {@code counts} or {@code errors}
     */
    public Builder runProgress(String runId, RunCounts counts, List<RecordError> errors) {
      SyncChecks.id(runId, "runId");
      SyncChecks.required(counts, "counts");
      List<RecordError> copy = SyncChecks.elements(errors, "errors");
      this.runId = runId;
      this.runCounts = counts;
      recordErrors.addAll(copy);
      return this;
    }

    /**
     * Fences the checkpoint by a lease: the store checks, in the checkpoint's transaction, that
     * {@code owner} holds the integration's lease at {@code generation} (see
     * {@link SyncLease#generation()}), and otherwise stores nothing and throws a
     * {@link dev.crmkit.error.ConflictException} naming {@code lease}. A run that lost its lease to
     * another owner (a long pause, a clock jump) thus cannot overwrite the new owner's work. An
     * expired lease nobody took since still passes: no one else can have written.
     *
     * @param owner the lease's owner; 1 to 255 characters
     * @param generation the generation the owner acquired; 1 or more
     * @return this builder
     * @throws ValidationException naming {@code owner} or {@code generation}
     */
    public Builder fence(String owner, long generation) {
      SyncChecks.id(owner, "owner");
      if (generation < 1) {
        throw ValidationException.of("generation", Long.toString(generation), "must be 1 or more");
      }
      fenceOwner = owner;
      fenceGeneration = generation;
      return this;
    }

    /**
     * Adds a {@link Link}.
     *
     * @param localId 1 to 255 characters
     * @param externalId 1 to 255 characters
     * @param snapshot the record as just synced, or {@code null} to keep the stored snapshot
     * @return this builder
     * @throws ValidationException naming {@code localId} or {@code externalId}
     */
    public Builder link(String localId, String externalId, SyncSnapshot snapshot) {
      operations.add(new Link(SyncChecks.id(localId, "localId"), SyncChecks.id(externalId, "externalId"), snapshot));
      return this;
    }

    /**
     * Adds an {@link Unlink}.
     *
     * @param localId 1 to 255 characters
     * @return this builder
     * @throws ValidationException naming {@code localId}
     */
    public Builder unlink(String localId) {
      operations.add(new Unlink(SyncChecks.id(localId, "localId")));
      return this;
    }

    /**
     * Adds a {@link RemapLocal}.
     *
     * @param fromLocalId the merged-away local id; 1 to 255 characters
     * @param toLocalId the surviving local id; 1 to 255 characters, not {@code fromLocalId}
     * @return this builder
     * @throws ValidationException naming {@code fromLocalId} or {@code toLocalId}
     */
    public Builder remapLocal(String fromLocalId, String toLocalId) {
      distinct(fromLocalId, "fromLocalId", toLocalId, "toLocalId");
      operations.add(new RemapLocal(fromLocalId, toLocalId));
      return this;
    }

    /**
     * Adds a {@link RemapExternal}.
     *
     * @param fromExternalId the merged-away remote id; 1 to 255 characters
     * @param toExternalId the surviving remote id; 1 to 255 characters, not {@code fromExternalId}
     * @return this builder
     * @throws ValidationException naming {@code fromExternalId} or {@code toExternalId}
     */
    public Builder remapExternal(String fromExternalId, String toExternalId) {
      distinct(fromExternalId, "fromExternalId", toExternalId, "toExternalId");
      operations.add(new RemapExternal(fromExternalId, toExternalId));
      return this;
    }

    /**
     * Sets the cursor of a one-way pass; a later call for the same flow replaces the value.
     *
     * @param flow {@link SyncFlow#PUSH} (the local change feed) or {@link SyncFlow#PULL} (the remote one)
     * @param cursor the position to resume from, as the change feed issued it; not blank
     * @return this builder
     * @throws ValidationException naming {@code flow} (null or {@link SyncFlow#BIDIRECTIONAL}) or {@code cursor}
     */
    public Builder cursor(SyncFlow flow, String cursor) {
      SyncChecks.cursorFlow(flow);
      cursors.put(flow, SyncChecks.id(cursor, "cursor", Integer.MAX_VALUE));
      return this;
    }

    /**
     * Marks an inbox event {@link InboxStatus#DONE} with the checkpoint. The event must be
     * {@link InboxStatus#PENDING} when the checkpoint runs, else the checkpoint fails with a
     * {@link dev.crmkit.error.ConflictException} ({@link dev.crmkit.error.NotFoundException} when
     * the inbox does not hold it). Adding one id twice marks it once.
     *
     * @param eventId the vendor's event id; 1 to 255 characters
     * @return this builder
     * @throws ValidationException naming {@code eventId}
     */
    public Builder eventDone(String eventId) {
      doneEventIds.add(SyncChecks.id(eventId, "eventId"));
      return this;
    }

    private static void distinct(String from, String fromField, String to, String toField) {
      SyncChecks.id(from, fromField);
      if (SyncChecks.id(to, toField).equals(from)) {
        throw ValidationException.of(toField, to, "must differ from " + fromField);
      }
    }

    /** The checkpoint; the builder may be reused and goes on collecting. */
    public SyncCheckpoint build() {
      return new SyncCheckpoint(this);
    }
  }
}
