package dev.crmkit;

import java.util.Objects;

/**
 * One stage of a {@link Pipeline}, such as {@code qualified} or {@code closedwon}.
 *
 * @param id the back end's stage id, compared exactly (HubSpot's {@code appointmentscheduled}, a
 *     native store's {@code qualified}); never null or blank
 * @param label the name a person sees; never null
 * @param status {@link DealStatus#OPEN} for a stage deals move through, {@code WON} or {@code LOST}
 *     for a closing stage; never null
 */
public record DealStage(String id, String label, DealStatus status) {
  public DealStage {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(status, "status");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a stage id must not be blank");
    }
  }

  /** An open stage. */
  public static DealStage open(String id, String label) {
    return new DealStage(id, label, DealStatus.OPEN);
  }
}
