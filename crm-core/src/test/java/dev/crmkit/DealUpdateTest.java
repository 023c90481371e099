package dev.crmkit;

import static dev.crmkit.DealDraftTest.PIPELINES;
import static dev.crmkit.DealDraftTest.assertRejected;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DealUpdateTest {
  static final Instant CREATED = Instant.parse("2026-02-01T09:00:00Z");
  static final Instant NOW = Instant.parse("2026-03-02T17:30:00Z");

  static final Deal DEAL = new Deal("d-1", "c-1", "Remodel", Money.of("1200.50", "EUR"), "default", "qualified",
      DealStatus.OPEN, LocalDate.of(2026, 4, 30), "agent-7", Map.of("source", "fair", "tier", "gold"), CREATED, CREATED);

  private static Deal apply(DealUpdate.Builder update) {
    return update.build().applyTo(DEAL, PIPELINES, NOW);
  }

  @Test
  void anEmptyUpdateChangesNothingButTheUpdateTime() {
    DealUpdate empty = DealUpdate.builder().build();
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.applyTo(DEAL, PIPELINES, NOW)).isEqualTo(DEAL.withCustomerId("c-1", NOW));
  }

  @Test
  void settersSetAndNullClearsAmountDateAndOwnerWhileTitleIsLeftAlone() {
    Deal d = apply(DealUpdate.builder().title(" Bigger remodel ").amount(null).expectedCloseDate(null).owner(null));
    assertThat(d.title()).isEqualTo("Bigger remodel");
    assertThat(d.amount()).isNull();
    assertThat(d.expectedCloseDate()).isNull();
    assertThat(d.owner()).isNull();
    assertThat(d.createdAt()).isEqualTo(CREATED);
    assertThat(d.updatedAt()).isEqualTo(NOW);

    Deal untouched = apply(DealUpdate.builder().title(null).owner("agent-9"));
    assertThat(untouched.title()).isEqualTo("Remodel");
    assertThat(untouched.amount()).isEqualTo(DEAL.amount());
    assertThat(untouched.owner()).isEqualTo("agent-9");
  }

  @Test
  void customFieldsAreSetAndANullValueRemovesOne() {
    Deal d = apply(DealUpdate.builder().customField("tier", null).customField("region", "north"));
    assertThat(d.customFields()).containsExactlyInAnyOrderEntriesOf(Map.of("source", "fair", "region", "north"));
  }

  @Test
  void settingAStageSetsTheStatusThatStageHas() {
    Deal won = apply(DealUpdate.builder().stageId("won"));
    assertThat(won.stageId()).isEqualTo("won");
    assertThat(won.status()).isEqualTo(DealStatus.WON);
    assertThat(won.pipelineId()).isEqualTo("default");

    Deal back = DealUpdate.builder().stageId("proposal").build().applyTo(won, PIPELINES, NOW);
    assertThat(back.status()).isEqualTo(DealStatus.OPEN);
  }

  @Test
  void settingOnlyAStatusMovesToThePipelinesFirstStageWithIt() {
    Deal lost = apply(DealUpdate.builder().status(DealStatus.LOST));
    assertThat(lost.stageId()).isEqualTo("lost");
    assertThat(lost.status()).isEqualTo(DealStatus.LOST);

    Deal reopened = DealUpdate.builder().status(DealStatus.OPEN).build().applyTo(lost, PIPELINES, NOW);
    assertThat(reopened.stageId()).isEqualTo("lead");
  }

  @Test
  void settingTheStatusTheCurrentStageHasKeepsTheStage() {
    Deal d = apply(DealUpdate.builder().status(DealStatus.OPEN));
    assertThat(d.stageId()).isEqualTo("qualified");
    Deal samePipelineNamed = apply(DealUpdate.builder().pipelineId("default").status(DealStatus.OPEN));
    assertThat(samePipelineNamed.stageId()).isEqualTo("qualified");
  }

  @Test
  void aStageAndAStatusThatAgreeAreTakenAndOnesThatDisagreeAreRefusedNamingStatus() {
    assertThat(apply(DealUpdate.builder().stageId("won").status(DealStatus.WON)).status()).isEqualTo(DealStatus.WON);
    assertRejected(() -> apply(DealUpdate.builder().stageId("won").status(DealStatus.LOST)), "status", "LOST");
    assertRejected(() -> apply(DealUpdate.builder().stageId("lead").status(DealStatus.WON)), "status", "WON");
  }

  @Test
  void movingToAnotherPipelineStartsInItsFirstOpenStageUnlessAStageOrStatusIsSet() {
    Deal moved = apply(DealUpdate.builder().pipelineId("repairs"));
    assertThat(moved.pipelineId()).isEqualTo("repairs");
    assertThat(moved.stageId()).isEqualTo("booked");
    assertThat(moved.status()).isEqualTo(DealStatus.OPEN);

    assertThat(apply(DealUpdate.builder().pipelineId("repairs").stageId("done")).status()).isEqualTo(DealStatus.WON);
    assertThat(apply(DealUpdate.builder().pipelineId("repairs").status(DealStatus.LOST)).stageId()).isEqualTo("cancelled");
    assertThat(apply(DealUpdate.builder().pipelineId("repairs").status(DealStatus.OPEN)).stageId()).isEqualTo("booked");
  }

  @Test
  void anUnknownStageOrPipelineIsRefusedNamingTheField() {
    assertRejected(() -> apply(DealUpdate.builder().stageId("booked")), "stageId", "booked");
    assertRejected(() -> apply(DealUpdate.builder().pipelineId("sales")), "pipelineId", "sales");
    assertRejected(() -> apply(DealUpdate.builder().pipelineId("repairs").stageId("won")), "stageId", "won");
  }

  @Test
  void aStatusThePipelineHasNoStageForIsRefusedNamingStatus() {
    Pipeline closedOnly = new Pipeline("default", "Closed", List.of(new DealStage("w", "W", DealStatus.WON),
        new DealStage("l", "L", DealStatus.LOST)));
    assertRejected(() -> DealUpdate.builder().status(DealStatus.OPEN).build().applyTo(DEAL, List.of(closedOnly), NOW),
        "status", "OPEN");
  }

  @Test
  void anUpdateLeavingPipelineStageAndStatusAloneWorksWhenTheTenantDroppedThatPipeline() {
    Deal d = DealUpdate.builder().title("Still here").build().applyTo(DEAL, List.of(PipelineTest.REPAIRS), NOW);
    assertThat(d.title()).isEqualTo("Still here");
    assertThat(d.pipelineId()).isEqualTo("default");
    assertThat(d.stageId()).isEqualTo("qualified");
    assertThat(d.status()).isEqualTo(DealStatus.OPEN);
    assertRejected(() -> DealUpdate.builder().status(DealStatus.WON).build().applyTo(DEAL, List.of(PipelineTest.REPAIRS), NOW),
        "pipelineId", "default");
  }

  @Test
  void theBuilderRefusesBadValuesNamingEachField() {
    assertRejected(() -> DealUpdate.builder().title("  ").build(), "title", "  ");
    assertRejected(() -> DealUpdate.builder().amount(Money.of("-5", "USD")).build(), "amount", "-5 USD");
    assertRejected(() -> DealUpdate.builder().amount(Money.of("0.12345", "USD")).build(), "amount", "0.12345 USD");
    assertRejected(() -> DealUpdate.builder().expectedCloseDate(LocalDate.of(10000, 1, 1)).build(),
        "expectedCloseDate", "+10000-01-01");
    assertRejected(() -> DealUpdate.builder().stageId(" ").build(), "stageId", " ");
    assertRejected(() -> DealUpdate.builder().pipelineId(" ").build(), "pipelineId", " ");
    assertRejected(() -> DealUpdate.builder().customField("bad name", "v").build(), "customFields", "bad name");
    assertRejected(() -> DealUpdate.builder().owner("x".repeat(256)).build(), "owner", "x".repeat(77) + "...");
  }

  @Test
  void updatesWithTheSameChangesAreEqual() {
    DealUpdate a = DealUpdate.builder().amount(null).stageId("won").build();
    DealUpdate b = DealUpdate.builder().stageId("won").amount(null).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(DealUpdate.builder().stageId("won").build());
    assertThat(a.touchesAmount()).isTrue();
    assertThat(a.toString()).contains("stageId=won");
  }
}
