package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.Json.MAPPER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * HubSpot's CRM v3 pipelines API, read side, for deals ({@code deals} or {@code 0-3}): all
 * pipelines, one pipeline, its stages, one stage. Other object types (tickets, …) are not
 * emulated and answer 400, as HubSpot does for a type it cannot infer. Thread-safe: it keeps no
 * state of its own.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/pipelines">HubSpot: pipelines API</a>
 */
final class PipelinesApi {
  private final DealPipelines pipelines;

  PipelinesApi(DealPipelines pipelines) {
    this.pipelines = pipelines;
  }

  Reply serve(Route route) {
    List<String> p = route.params();
    if (ObjectType.fromPath(p.get(0)) != ObjectType.DEALS) {
      throw ApiError.validation("Unable to infer object type from: " + p.get(0));
    }
    if (route.op() == Route.Op.PIPELINES_LIST) {
      ObjectNode body = MAPPER.createObjectNode();
      ArrayNode results = body.putArray("results");
      pipelines.all().forEach(pipeline -> results.add(DealPipelines.render(pipeline)));
      return new Reply(200, body);
    }
    DealPipelines.Pipeline pipeline = pipelines.get(p.get(1));
    if (pipeline == null) {
      throw new ApiError(404, "OBJECT_NOT_FOUND", "Unable to find pipeline " + p.get(1), Map.of());
    }
    switch (route.op()) {
      case PIPELINE_READ:
        return new Reply(200, DealPipelines.render(pipeline));
      case PIPELINE_STAGES: {
        ObjectNode body = MAPPER.createObjectNode();
        ArrayNode results = body.putArray("results");
        DealPipelines.renderStages(pipeline).forEach(results::add);
        return new Reply(200, body);
      }
      case PIPELINE_STAGE: {
        List<ObjectNode> stages = DealPipelines.renderStages(pipeline);
        for (ObjectNode stage : stages) {
          if (stage.path("id").asText().equals(p.get(2))) {
            return new Reply(200, stage);
          }
        }
        throw new ApiError(404, "OBJECT_NOT_FOUND",
            "Unable to find stage " + p.get(2) + " in pipeline " + pipeline.id(), Map.of());
      }
      default:
        throw new IllegalArgumentException("not a pipelines route: " + route);
    }
  }
}
