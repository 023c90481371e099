package dev.crmkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.crmkit.error.ConfigurationException;
import dev.crmkit.error.FieldError;
import dev.crmkit.error.ValidationException;
import dev.crmkit.provider.ProviderDescriptor;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PipelineTest {
  static final Pipeline REPAIRS = new Pipeline("repairs", "Repairs", List.of(
      DealStage.open("booked", "Booked"),
      new DealStage("done", "Done", DealStatus.WON),
      new DealStage("cancelled", "Cancelled", DealStatus.LOST)));

  @Test
  void theDefaultPipelineLeadsFromLeadThroughProposalToWonOrLost() {
    assertThat(Pipeline.DEFAULT.id()).isEqualTo("default");
    assertThat(Pipeline.DEFAULT.stages()).extracting(DealStage::id)
        .containsExactly("lead", "qualified", "proposal", "won", "lost");
    assertThat(Pipeline.DEFAULT.firstStage(DealStatus.OPEN).id()).isEqualTo("lead");
    assertThat(Pipeline.DEFAULT.firstStage(DealStatus.WON).id()).isEqualTo("won");
    assertThat(Pipeline.DEFAULT.firstStage(DealStatus.LOST).id()).isEqualTo("lost");
  }

  @Test
  void parseReadsPipelinesStagesLabelsAndClosingMarksIgnoringWhitespace() {
    List<Pipeline> parsed = Pipeline.parse(" default=Sales: lead=Lead , qualified=Qualified, proposal=Proposal,"
        + " won=Won!won, lost=Lost ! lost ;\n repairs = Repairs : booked=Booked, done=Done!won, cancelled=Cancelled!lost ; ");

    assertThat(parsed).containsExactly(Pipeline.DEFAULT, REPAIRS);
  }

  @Test
  void aStageWithoutALabelIsLabelledByItsId() {
    Pipeline p = Pipeline.parse("p: new, closed!won, dropped!lost").get(0);
    assertThat(p.label()).isEqualTo("p");
    assertThat(p.stages()).containsExactly(DealStage.open("new", "new"), new DealStage("closed", "closed", DealStatus.WON),
        new DealStage("dropped", "dropped", DealStatus.LOST));
  }

  @Test
  void formatWritesWhatParseReads() {
    assertThat(Pipeline.parse(Pipeline.DEFAULT.format() + ";" + REPAIRS.format())).containsExactly(Pipeline.DEFAULT, REPAIRS);
  }

  @Test
  void theSettingsDescribedDefaultIsTheDefaultPipeline() {
    assertThat(ProviderDescriptor.DEAL_PIPELINES.key()).isEqualTo(Pipeline.SETTING);
    assertThat(Pipeline.parse(ProviderDescriptor.DEAL_PIPELINES.defaultValue())).containsExactly(Pipeline.DEFAULT);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "no colon at all",
      "p=P: a, b!maybe, c!lost",
      "p=P: a, b!won",
      "p=P: a, b!lost",
      "p=P: a!won, b!lost",
      "p=P: a, a, b!won, c!lost",
      "p=P: a, b!won, c!lost; p=Again: x, y!won, z!lost",
      "p=P: a, , b!won, c!lost",
      "bad id=P: a, b!won, c!lost",
      "p=P: st@ge, b!won, c!lost",
      " ; ; ",
      ""})
  void aMalformedSettingIsAConfigurationErrorNamingTheSetting(String setting) {
    assertThatThrownBy(() -> Pipeline.parse(setting))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("dealPipelines");
  }

  @Test
  void aPipelineWithoutAnOpenStageIsRefusedWithTheReason() {
    assertThatThrownBy(() -> Pipeline.parse("p=P: a!won, b!lost"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("needs an open stage")
        .hasMessageContaining("p=P: a!won, b!lost");
  }

  @Test
  void theConstructorRefusesEmptyRepeatedOrUnclosablePipelines() {
    assertThatThrownBy(() -> new Pipeline("p", "P", List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pipeline(" ", "P", REPAIRS.stages())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Pipeline("p", "P", List.of(DealStage.open("a", "A"), new DealStage("a", "A", DealStatus.WON),
        new DealStage("l", "L", DealStatus.LOST)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats");
    assertThatThrownBy(() -> new Pipeline("p", "P", List.of(DealStage.open("a", "A"), new DealStage("w", "W", DealStatus.WON))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("won and a lost");
    assertThatThrownBy(() -> new DealStage(" ", "x", DealStatus.OPEN)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requireStageNamesStageIdTheValueAndTheValidIds() {
    assertThat(REPAIRS.requireStage("done").status()).isEqualTo(DealStatus.WON);
    assertThatThrownBy(() -> REPAIRS.requireStage("Done")).isInstanceOfSatisfying(ValidationException.class, e -> {
      FieldError f = e.fieldErrors().get(0);
      assertThat(f.field()).isEqualTo("stageId");
      assertThat(f.value()).isEqualTo("Done");
      assertThat(f.message()).contains("booked, done, cancelled");
    });
  }

  @Test
  void requireNamesPipelineIdTheValueAndTheValidIds() {
    List<Pipeline> tenant = List.of(Pipeline.DEFAULT, REPAIRS);
    assertThat(Pipeline.require(tenant, "repairs")).isEqualTo(REPAIRS);
    assertThatThrownBy(() -> Pipeline.require(tenant, "sales")).isInstanceOfSatisfying(ValidationException.class, e -> {
      FieldError f = e.fieldErrors().get(0);
      assertThat(f.field()).isEqualTo("pipelineId");
      assertThat(f.value()).isEqualTo("sales");
      assertThat(f.message()).contains("default, repairs");
    });
  }

  @Test
  void firstStageOfAStatusThePipelineLacksIsAValidationErrorNamingStatus() {
    Pipeline closedOnly = new Pipeline("p", "P", List.of(new DealStage("w", "W", DealStatus.WON),
        new DealStage("l", "L", DealStatus.LOST)));
    assertThatThrownBy(() -> closedOnly.firstStage(DealStatus.OPEN)).isInstanceOfSatisfying(ValidationException.class,
        e -> assertThat(e.fieldErrors()).extracting(FieldError::field).containsExactly("status"));
  }
}
