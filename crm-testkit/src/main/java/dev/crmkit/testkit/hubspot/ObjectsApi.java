package dev.crmkit.testkit.hubspot;

import static dev.crmkit.testkit.hubspot.Json.MAPPER;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * HubSpot's CRM v3 objects API for every {@link ObjectType}: list, create (with associations),
 * read, update, archive, search, batch read/create/update/archive, and for contacts batch upsert,
 * merge and GDPR delete. Every change goes through {@link CrmState} as an {@link
 * ChangeSource#INTEGRATION} change. Thread-safe: it keeps no state of its own.
 */
final class ObjectsApi {
  private static final ChangeSource SOURCE = ChangeSource.INTEGRATION;

  private final CrmState state;
  private final Clock clock;
  private final HubSpotEmulator.Limits limits;
  private final boolean archivedListWithoutArchiveFields;

  /** @param archivedListWithoutArchiveFields see {@link HubSpotEmulator.Builder#archivedListWithoutArchiveFields} */
  ObjectsApi(CrmState state, Clock clock, HubSpotEmulator.Limits limits, boolean archivedListWithoutArchiveFields) {
    this.state = state;
    this.clock = clock;
    this.limits = limits;
    this.archivedListWithoutArchiveFields = archivedListWithoutArchiveFields;
  }

  Reply serve(Route route, HttpUrl url, ByteString rawBody) {
    ObjectType type = route.type();
    switch (route.op()) {
      case LIST:
        return list(type, url);
      case CREATE:
        return new Reply(201, create(type, Json.body(rawBody)));
      case READ:
        return read(type, route.params().get(0), url);
      case UPDATE:
        return update(type, route.params().get(0), url, Json.body(rawBody));
      case ARCHIVE:
        archive(type, route.params().get(0));
        return new Reply(204, null);
      case SEARCH:
        return search(type, Json.body(rawBody));
      case BATCH_READ:
        return batchRead(type, Json.body(rawBody));
      case BATCH_CREATE:
        return batchCreate(type, Json.body(rawBody));
      case BATCH_UPDATE:
        return batchUpdate(type, Json.body(rawBody));
      case BATCH_UPSERT:
        return batchUpsert(Json.body(rawBody));
      case BATCH_ARCHIVE:
        for (JsonNode input : inputs(Json.body(rawBody))) {
          archive(type, input.path("id").asText());
        }
        return new Reply(204, null);
      case MERGE:
        return merge(Json.body(rawBody));
      case GDPR_DELETE:
        return gdprDelete(Json.body(rawBody));
      default:
        throw new IllegalArgumentException("not an objects API route: " + route);
    }
  }

  private ObjectStore store(ObjectType type) {
    return state.store(type);
  }

  private ObjectNode create(ObjectType type, JsonNode input) {
    Map<String, String> properties = Json.properties(input);
    return Json.render(type, state.create(type, properties, associationInputs(input), SOURCE), null);
  }

  private static List<CrmState.AssociationInput> associationInputs(JsonNode input) {
    JsonNode node = input.path("associations");
    List<CrmState.AssociationInput> links = new ArrayList<>();
    if (node.isMissingNode() || node.isNull()) {
      return links;
    }
    if (!node.isArray()) {
      throw ApiError.validation("associations must be an array of {to: {id}, types: [...]}, was " + node);
    }
    for (JsonNode association : node) {
      JsonNode types = association.path("types");
      if (!types.isArray() || types.isEmpty()) {
        throw ApiError.validation("an association needs a non-empty types array: " + association);
      }
      String toId = association.path("to").path("id").asText(null);
      for (JsonNode t : types) {
        if (!t.path("associationTypeId").canConvertToInt()) {
          throw ApiError.validation("associationTypeId must be an integer: " + t);
        }
        links.add(new CrmState.AssociationInput(
            toId, t.path("associationCategory").asText(""), t.path("associationTypeId").asInt()));
      }
    }
    return links;
  }

  private Reply list(ObjectType type, HttpUrl url) {
    int limit = intParam(url, "limit", 10, 1, limits.listPageSize());
    String after = url.queryParameter("after");
    long fromId = 0;
    if (after != null) {
      fromId = parseId(after, "after");
    }
    boolean archived = Boolean.parseBoolean(url.queryParameter("archived"));
    List<String> properties = propertiesParam(type, url);
    List<ObjectType> associated = associationsParam(type, url);
    List<CrmObject> page = store(type).page(archived, fromId, limit + 1);
    ObjectNode body = MAPPER.createObjectNode();
    ArrayNode results = body.putArray("results");
    for (CrmObject object : page.subList(0, Math.min(limit, page.size()))) {
      ObjectNode node = Json.render(type, object, properties);
      if (archived && archivedListWithoutArchiveFields) {
        node.remove("archivedAt");
        node.remove("archived");
      }
      results.add(withAssociations(type, object, node, associated));
    }
    if (page.size() > limit) {
      Json.nextPage(body, Long.toString(page.get(limit).id()));
    }
    return new Reply(200, body);
  }

  private Reply read(ObjectType type, String id, HttpUrl url) {
    boolean archived = Boolean.parseBoolean(url.queryParameter("archived"));
    CrmObject object = resolve(type, id, url.queryParameter("idProperty"), archived);
    if (object == null) {
      throw ApiError.notFound(id);
    }
    ObjectNode body = Json.render(type, object, propertiesParam(type, url));
    return new Reply(200, withAssociations(type, object, body, associationsParam(type, url)));
  }

  private Reply update(ObjectType type, String id, HttpUrl url, JsonNode body) {
    Map<String, String> properties = Json.properties(body);
    CrmObject object = resolve(type, id, url.queryParameter("idProperty"), false);
    CrmObject updated = object == null ? null : state.update(type, object.id(), properties, SOURCE);
    if (updated == null) {
      throw ApiError.notFound(id);
    }
    return new Reply(200, Json.render(type, updated, null));
  }

  private void archive(ObjectType type, String id) {
    if (Json.isId(id)) {
      state.archive(type, Long.parseLong(id), SOURCE);
    }
  }

  private Reply search(ObjectType type, JsonNode request) {
    ObjectSearch search = ObjectSearch.parse(request, type, state.associations());
    JsonNode limitNode = request.path("limit");
    int limit = limitNode.isMissingNode() || limitNode.isNull() ? 10 : limitNode.asInt(-1);
    if (!limitNode.isMissingNode() && !limitNode.isNull() && !limitNode.canConvertToInt()
        || limit < 0
        || limit > limits.searchPageSize()) {
      throw ApiError.validation(
          "limit must be from 0 to " + limits.searchPageSize() + ", was " + limitNode);
    }
    JsonNode afterNode = request.path("after");
    int offset = 0;
    if (!afterNode.isMissingNode() && !afterNode.isNull() && !afterNode.asText().isEmpty()) {
      String after = afterNode.asText();
      if (!after.matches("\\d{1,9}")) {
        throw ApiError.validation("after must be a paging cursor from a previous page, was '" + after + "'");
      }
      offset = Integer.parseInt(after);
    }
    if (offset >= limits.searchResults()) {
      throw ApiError.validation(
          "Search results are limited to "
              + limits.searchResults()
              + " per query; after="
              + offset
              + " asks for results beyond that. Narrow the filters instead of paging further.");
    }
    List<CrmObject> hits = search.run(store(type).live());
    List<String> properties = propertyList(type, request.path("properties"));
    int end = Math.min(Math.min(offset + limit, hits.size()), limits.searchResults());
    ObjectNode body = MAPPER.createObjectNode();
    body.put("total", hits.size());
    ArrayNode results = body.putArray("results");
    for (int i = Math.min(offset, end); i < end; i++) {
      results.add(Json.render(type, hits.get(i), properties));
    }
    if (end < hits.size() && limit > 0) {
      Json.nextPage(body, Integer.toString(end));
    }
    return new Reply(200, body);
  }

  private Reply batchRead(ObjectType type, JsonNode request) {
    List<JsonNode> inputs = inputs(request);
    String idProperty = request.hasNonNull("idProperty") ? request.get("idProperty").asText() : null;
    List<String> properties = propertyList(type, request.path("properties"));
    Instant started = clock.instant();
    ArrayNode results = MAPPER.createArrayNode();
    List<String> missing = new ArrayList<>();
    for (JsonNode input : inputs) {
      String id = input.path("id").asText();
      CrmObject object = resolve(type, id, idProperty, false);
      if (object == null) {
        missing.add(id);
      } else {
        results.add(Json.render(type, object, properties));
      }
    }
    ArrayNode errors = MAPPER.createArrayNode();
    if (!missing.isEmpty()) {
      errors.add(
          batchError(
              new ApiError(
                  404,
                  "OBJECT_NOT_FOUND",
                  "Could not get some " + type.singular + " objects, they may be deleted or not exist. Check that"
                      + " ids are valid.",
                  Map.of("ids", missing))));
    }
    return batchReply(200, started, results, errors);
  }

  private Reply batchCreate(ObjectType type, JsonNode request) {
    List<JsonNode> inputs = inputs(request);
    Instant started = clock.instant();
    ArrayNode results = MAPPER.createArrayNode();
    ArrayNode errors = MAPPER.createArrayNode();
    for (JsonNode input : inputs) {
      Map<String, String> properties = Json.properties(input);
      try {
        results.add(create(type, input));
      } catch (ApiError error) {
        errors.add(batchError(withInputContext(error, input, properties)));
      }
    }
    return batchReply(201, started, results, errors);
  }

  private Reply batchUpdate(ObjectType type, JsonNode request) {
    List<JsonNode> inputs = inputs(request);
    Set<String> seen = new HashSet<>();
    List<Map<String, String>> properties = new ArrayList<>();
    for (JsonNode input : inputs) {
      String id = input.path("id").asText();
      if (!seen.add(id)) {
        throw ApiError.validation("Duplicate IDs found in batch input: [" + id + "]. IDs must be unique");
      }
      properties.add(Json.properties(input));
    }
    Instant started = clock.instant();
    ArrayNode results = MAPPER.createArrayNode();
    ArrayNode errors = MAPPER.createArrayNode();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode input = inputs.get(i);
      String id = input.path("id").asText();
      String idProperty = input.hasNonNull("idProperty") ? input.get("idProperty").asText() : null;
      try {
        CrmObject object = resolve(type, id, idProperty, false);
        CrmObject updated = object == null ? null : state.update(type, object.id(), properties.get(i), SOURCE);
        if (updated == null) {
          throw ApiError.notFound(id);
        }
        results.add(Json.render(type, updated, null));
      } catch (ApiError error) {
        errors.add(batchError(withInputContext(error, input, properties.get(i))));
      }
    }
    return batchReply(200, started, results, errors);
  }

  private Reply batchUpsert(JsonNode request) {
    ObjectType type = ObjectType.CONTACTS;
    List<JsonNode> inputs = inputs(request);
    for (JsonNode input : inputs) {
      String idProperty = input.path("idProperty").asText("");
      if (!idProperty.equals("email")) {
        throw ApiError.validation(
            "Upsert needs idProperty 'email', the unique property of contacts, was '"
                + idProperty
                + "'");
      }
    }
    Instant started = clock.instant();
    ArrayNode results = MAPPER.createArrayNode();
    ArrayNode errors = MAPPER.createArrayNode();
    for (JsonNode input : inputs) {
      String email = input.path("id").asText();
      Map<String, String> properties = Json.properties(input);
      try {
        CrmObject existing = store(type).findByEmail(email);
        ObjectNode result;
        if (existing == null) {
          Map<String, String> withEmail = new LinkedHashMap<>(properties);
          withEmail.putIfAbsent("email", email);
          result = Json.render(type, state.create(type, withEmail, List.of(), SOURCE), null);
          result.put("new", true);
        } else {
          CrmObject updated = state.update(type, existing.id(), properties, SOURCE);
          if (updated == null) {
            throw ApiError.notFound(email);
          }
          result = Json.render(type, updated, null);
          result.put("new", false);
        }
        results.add(result);
      } catch (ApiError error) {
        errors.add(batchError(withInputContext(error, input, properties)));
      }
    }
    return batchReply(200, started, results, errors);
  }

  private Reply merge(JsonNode request) {
    String primary = request.path("primaryObjectId").asText("");
    String merged = request.path("objectIdToMerge").asText("");
    if (!Json.isId(primary)) {
      throw ApiError.validation("primaryObjectId must be a contact id, was '" + primary + "'");
    }
    if (!Json.isId(merged)) {
      throw ApiError.validation("objectIdToMerge must be a contact id, was '" + merged + "'");
    }
    CrmObject survivor = state.merge(Long.parseLong(primary), Long.parseLong(merged), SOURCE);
    return new Reply(200, Json.render(ObjectType.CONTACTS, survivor, null));
  }

  private Reply gdprDelete(JsonNode request) {
    String objectId = request.path("objectId").asText("");
    String idProperty = request.hasNonNull("idProperty") ? request.get("idProperty").asText() : null;
    CrmObject contact = resolve(ObjectType.CONTACTS, objectId, idProperty, false);
    if (contact == null && Json.isId(objectId)) {
      contact = store(ObjectType.CONTACTS).get(Long.parseLong(objectId), true);
    }
    if (contact == null) {
      throw ApiError.notFound(objectId);
    }
    state.gdprDelete(contact.id(), SOURCE);
    return new Reply(204, null);
  }

  private CrmObject resolve(ObjectType type, String id, String idProperty, boolean archived) {
    if (idProperty == null || idProperty.isEmpty() || idProperty.equals("hs_object_id")) {
      return Json.isId(id) ? store(type).get(Long.parseLong(id), archived) : null;
    }
    if (idProperty.equals("email") && type == ObjectType.CONTACTS) {
      return archived ? null : store(type).findByEmail(id);
    }
    throw ApiError.validation(
        "idProperty '" + idProperty + "' is not a unique property of " + type.path
            + (type == ObjectType.CONTACTS ? "; use email or hs_object_id" : "; use hs_object_id"));
  }

  private ObjectNode withAssociations(ObjectType type, CrmObject object, ObjectNode node, List<ObjectType> toTypes) {
    if (toTypes.isEmpty()) {
      return node;
    }
    ObjectNode associations = MAPPER.createObjectNode();
    for (ObjectType to : toTypes) {
      List<Associations.Link> links = state.associations().links(type, object.id(), to);
      if (!links.isEmpty()) {
        ArrayNode results = associations.putObject(to.path).putArray("results");
        String name = type.singular.toLowerCase(java.util.Locale.ROOT) + "_to_" + to.singular.toLowerCase(java.util.Locale.ROOT);
        for (Associations.Link link : links) {
          ObjectNode result = results.addObject();
          result.put("id", Long.toString(link.toId()));
          result.put("type", name);
        }
      }
    }
    if (!associations.isEmpty()) {
      node.set("associations", associations);
    }
    return node;
  }

  private static List<ObjectType> associationsParam(ObjectType type, HttpUrl url) {
    List<ObjectType> types = new ArrayList<>();
    for (String name : commaSeparated(url.queryParameterValues("associations"))) {
      ObjectType to = ObjectType.fromPath(name);
      if (to == null || type.typeIdTo(to) == 0) {
        throw ApiError.validation("associations: " + type.path + " have no associations to '" + name + "'");
      }
      types.add(to);
    }
    return types;
  }

  private static List<String> commaSeparated(List<String> values) {
    List<String> names = new ArrayList<>();
    for (String value : values) {
      if (value != null) {
        for (String name : value.split(",")) {
          if (!name.isBlank()) {
            names.add(name.trim());
          }
        }
      }
    }
    return names;
  }

  private static long parseId(String value, String name) {
    if (!Json.isId(value)) {
      throw ApiError.validation(name + " must be a paging cursor from a previous page, was '" + value + "'");
    }
    return Long.parseLong(value);
  }

  private List<JsonNode> inputs(JsonNode request) {
    JsonNode inputs = request.path("inputs");
    if (!inputs.isArray()) {
      throw ApiError.validation("inputs must be an array, was " + inputs);
    }
    if (inputs.size() > limits.batchInputs()) {
      throw new ApiError(
          400,
          "VALIDATION_ERROR",
          "Batch inputs are limited to "
              + limits.batchInputs()
              + "; this request has "
              + inputs.size(),
          Map.of("inputs", List.of(Integer.toString(inputs.size()))));
    }
    List<JsonNode> list = new ArrayList<>(inputs.size());
    inputs.forEach(list::add);
    return list;
  }

  private static List<String> propertiesParam(ObjectType type, HttpUrl url) {
    List<String> names = commaSeparated(url.queryParameterValues("properties"));
    return names.isEmpty() ? type.defaultProperties() : names;
  }

  private static List<String> propertyList(ObjectType type, JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> names.add(n.asText()));
    }
    return names.isEmpty() ? type.defaultProperties() : names;
  }

  static int intParam(HttpUrl url, String name, int fallback, int min, int max) {
    String value = url.queryParameter(name);
    if (value == null) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      parsed = Integer.MIN_VALUE;
    }
    if (parsed < min || parsed > max) {
      throw ApiError.validation(name + " must be from " + min + " to " + max + ", was '" + value + "'");
    }
    return parsed;
  }

  private static ApiError withInputContext(ApiError error, JsonNode input, Map<String, String> properties) {
    Map<String, List<String>> context = new LinkedHashMap<>(error.context);
    if (input.hasNonNull("id")) {
      context.putIfAbsent("ids", List.of(input.get("id").asText()));
    }
    if (input.hasNonNull("objectWriteTraceId")) {
      context.put("objectWriteTraceId", List.of(input.get("objectWriteTraceId").asText()));
    }
    String email = properties.get("email");
    if (email != null) {
      context.putIfAbsent("email", List.of(email));
    }
    return new ApiError(error.status, error.category, error.getMessage(), context);
  }

  private static ObjectNode batchError(ApiError error) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("status", "error");
    node.put("category", error.category);
    node.put("message", error.getMessage());
    ObjectNode context = node.putObject("context");
    error.context.forEach((key, values) -> values.forEach(context.withArray(key)::add));
    node.putArray("errors");
    node.putObject("links");
    return node;
  }

  private Reply batchReply(int successStatus, Instant started, ArrayNode results, ArrayNode errors) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", "COMPLETE");
    body.set("results", results);
    if (!errors.isEmpty()) {
      body.put("numErrors", errors.size());
      body.set("errors", errors);
    }
    body.put("startedAt", Json.timestamp(started));
    body.put("completedAt", Json.timestamp(clock.instant()));
    return new Reply(errors.isEmpty() ? successStatus : 207, body);
  }
}
