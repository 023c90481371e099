package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.Json.MAPPER;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import okhttp3.HttpUrl;

/**
 * HubSpot's CRM v4 associations API for records: list a record's associations to one type
 * (paged by the other record's id), associate two records with the default type, and remove all
 * associations between two records. Thread-safe: it keeps no state of its own.
 *
 * @see <a href="https://developers.hubspot.com/docs/api/crm/associations">HubSpot: associations
 *     v4</a>
 */
final class AssociationsApi {
  static final int PAGE_CAP = 500;

  private final CrmState state;
  private final Clock clock;

  AssociationsApi(CrmState state, Clock clock) {
    this.state = state;
    this.clock = clock;
  }

  Reply serve(Route route, HttpUrl url) {
    List<String> p = route.params();
    ObjectType from = type(p.get(0));
    long fromId = id(p.get(1), "objectId");
    ObjectType to = type(p.get(2));
    switch (route.op()) {
      case ASSOCIATIONS_LIST:
        return list(from, fromId, to, url);
      case ASSOCIATE_DEFAULT:
        return associate(from, fromId, to, id(p.get(3), "toObjectId"));
      case DISASSOCIATE:
        state.disassociate(from, fromId, to, id(p.get(3), "toObjectId"), ChangeSource.INTEGRATION);
        return new Reply(204, null);
      default:
        throw new IllegalArgumentException("not an associations route: " + route);
    }
  }

  private Reply list(ObjectType from, long fromId, ObjectType to, HttpUrl url) {
    int limit = ObjectsApi.intParam(url, "limit", PAGE_CAP, 1, PAGE_CAP);
    String after = url.queryParameter("after");
    long fromToId = after == null ? 0 : id(after, "after");
    List<Associations.Link> links = state.links(from, fromId, to).stream()
        .filter(link -> link.toId() >= fromToId)
        .toList();
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode results = body.putArray("results");
    for (Associations.Link link : links.subList(0, Math.min(limit, links.size()))) {
      ObjectNode result = results.addObject();
      result.put("toObjectId", link.toId());
      ObjectNode type = result.putArray("associationTypes").addObject();
      type.put("category", "HUBSPOT_DEFINED");
      type.put("typeId", link.typeId());
      type.putNull("label");
    }
    if (links.size() > limit) {
      Json.nextPage(body, Long.toString(links.get(limit).toId()));
    }
    return new Reply(200, body);
  }

  private Reply associate(ObjectType from, long fromId, ObjectType to, long toId) {
    Instant started = clock.instant();
    state.associate(from, fromId, to, toId, ChangeSource.INTEGRATION);
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", "COMPLETE");
    ArrayNode results = body.putArray("results");
    addResult(results, fromId, toId, from.typeIdTo(to));
    addResult(results, toId, fromId, to.typeIdTo(from));
    body.put("startedAt", Json.timestamp(started));
    body.put("completedAt", Json.timestamp(clock.instant()));
    return new Reply(200, body);
  }

  private static void addResult(ArrayNode results, long fromId, long toId, int typeId) {
    ObjectNode result = results.addObject();
    result.putObject("from").put("id", Long.toString(fromId));
    result.putObject("to").put("id", Long.toString(toId));
    ObjectNode spec = result.putObject("associationSpec");
    spec.put("associationCategory", "HUBSPOT_DEFINED");
    spec.put("associationTypeId", typeId);
  }

  private static ObjectType type(String name) {
    ObjectType type = ObjectType.fromPath(name);
    if (type == null) {
      throw ApiError.validation("Unable to infer object type from: " + name);
    }
    return type;
  }

  private static long id(String value, String name) {
    if (!Json.isId(value)) {
      throw ApiError.validation(name + " must be a record id, was '" + value + "'");
    }
    return Long.parseLong(value);
  }
}
