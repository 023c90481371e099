package dev.crmkit;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;

/**
 * A deal (HubSpot deal, Salesforce opportunity, Pipedrive deal): a sale in progress with one
 * customer, at a stage of a {@link Pipeline}.
 *
 * @param id the back end's deal id; never null
 * @param customerId the customer it belongs to; never null
 * @param title the deal's name; never null
 * @param amount what it is worth, or {@code null} when not known
 * @param pipelineId the pipeline's id; never null
 * @param stageId the stage's id within the pipeline; never null
 * @param status open, won or lost, as the stage says; never null
 * @param expectedCloseDate when it is expected to close (the close date once closed), or {@code null}
 * @param owner who works it (a user name or the back end's owner id), or {@code null}
 * @param customFields the back end's other fields; unmodifiable, never null
 * @param createdAt when it was created; never null
 * @param updatedAt when it last changed; never null
 */
public record Deal(
    String id,
    String customerId,
    String title,
    Money amount,
    String pipelineId,
    String stageId,
    DealStatus status,
    LocalDate expectedCloseDate,
    String owner,
    Map<String, String> customFields,
    Instant createdAt,
    Instant updatedAt) {
  public Deal {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(customerId, "customerId");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(pipelineId, "pipelineId");
    Objects.requireNonNull(stageId, "stageId");
    Objects.requireNonNull(status, "status");
    customFields = Map.copyOf(Objects.requireNonNull(customFields, "customFields"));
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** A copy belonging to another customer (after a merge). */
  public Deal withCustomerId(String newCustomerId, Instant now) {
    return new Deal(id, newCustomerId, title, amount, pipelineId, stageId, status, expectedCloseDate, owner,
        customFields, createdAt, now);
  }
}
