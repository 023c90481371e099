package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.Json.MAPPER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The account's deal pipelines: HubSpot's default pipeline (id {@code default}, "Sales Pipeline")
 * and any a test adds, with the checks HubSpot makes when a deal's {@code pipeline} or
 * {@code dealstage} is written, and their rendering for the pipelines API. Thread-safe: every
 * method holds the lock.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/pipelines">HubSpot: pipelines API</a>
 */
final class DealPipelines {
  /** One stage: {@code probability} 1.0 for won, 0.0 for lost; {@code closed} for both. */
  record Stage(String id, String label, BigDecimal probability, boolean closed) {}

  /** One pipeline; {@code createdAt} is the epoch for HubSpot's default pipeline, as HubSpot reports it. */
  record Pipeline(String id, String label, int displayOrder, List<Stage> stages, Instant createdAt) {
    Stage stage(String stageId) {
      return stages.stream().filter(s -> s.id().equals(stageId)).findFirst().orElse(null);
    }
  }

  /** HubSpot's default deal pipeline with its stage ids, labels and probabilities. */
  static final Pipeline DEFAULT = new Pipeline("default", "Sales Pipeline", 0, List.of(
      new Stage("appointmentscheduled", "Appointment Scheduled", new BigDecimal("0.2"), false),
      new Stage("qualifiedtobuy", "Qualified To Buy", new BigDecimal("0.4"), false),
      new Stage("presentationscheduled", "Presentation Scheduled", new BigDecimal("0.6"), false),
      new Stage("decisionmakerboughtin", "Decision Maker Bought-In", new BigDecimal("0.8"), false),
      new Stage("contractsent", "Contract Sent", new BigDecimal("0.9"), false),
      new Stage("closedwon", "Closed Won", new BigDecimal("1.0"), true),
      new Stage("closedlost", "Closed Lost", new BigDecimal("0.0"), true)), Instant.EPOCH);

  private final Map<String, Pipeline> pipelines = new LinkedHashMap<>();

  DealPipelines() {
    pipelines.put(DEFAULT.id(), DEFAULT);
  }

  /** @throws IllegalArgumentException when the id or a label is taken, or a stage id repeats one of any pipeline */
  synchronized void add(Pipeline pipeline) {
    if (pipelines.containsKey(pipeline.id())) {
      throw new IllegalArgumentException("pipeline id " + pipeline.id() + " is taken");
    }
    for (Pipeline p : pipelines.values()) {
      if (p.label().equals(pipeline.label())) {
        throw new IllegalArgumentException("pipeline label " + pipeline.label() + " is taken; HubSpot labels are unique");
      }
      for (Stage s : pipeline.stages()) {
        if (p.stage(s.id()) != null) {
          // HubSpot's stage ids are unique across an account's pipelines (generated ids for new ones).
          throw new IllegalArgumentException("stage id " + s.id() + " is a stage of pipeline " + p.id());
        }
      }
    }
    pipelines.put(pipeline.id(), pipeline);
  }

  synchronized List<Pipeline> all() {
    return List.copyOf(pipelines.values());
  }

  synchronized Pipeline get(String id) {
    return pipelines.get(id);
  }

  /**
   * Checks a deal's pipeline and stage after a write, as HubSpot does.
   *
   * @param pipelineId the deal's pipeline after the write; null for the default
   * @param stageId the deal's stage after the write; null when it has none
   * @throws ApiError 400 VALIDATION_ERROR with HubSpot's "Property values were not valid" body
   *     naming {@code pipeline} or {@code dealstage}
   */
  synchronized void check(String pipelineId, String stageId) {
    Pipeline pipeline = pipelines.get(pipelineId == null ? DEFAULT.id() : pipelineId);
    if (pipeline == null) {
      throw invalidOption("pipeline", pipelineId, pipelines.keySet().stream().toList());
    }
    if (stageId != null && pipeline.stage(stageId) == null) {
      throw invalidOption("dealstage", stageId, pipeline.stages().stream().map(Stage::id).toList());
    }
  }

  /** The 400 HubSpot answers for a value not among a property's allowed options. */
  static ApiError invalidOption(String property, String value, List<String> allowed) {
    String message = value + " was not one of the allowed options: ["
        + allowed.stream().collect(Collectors.joining(", ")) + "]";
    return new ApiError(400, "VALIDATION_ERROR",
        "Property values were not valid: [{\"isValid\":false,\"message\":\"" + message.replace("\"", "\\\"")
            + "\",\"error\":\"INVALID_OPTION\",\"name\":\"" + property + "\"}]",
        Map.of(property, List.of(value)));
  }

  static ObjectNode render(Pipeline p) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", p.id());
    node.put("label", p.label());
    node.put("displayOrder", p.displayOrder());
    ArrayNode stages = node.putArray("stages");
    for (int i = 0; i < p.stages().size(); i++) {
      stages.add(render(p, p.stages().get(i), i));
    }
    node.put("createdAt", Json.timestamp(p.createdAt()));
    node.put("updatedAt", Json.timestamp(p.createdAt()));
    node.put("archived", false);
    return node;
  }

  static ObjectNode render(Pipeline p, Stage s, int displayOrder) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", s.id());
    node.put("label", s.label());
    node.put("displayOrder", displayOrder);
    // HubSpot's stage metadata values are strings: {"isClosed": "false", "probability": "0.2"}.
    ObjectNode metadata = node.putObject("metadata");
    metadata.put("isClosed", Boolean.toString(s.closed()));
    metadata.put("probability", s.probability().toPlainString());
    node.put("createdAt", Json.timestamp(p.createdAt()));
    node.put("updatedAt", Json.timestamp(p.createdAt()));
    node.put("archived", false);
    node.put("writePermissions", "CRM_PERMISSIONS_ENFORCEMENT");
    return node;
  }

  /** Stages of a pipeline as a list, for {@code /stages}. */
  static List<ObjectNode> renderStages(Pipeline p) {
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < p.stages().size(); i++) {
      out.add(render(p, p.stages().get(i), i));
    }
    return out;
  }
}
