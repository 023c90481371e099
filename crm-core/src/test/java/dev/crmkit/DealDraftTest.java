package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class DealDraftTest {
  static final Instant NOW = Instant.parse("2026-03-02T17:30:00Z");
  static final List<Pipeline> PIPELINES = List.of(Pipeline.DEFAULT, PipelineTest.REPAIRS);

  static void assertRejected(ThrowingCallable call, String field, String value) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).anySatisfy(f -> {
          assertThat(f.field()).isEqualTo(field);
          assertThat(f.value()).isEqualTo(value);
        }));
  }

  @Test
  void aDraftWithOnlyATitleLeavesEverythingElseToTheDefaults() {
    DealDraft d = DealDraft.builder("  Kitchen remodel ").build();

    assertThat(d.title()).isEqualTo("Kitchen remodel");
    assertThat(d.amount()).isNull();
    assertThat(d.pipelineId()).isNull();
    assertThat(d.stageId()).isNull();
    assertThat(d.expectedCloseDate()).isNull();
    assertThat(d.owner()).isNull();
    assertThat(d.customFields()).isEmpty();
    assertThat(d.idempotencyKey()).isNull();
  }

  @Test
  void toDealStartsInTheFirstPipelinesFirstOpenStage() {
    Deal deal = DealDraft.builder("Remodel").amount(Money.of("1200.50", "EUR")).owner(" agent-7 ")
        .expectedCloseDate(LocalDate.of(2026, 4, 30)).customField("source", "fair").build()
        .toDeal("d-1", "c-1", PIPELINES, NOW);

    assertThat(deal.id()).isEqualTo("d-1");
    assertThat(deal.customerId()).isEqualTo("c-1");
    assertThat(deal.pipelineId()).isEqualTo("default");
    assertThat(deal.stageId()).isEqualTo("lead");
    assertThat(deal.status()).isEqualTo(DealStatus.OPEN);
    assertThat(deal.amount()).isEqualTo(Money.of("1200.50", "EUR"));
    assertThat(deal.owner()).isEqualTo("agent-7");
    assertThat(deal.expectedCloseDate()).isEqualTo(LocalDate.of(2026, 4, 30));
    assertThat(deal.customFields()).containsExactlyEntriesOf(Map.of("source", "fair"));
    assertThat(deal.createdAt()).isEqualTo(NOW);
    assertThat(deal.updatedAt()).isEqualTo(NOW);
  }

  @Test
  void toDealTakesTheNamedPipelineAndStageAndTheStagesStatus() {
    Deal inRepairs = DealDraft.builder("Fix").pipelineId("repairs").build().toDeal("d", "c", PIPELINES, NOW);
    assertThat(inRepairs.pipelineId()).isEqualTo("repairs");
    assertThat(inRepairs.stageId()).isEqualTo("booked");

    Deal won = DealDraft.builder("Fix").pipelineId("repairs").stageId("done").build().toDeal("d", "c", PIPELINES, NOW);
    assertThat(won.stageId()).isEqualTo("done");
    assertThat(won.status()).isEqualTo(DealStatus.WON);

    Deal lost = DealDraft.builder("Sale").stageId("lost").build().toDeal("d", "c", PIPELINES, NOW);
    assertThat(lost.pipelineId()).isEqualTo("default");
    assertThat(lost.status()).isEqualTo(DealStatus.LOST);
  }

  @Test
  void toDealRefusesAnUnknownPipelineOrAStageOfAnotherPipeline() {
    assertRejected(() -> DealDraft.builder("X").pipelineId("sales").build().toDeal("d", "c", PIPELINES, NOW),
        "pipelineId", "sales");
    assertRejected(() -> DealDraft.builder("X").stageId("booked").build().toDeal("d", "c", PIPELINES, NOW),
        "stageId", "booked");
  }

  @Test
  void toDealWithoutAStageInAPipelineWithoutAnOpenStageNamesStageId() {
    Pipeline closedOnly = new Pipeline("closed", "Closed", List.of(new DealStage("w", "W", DealStatus.WON),
        new DealStage("l", "L", DealStatus.LOST)));
    assertRejected(() -> DealDraft.builder("X").build().toDeal("d", "c", List.of(closedOnly), NOW), "stageId", null);
    assertThat(DealDraft.builder("X").stageId("w").build().toDeal("d", "c", List.of(closedOnly), NOW).status())
        .isEqualTo(DealStatus.WON);
  }

  @Test
  void aBlankOrMissingTitleIsRejected() {
    assertRejected(() -> DealDraft.builder("   ").build(), "title", "   ");
    assertRejected(() -> DealDraft.builder(null).build(), "title", null);
    assertRejected(() -> DealDraft.builder("x".repeat(256)).build(), "title", "x".repeat(77) + "...");
  }

  @Test
  void aNegativeAmountIsRejected() {
    assertRejected(() -> DealDraft.builder("X").amount(Money.of("-0.01", "USD")).build(), "amount", "-0.01 USD");
  }

  @Test
  void anAmountWithMoreThanFourDecimalsOrFifteenIntegerDigitsIsRejected() {
    assertRejected(() -> DealDraft.builder("X").amount(Money.of("1.00001", "USD")).build(), "amount", "1.00001 USD");
    assertRejected(() -> DealDraft.builder("X").amount(Money.of("1000000000000000", "USD")).build(),
        "amount", "1000000000000000 USD");
    assertThat(DealDraft.builder("X").amount(Money.of("999999999999999.9999", "USD")).build().amount().amount())
        .isEqualByComparingTo(new BigDecimal("999999999999999.9999"));
    assertThat(DealDraft.builder("X").amount(Money.of("1.50000", "USD")).build().amount().amount())
        .isEqualByComparingTo("1.5");
    assertThat(DealDraft.builder("X").amount(Money.of("0", "USD")).build().amount().amount()).isZero();
  }

  @Test
  void anExpectedCloseDateOutsideYearsOneTo9999IsRejected() {
    assertRejected(() -> DealDraft.builder("X").expectedCloseDate(LocalDate.of(10000, 1, 1)).build(),
        "expectedCloseDate", "+10000-01-01");
    assertRejected(() -> DealDraft.builder("X").expectedCloseDate(LocalDate.of(0, 12, 31)).build(),
        "expectedCloseDate", "0000-12-31");
    assertThat(DealDraft.builder("X").expectedCloseDate(LocalDate.of(9999, 12, 31)).build().expectedCloseDate())
        .isEqualTo(LocalDate.of(9999, 12, 31));
  }

  @Test
  void aBlankStageOrPipelineIdIsRejectedRatherThanTakenForTheDefault() {
    assertRejected(() -> DealDraft.builder("X").stageId(" ").build(), "stageId", " ");
    assertRejected(() -> DealDraft.builder("X").pipelineId("").build(), "pipelineId", "");
  }

  @Test
  void aBlankOrOverlongIdempotencyKeyIsRejected() {
    assertRejected(() -> DealDraft.builder("X").idempotencyKey("  ").build(), "idempotencyKey", "  ");
    assertThatThrownBy(() -> DealDraft.builder("X").idempotencyKey("k".repeat(201)).build())
        .isInstanceOfSatisfying(ValidationException.class,
            e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("idempotencyKey"));
    assertThat(DealDraft.builder("X").idempotencyKey("k".repeat(200)).build().idempotencyKey()).hasSize(200);
  }

  @Test
  void aBadCustomFieldNameOrOwnerIsRejected() {
    assertRejected(() -> DealDraft.builder("X").customField("1st", "v").build(), "customFields", "1st");
    assertRejected(() -> DealDraft.builder("X").owner("o\u0000wner").build(), "owner", "o\\u0000wner");
  }

  @Test
  void oneExceptionNamesEveryBadField() {
    assertThatThrownBy(() -> DealDraft.builder(" ").amount(Money.of("-1", "USD")).stageId("")
        .expectedCloseDate(LocalDate.of(10000, 1, 1)).build())
        .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.fieldErrors()).extracting(FieldError::field)
            .containsExactly("title", "amount", "stageId", "expectedCloseDate"));
  }
}
