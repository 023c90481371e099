package dev.crmkit;

import dev.crmkit.error.ValidationException;
import dev.crmkit.spi.Validation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A sales pipeline: the ordered stages a deal moves through, ending in at least one won and one lost
 * stage. {@link CustomerSystem#pipelines()} lists a tenant's pipelines so a host can offer valid
 * stages; a write naming a stage the pipeline does not have is refused by {@link #requireStage}.
 *
 * <p>Stored pipelines come from the back end (HubSpot's pipelines API, a Salesforce org's
 * {@code StageName} picklist); the native store and the memory provider use {@link #DEFAULT} unless
 * the tenant's {@value #SETTING} setting defines others in the format of {@link #parse}.
 *
 * @param id the back end's pipeline id ({@code default} on HubSpot's and the native default); never
 *     null or blank
 * @param label the name a person sees; never null
 * @param stages in order; unmodifiable, never empty, ids unique, with at least one {@code WON} and one
 *     {@code LOST} stage
 */
public record Pipeline(String id, String label, List<DealStage> stages) {
  /** Tenant setting holding the native store's and memory provider's pipelines, see {@link #parse}. */
  public static final String SETTING = "dealPipelines";

  /** The default pipeline: lead → qualified → proposal → won / lost. */
  public static final Pipeline DEFAULT = new Pipeline("default", "Sales", List.of(
      DealStage.open("lead", "Lead"),
      DealStage.open("qualified", "Qualified"),
      DealStage.open("proposal", "Proposal"),
      new DealStage("won", "Won", DealStatus.WON),
      new DealStage("lost", "Lost", DealStatus.LOST)));

  /** @throws IllegalArgumentException when the stages are empty, repeat an id, or lack a won or a lost stage */
  public Pipeline {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(label, "label");
    stages = List.copyOf(Objects.requireNonNull(stages, "stages"));
    if (id.isBlank()) {
      throw new IllegalArgumentException("a pipeline id must not be blank");
    }
    Set<String> ids = new HashSet<>();
    for (DealStage s : stages) {
      if (!ids.add(s.id())) {
        throw new IllegalArgumentException("pipeline " + id + " repeats stage id " + s.id());
      }
    }
    if (stages.stream().noneMatch(s -> s.status() == DealStatus.WON)
        || stages.stream().noneMatch(s -> s.status() == DealStatus.LOST)) {
      throw new IllegalArgumentException("pipeline " + id + " needs a won and a lost stage");
    }
  }

  /** The stage with this id, compared exactly. */
  public Optional<DealStage> stage(String stageId) {
    return stages.stream().filter(s -> s.id().equals(stageId)).findFirst();
  }

  /**
   * The stage with this id.
   *
   * @throws ValidationException naming {@code stageId}, the value and the valid ids, when the
   *     pipeline has no such stage
   */
  public DealStage requireStage(String stageId) {
    return stage(stageId).orElseThrow(() -> ValidationException.of("stageId", Validation.abbreviate(stageId),
        "not a stage of pipeline " + id + "; valid: " + Validation.abbreviate(stageIds())));
  }

  /**
   * The first stage with this status: the entry stage for {@code OPEN}.
   *
   * @throws ValidationException naming {@code status} when the pipeline has no stage with it (every
   *     pipeline has a won and a lost stage; one read from a back end may lack an open one)
   */
  public DealStage firstStage(DealStatus status) {
    return stages.stream().filter(s -> s.status() == status).findFirst()
        .orElseThrow(() -> ValidationException.of("status", String.valueOf(status),
            "pipeline " + id + " has no stage with this status; valid stages: " + Validation.abbreviate(stageIds())));
  }

  /**
   * The pipeline with this id among a tenant's.
   *
   * @throws ValidationException naming {@code pipelineId}, the value and the valid ids, when there
   *     is none
   */
  public static Pipeline require(List<Pipeline> pipelines, String pipelineId) {
    return pipelines.stream().filter(p -> p.id().equals(pipelineId)).findFirst()
        .orElseThrow(() -> ValidationException.of("pipelineId", Validation.abbreviate(pipelineId),
            "not a pipeline of this tenant; valid: " + Validation.abbreviate(
                pipelines.stream().map(Pipeline::id).collect(Collectors.joining(", ")))));
  }

  /**
   * Parses pipelines from a tenant setting: pipelines separated by {@code ;}, each
   * {@code id=Label: stage, stage, ...}, each stage {@code id=Label}, with {@code !won} or
   * {@code !lost} after a closing stage; each pipeline needs an open stage (where new deals start),
   * a won and a lost one. Ids are 1 to 255 of {@code A-Z a-z 0-9 _ . -}, labels at most 255
   * characters (the id when left out). Whitespace around parts is ignored. Example:
   *
   * <pre>{@code
   * default=Sales: lead=Lead, qualified=Qualified, proposal=Proposal, won=Won!won, lost=Lost!lost;
   * repairs=Repairs: booked=Booked, done=Done!won, cancelled=Cancelled!lost
   * }</pre>
   *
   * @throws dev.crmkit.error.ConfigurationException naming the setting and the part that is malformed
   */
  public static List<Pipeline> parse(String setting) {
    List<Pipeline> out = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String part : setting.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      try {
        int colon = part.indexOf(':');
        if (colon < 0) {
          throw new IllegalArgumentException("expected id=Label: stages");
        }
        String[] head = idAndLabel(part.substring(0, colon));
        List<DealStage> stages = new ArrayList<>();
        for (String s : part.substring(colon + 1).split(",")) {
          String stage = s.trim();
          DealStatus status = DealStatus.OPEN;
          int bang = stage.lastIndexOf('!');
          if (bang >= 0) {
            status = switch (stage.substring(bang + 1).trim()) {
              case "won" -> DealStatus.WON;
              case "lost" -> DealStatus.LOST;
              default -> throw new IllegalArgumentException("a closing stage ends in !won or !lost");
            };
            stage = stage.substring(0, bang);
          }
          String[] st = idAndLabel(stage);
          stages.add(new DealStage(st[0], st[1], status));
        }
        if (stages.stream().noneMatch(st -> st.status() == DealStatus.OPEN)) {
          throw new IllegalArgumentException("pipeline " + head[0] + " needs an open stage (one without !won or !lost)");
        }
        if (!ids.add(head[0])) {
          throw new IllegalArgumentException("pipeline id " + head[0] + " is repeated");
        }
        out.add(new Pipeline(head[0], head[1], stages));
      } catch (IllegalArgumentException e) {
        throw new dev.crmkit.error.ConfigurationException(
            "setting " + SETTING + ": " + e.getMessage() + " in '" + Validation.abbreviate(part.trim()) + "'");
      }
    }
    if (out.isEmpty()) {
      throw new dev.crmkit.error.ConfigurationException("setting " + SETTING + " defines no pipeline");
    }
    return List.copyOf(out);
  }

  /** This pipeline in the format {@link #parse} reads. */
  public String format() {
    return id + "=" + label + ": " + stages.stream()
        .map(s -> s.id() + "=" + s.label() + (s.status() == DealStatus.OPEN ? "" : "!" + s.status().name().toLowerCase(java.util.Locale.ROOT)))
        .collect(Collectors.joining(", "));
  }

  private String stageIds() {
    return stages.stream().map(DealStage::id).collect(Collectors.joining(", "));
  }

  private static String[] idAndLabel(String s) {
    int eq = s.indexOf('=');
    String id = (eq < 0 ? s : s.substring(0, eq)).trim();
    String label = (eq < 0 ? id : s.substring(eq + 1)).trim();
    if (id.isEmpty() || id.length() > Validation.MAX_TEXT || label.length() > Validation.MAX_TEXT
        || !id.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("an id is 1 to 255 of [A-Za-z0-9_.-], a label at most 255 characters");
    }
    return new String[] {id, label};
  }
}
