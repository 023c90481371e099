package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A patch to a deal: each field is set, cleared or left alone. Immutable; built with
 * {@link #builder()}, whose setters given {@code null} clear the field (title, pipeline, stage and
 * status cannot be cleared). Limits are {@link DealDraft}'s.
 *
 * <p>Stage and status go together: setting a stage sets the status that stage has; setting only a
 * status moves the deal to its pipeline's first stage with that status ({@link Pipeline#firstStage});
 * setting only a pipeline moves it to that pipeline's first open stage. Setting a stage and a status
 * that disagree is refused.
 */
public final class DealUpdate {
  private final String title;
  private final Money amount;
  private final boolean amountSet;
  private final String pipelineId;
  private final String stageId;
  private final DealStatus status;
  private final LocalDate expectedCloseDate;
  private final boolean expectedCloseDateSet;
  private final String owner;
  private final boolean ownerSet;
  private final Map<String, String> customFields;

  private DealUpdate(Builder b) {
    title = b.title;
    amount = b.amount;
    amountSet = b.amountSet;
    pipelineId = b.pipelineId;
    stageId = b.stageId;
    status = b.status;
    expectedCloseDate = b.expectedCloseDate;
    expectedCloseDateSet = b.expectedCloseDateSet;
    owner = b.owner;
    ownerSet = b.ownerSet;
    customFields = Collections.unmodifiableMap(new TreeMap<>(b.customFields));
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The new title, or {@code null} when left alone. */
  public String title() { return title; }

  /** True when the update sets or clears the amount. */
  public boolean touchesAmount() { return amountSet; }

  /** The new amount; {@code null} when cleared or left alone (see {@link #touchesAmount}). */
  public Money amount() { return amount; }

  /** The new pipeline, or {@code null} when left alone. */
  public String pipelineId() { return pipelineId; }

  /** The new stage, or {@code null} when left alone. */
  public String stageId() { return stageId; }

  /** The new status, or {@code null} when left alone. */
  public DealStatus status() { return status; }

  /** True when the update sets or clears the expected close date. */
  public boolean touchesExpectedCloseDate() { return expectedCloseDateSet; }

  /** The new expected close date; {@code null} when cleared or left alone. */
  public LocalDate expectedCloseDate() { return expectedCloseDate; }

  /** True when the update sets or clears the owner. */
  public boolean touchesOwner() { return ownerSet; }

  /** The new owner; {@code null} when cleared or left alone. */
  public String owner() { return owner; }

  /** Custom fields to set; a {@code null} value removes the field. Unmodifiable, sorted by name. */
  public Map<String, String> customFields() { return customFields; }

  /** True when the update changes nothing. */
  public boolean isEmpty() {
    return title == null && !amountSet && pipelineId == null && stageId == null && status == null
        && !expectedCloseDateSet && !ownerSet && customFields.isEmpty();
  }

  /**
   * The deal this update makes of {@code before}, with the stage resolved against the tenant's
   * pipelines.
   *
   * <p>An update that sets none of pipeline, stage and status keeps them as they are, even when the
   * tenant's pipelines no longer hold them.
   *
   * @throws ValidationException naming {@code pipelineId} or {@code stageId} when the target is not a
   *     pipeline or stage of the tenant (or a new pipeline has no open stage to start in), or
   *     {@code status} when it disagrees with the stage set or the pipeline has no stage with it
   */
  public Deal applyTo(Deal before, List<Pipeline> pipelines, Instant now) {
    String pipeline = before.pipelineId();
    String stageOut = before.stageId();
    DealStatus statusOut = before.status();
    // An update that leaves pipeline, stage and status alone does not need them to exist any more.
    if (pipelineId != null || stageId != null || status != null) {
      Pipeline p = Pipeline.require(pipelines, pipelineId != null ? pipelineId : before.pipelineId());
      boolean samePipeline = p.id().equals(before.pipelineId());
      DealStage stage;
      if (stageId != null) {
        stage = p.requireStage(stageId);
        if (status != null && status != stage.status()) {
          throw ValidationException.of("status", status.name(),
              "disagrees with stage " + stage.id() + " (" + stage.status() + ")");
        }
      } else if (status != null) {
        DealStage current = samePipeline ? p.stage(before.stageId()).orElse(null) : null;
        stage = current != null && current.status() == status ? current : p.firstStage(status);
      } else if (!samePipeline) {
        stage = DealDraft.entryStage(p);
      } else {
        stage = p.stage(before.stageId()).orElse(new DealStage(before.stageId(), before.stageId(), before.status()));
      }
      pipeline = p.id();
      stageOut = stage.id();
      statusOut = stage.status();
    }
    Map<String, String> custom = new TreeMap<>(before.customFields());
    customFields.forEach((k, v) -> {
      if (v == null) {
        custom.remove(k);
      } else {
        custom.put(k, v);
      }
    });
    return new Deal(before.id(), before.customerId(), title != null ? title : before.title(),
        amountSet ? amount : before.amount(), pipeline, stageOut, statusOut,
        expectedCloseDateSet ? expectedCloseDate : before.expectedCloseDate(),
        ownerSet ? owner : before.owner(), custom, before.createdAt(), now);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DealUpdate u && Objects.equals(title, u.title) && Objects.equals(amount, u.amount)
        && amountSet == u.amountSet && Objects.equals(pipelineId, u.pipelineId) && Objects.equals(stageId, u.stageId)
        && status == u.status && Objects.equals(expectedCloseDate, u.expectedCloseDate)
        && expectedCloseDateSet == u.expectedCloseDateSet && Objects.equals(owner, u.owner) && ownerSet == u.ownerSet
        && customFields.equals(u.customFields);
  }

  @Override
  public int hashCode() {
    return Objects.hash(title, amount, pipelineId, stageId, status, expectedCloseDate, owner, customFields);
  }

  @Override
  public String toString() {
    return "DealUpdate[title=" + title + ", amount=" + (amountSet ? amount : "-") + ", pipelineId=" + pipelineId
        + ", stageId=" + stageId + ", status=" + status + ", expectedCloseDate="
        + (expectedCloseDateSet ? expectedCloseDate : "-") + ", owner=" + (ownerSet ? owner : "-")
        + ", customFields=" + customFields.keySet() + "]";
  }

  /** Builds a {@link DealUpdate}. Not thread-safe. */
  public static final class Builder {
    private String title;
    private Money amount;
    private boolean amountSet;
    private String pipelineId;
    private String stageId;
    private DealStatus status;
    private LocalDate expectedCloseDate;
    private boolean expectedCloseDateSet;
    private String owner;
    private boolean ownerSet;
    private final Map<String, String> customFields = new LinkedHashMap<>();

    private Builder() {}

    /** Sets the title; {@code null} leaves it alone. */
    public Builder title(String v) { title = v; return this; }
    /** Sets the amount, or clears it with {@code null}. */
    public Builder amount(Money v) { amount = v; amountSet = true; return this; }
    /** Moves the deal to another pipeline (its first open stage unless a stage is set too). */
    public Builder pipelineId(String v) { pipelineId = v; return this; }
    /** Moves the deal to a stage of its (or the newly set) pipeline. */
    public Builder stageId(String v) { stageId = v; return this; }
    /** Sets the status (see the class comment). */
    public Builder status(DealStatus v) { status = v; return this; }
    /** Sets the expected close date, or clears it with {@code null}. */
    public Builder expectedCloseDate(LocalDate v) { expectedCloseDate = v; expectedCloseDateSet = true; return this; }
    /** Sets the owner, or clears it with {@code null}. */
    public Builder owner(String v) { owner = v; ownerSet = true; return this; }
    /** Sets a custom field, or removes it with a {@code null} value; {@code key} must not be null. */
    public Builder customField(String key, String value) {
      customFields.put(Objects.requireNonNull(key, "key"), value);
      return this;
    }

    /** @throws ValidationException naming each field that breaks its limit */
    public DealUpdate build() {
      List<FieldError> errors = new ArrayList<>();
      if (title != null) {
        if (title.isBlank()) {
          errors.add(new FieldError("title", Validation.abbreviate(title), "a deal needs a title"));
        } else {
          title = Validation.text(title, "title", errors);
        }
      }
      DealDraft.checkAmount(amount, errors);
      pipelineId = DealDraft.id(pipelineId, "pipelineId", errors);
      stageId = DealDraft.id(stageId, "stageId", errors);
      DealDraft.checkDate(expectedCloseDate, errors);
      owner = Validation.text(owner, "owner", errors);
      Map<String, String> present = new LinkedHashMap<>();
      customFields.forEach((k, v) -> present.put(k, v == null ? "" : v));
      Validation.customFields(present, errors);
      Validation.throwIfAny(errors);
      return new DealUpdate(this);
    }
  }
}
