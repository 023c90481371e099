package dev.crmkit;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The input to create a deal. Built with {@link #builder(String)}; text holds no {@code U+0000} and
 * no unpaired surrogate, lengths count UTF-16 units.
 *
 * <p>With an {@code idempotencyKey} (such as {@code "evt:A-17:deal"} for a host event), creating a
 * deal with the same key twice for a tenant creates one deal: the second call returns the first deal
 * unchanged. Every system with {@link Capability#DEALS} honours it.
 *
 * @param title 1 to 255 characters after trimming
 * @param amount zero or more, less than 10<sup>15</sup>, at most 4 digits after the point, or
 *     {@code null} when not known
 * @param pipelineId a pipeline of {@link CustomerSystem#pipelines()}, or {@code null} for the first one
 * @param stageId a stage of that pipeline, or {@code null} for its first open stage
 * @param expectedCloseDate in years 1 to 9999, or {@code null}
 * @param owner at most 255 characters after trimming, or {@code null}
 * @param customFields names a letter then at most 63 of letters, digits, {@code _ . -}; values at
 *     most 65,536 characters; never null after construction
 * @param idempotencyKey 1 to 200 characters, not blank, or {@code null}
 */
public record DealDraft(
    String title,
    Money amount,
    String pipelineId,
    String stageId,
    LocalDate expectedCloseDate,
    String owner,
    Map<String, String> customFields,
    String idempotencyKey) {

  /** @throws ValidationException naming each field that breaks its limit */
  public DealDraft {
    List<FieldError> errors = new ArrayList<>();
    if (title == null || title.isBlank()) {
      errors.add(new FieldError("title", Validation.abbreviate(title), "a deal needs a title"));
    } else {
      title = Validation.text(title, "title", errors);
    }
    checkAmount(amount, errors);
    pipelineId = id(pipelineId, "pipelineId", errors);
    stageId = id(stageId, "stageId", errors);
    checkDate(expectedCloseDate, errors);
    owner = Validation.text(owner, "owner", errors);
    customFields = Map.copyOf(Validation.customFields(customFields == null ? Map.of() : customFields, errors));
    if (idempotencyKey != null && idempotencyKey.isBlank()) {
      errors.add(new FieldError("idempotencyKey", Validation.abbreviate(idempotencyKey), "must not be blank"));
    } else {
      Validation.check(idempotencyKey, "idempotencyKey", Validation.MAX_IDEMPOTENCY_KEY, errors);
    }
    Validation.throwIfAny(errors);
  }

  /**
   * The deal this draft makes, with the pipeline and stage resolved against the tenant's pipelines.
   * For back ends that keep deals themselves (the native store, the memory provider).
   *
   * @param pipelines the tenant's, the first being the default; not empty
   * @throws ValidationException naming {@code pipelineId} or {@code stageId} when the tenant has no
   *     such pipeline or stage, or naming {@code stageId} when none is given and the pipeline has no
   *     open stage to start in
   */
  public Deal toDeal(String id, String customerId, List<Pipeline> pipelines, java.time.Instant now) {
    Pipeline p = pipelineId == null ? pipelines.get(0) : Pipeline.require(pipelines, pipelineId);
    DealStage stage = stageId == null ? entryStage(p) : p.requireStage(stageId);
    return new Deal(id, customerId, title, amount, p.id(), stage.id(), stage.status(), expectedCloseDate, owner,
        customFields, now, now);
  }

  /** A builder for a deal with this title. */
  public static Builder builder(String title) {
    return new Builder(title);
  }

  /** The pipeline's first open stage, where a deal starts when no stage is named. */
  static DealStage entryStage(Pipeline p) {
    return p.stages().stream().filter(s -> s.status() == DealStatus.OPEN).findFirst()
        .orElseThrow(() -> ValidationException.of("stageId", null,
            "pipeline " + p.id() + " has no open stage to start in; name one of its stages"));
  }

  static void checkAmount(Money amount, List<FieldError> errors) {
    if (amount == null) {
      return;
    }
    if (amount.amount().compareTo(BigDecimal.ZERO) < 0) {
      errors.add(new FieldError("amount", Validation.abbreviate(amount.toString()), "must not be negative"));
    } else {
      Validation.amount(amount, "amount", errors);
    }
  }

  static void checkDate(LocalDate date, List<FieldError> errors) {
    if (date != null && (date.getYear() < 1 || date.getYear() > 9999)) {
      errors.add(new FieldError("expectedCloseDate", date.toString(), "must lie in years 1 to 9999"));
    }
  }

  static String id(String v, String field, List<FieldError> errors) {
    if (v == null) {
      return null;
    }
    if (v.isBlank()) {
      errors.add(new FieldError(field, Validation.abbreviate(v), "must not be blank; leave it null for the default"));
      return v;
    }
    return Validation.text(v, field, errors);
  }

  /** Builds a {@link DealDraft}; every setter takes {@code null} for "not given". Not thread-safe. */
  public static final class Builder {
    private final String title;
    private Money amount;
    private String pipelineId;
    private String stageId;
    private LocalDate expectedCloseDate;
    private String owner;
    private final Map<String, String> customFields = new LinkedHashMap<>();
    private String idempotencyKey;

    private Builder(String title) {
      this.title = title;
    }

    public Builder amount(Money v) { amount = v; return this; }
    public Builder pipelineId(String v) { pipelineId = v; return this; }
    public Builder stageId(String v) { stageId = v; return this; }
    public Builder expectedCloseDate(LocalDate v) { expectedCloseDate = v; return this; }
    public Builder owner(String v) { owner = v; return this; }
    public Builder idempotencyKey(String v) { idempotencyKey = v; return this; }

    /** Adds a custom field; {@code key} must not be null. */
    public Builder customField(String key, String value) {
      customFields.put(Objects.requireNonNull(key, "key"), value);
      return this;
    }

    /** @throws ValidationException naming each field that breaks its limit */
    public DealDraft build() {
      return new DealDraft(title, amount, pipelineId, stageId, expectedCloseDate, owner, customFields, idempotencyKey);
    }
  }
}
