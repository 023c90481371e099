package dev.crmkit.testkit.hubspot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.TreeSet;
import java.util.UUID;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okhttp3.HttpUrl;
import okio.ByteString;

/**
 * Answers HTTP requests the way HubSpot's CRM v3 contacts API does. Order per request: count it,
 * inject a pending fault, check the bearer token, take rate budget, then serve. Thread-safe: the
 * state lives in thread-safe collaborators and this class keeps none of its own.
 */
final class HubSpotDispatcher extends Dispatcher {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> PREFIX = List.of("crm", "v3", "objects", "contacts");
  private static final List<String> DEFAULT_PROPERTIES =
      List.of("createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname");
  private static final List<String> ALWAYS_RETURNED =
      List.of("createdate", "hs_object_id", "lastmodifieddate");
  private static final String NOT_AUTHENTICATED =
      "Authentication credentials not found. This API supports OAuth 2.0 authentication and you"
          + " can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview";

  private final ContactStore store;
  private final RateLimiter limiter;
  private final HubSpotFaults faults;
  private final HubSpotCounters counters;
  private final String expectedAuthorization;
  private final Clock clock;
  private final HubSpotEmulator.Limits limits;

  HubSpotDispatcher(
      ContactStore store,
      RateLimiter limiter,
      HubSpotFaults faults,
      HubSpotCounters counters,
      String accessToken,
      Clock clock,
      HubSpotEmulator.Limits limits) {
    this.store = store;
    this.limiter = limiter;
    this.faults = faults;
    this.counters = counters;
    this.expectedAuthorization = "Bearer " + accessToken;
    this.clock = clock;
    this.limits = limits;
  }

  /** A status and a JSON body, or no body when {@code body} is null. */
  private record Reply(int status, JsonNode body) {}

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    HttpUrl url = request.getUrl();
    List<String> rest = rest(url.pathSegments());
    String endpoint = endpoint(request.getMethod(), rest);
    counters.recordRequest(endpoint);
    String correlationId = UUID.randomUUID().toString();

    HubSpotFaults.Fault fault = faults.poll();
    if (fault != null) {
      return injected(fault, correlationId);
    }
    if (!expectedAuthorization.equals(request.getHeaders().get("Authorization"))) {
      ApiError error = new ApiError(401, "INVALID_AUTHENTICATION", NOT_AUTHENTICATED, Map.of());
      return respond(errorReply(error, correlationId), limiter.peek(), correlationId);
    }
    RateLimiter.Decision decision = limiter.acquire(endpoint.equals(HubSpotCounters.SEARCH));
    if (decision.rejectedBy() != null) {
      counters.recordRateLimited();
      ObjectNode body = JSON.createObjectNode();
      body.put("status", "error");
      body.put("message", decision.rejectedBy().message);
      body.put("errorType", "RATE_LIMIT");
      body.put("correlationId", correlationId);
      body.put("policyName", decision.rejectedBy().name());
      return respond(new Reply(429, body), decision, correlationId);
    }
    Reply reply;
    try {
      reply = serve(endpoint, rest, url, request.getBody());
    } catch (ApiError error) {
      reply = errorReply(error, correlationId);
    }
    return respond(reply, decision, correlationId);
  }

  private static List<String> rest(List<String> segments) {
    if (segments.size() < PREFIX.size() || !segments.subList(0, PREFIX.size()).equals(PREFIX)) {
      return null;
    }
    List<String> rest = new ArrayList<>(segments.subList(PREFIX.size(), segments.size()));
    if (!rest.isEmpty() && rest.get(rest.size() - 1).isEmpty()) {
      rest.remove(rest.size() - 1);
    }
    return rest;
  }

  private static String endpoint(String method, List<String> rest) {
    if (rest == null) {
      return HubSpotCounters.UNKNOWN;
    }
    String key = method + " /" + String.join("/", PREFIX);
    if (rest.isEmpty()) {
      return method.equals("GET") || method.equals("POST") ? key : HubSpotCounters.UNKNOWN;
    }
    if (method.equals("POST") && rest.equals(List.of("search"))) {
      return HubSpotCounters.SEARCH;
    }
    if (method.equals("POST")
        && rest.size() == 2
        && rest.get(0).equals("batch")
        && Set.of("read", "create", "update", "upsert", "archive").contains(rest.get(1))) {
      return key + "/batch/" + rest.get(1);
    }
    if (rest.size() == 1 && Set.of("GET", "PATCH", "DELETE").contains(method)) {
      return key + "/{contactId}";
    }
    return HubSpotCounters.UNKNOWN;
  }

  private Reply serve(String endpoint, List<String> rest, HttpUrl url, ByteString rawBody) {
    switch (endpoint) {
      case HubSpotCounters.LIST:
        return list(url);
      case HubSpotCounters.CREATE:
        return new Reply(201, render(store.create(properties(body(rawBody))), null));
      case HubSpotCounters.READ:
        return read(rest.get(0), url);
      case HubSpotCounters.UPDATE:
        return update(rest.get(0), url, body(rawBody));
      case HubSpotCounters.ARCHIVE:
        archive(rest.get(0));
        return new Reply(204, null);
      case HubSpotCounters.SEARCH:
        return search(body(rawBody));
      case HubSpotCounters.BATCH_READ:
        return batchRead(body(rawBody));
      case HubSpotCounters.BATCH_CREATE:
        return batchCreate(body(rawBody));
      case HubSpotCounters.BATCH_UPDATE:
        return batchUpdate(body(rawBody));
      case HubSpotCounters.BATCH_UPSERT:
        return batchUpsert(body(rawBody));
      case HubSpotCounters.BATCH_ARCHIVE:
        for (JsonNode input : inputs(body(rawBody))) {
          archive(input.path("id").asText());
        }
        return new Reply(204, null);
      default:
        throw new ApiError(
            404, "OBJECT_NOT_FOUND", "No endpoint at " + url.encodedPath(), Map.of());
    }
  }

  private Reply list(HttpUrl url) {
    int limit = intParam(url, "limit", 10, 1, limits.listPageSize());
    String after = url.queryParameter("after");
    long fromId = 0;
    if (after != null) {
      fromId = parseId(after, "after");
    }
    boolean archived = Boolean.parseBoolean(url.queryParameter("archived"));
    List<String> properties = propertiesParam(url);
    List<Contact> page = store.page(archived, fromId, limit + 1);
    ObjectNode body = JSON.createObjectNode();
    ArrayNode results = body.putArray("results");
    for (Contact contact : page.subList(0, Math.min(limit, page.size()))) {
      results.add(render(contact, properties));
    }
    if (page.size() > limit) {
      nextPage(body, Long.toString(page.get(limit).id()));
    }
    return new Reply(200, body);
  }

  private Reply read(String id, HttpUrl url) {
    boolean archived = Boolean.parseBoolean(url.queryParameter("archived"));
    Contact contact = resolve(id, url.queryParameter("idProperty"), archived);
    if (contact == null) {
      throw ApiError.notFound(id);
    }
    return new Reply(200, render(contact, propertiesParam(url)));
  }

  private Reply update(String id, HttpUrl url, JsonNode body) {
    Map<String, String> properties = properties(body);
    Contact contact = resolve(id, url.queryParameter("idProperty"), false);
    Contact updated = contact == null ? null : store.update(contact.id(), properties);
    if (updated == null) {
      throw ApiError.notFound(id);
    }
    return new Reply(200, render(updated, null));
  }

  private void archive(String id) {
    if (isId(id)) {
      store.archive(Long.parseLong(id));
    }
  }

  private Reply search(JsonNode request) {
    ContactSearch search = ContactSearch.parse(request);
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
    List<Contact> hits = search.run(store.live());
    List<String> properties = propertyList(request.path("properties"));
    int end = Math.min(Math.min(offset + limit, hits.size()), limits.searchResults());
    ObjectNode body = JSON.createObjectNode();
    body.put("total", hits.size());
    ArrayNode results = body.putArray("results");
    for (int i = Math.min(offset, end); i < end; i++) {
      results.add(render(hits.get(i), properties));
    }
    if (end < hits.size() && limit > 0) {
      nextPage(body, Integer.toString(end));
    }
    return new Reply(200, body);
  }

  private Reply batchRead(JsonNode request) {
    List<JsonNode> inputs = inputs(request);
    String idProperty = request.hasNonNull("idProperty") ? request.get("idProperty").asText() : null;
    List<String> properties = propertyList(request.path("properties"));
    Instant started = clock.instant();
    ArrayNode results = JSON.createArrayNode();
    List<String> missing = new ArrayList<>();
    for (JsonNode input : inputs) {
      String id = input.path("id").asText();
      Contact contact = resolve(id, idProperty, false);
      if (contact == null) {
        missing.add(id);
      } else {
        results.add(render(contact, properties));
      }
    }
    ArrayNode errors = JSON.createArrayNode();
    if (!missing.isEmpty()) {
      errors.add(
          batchError(
              new ApiError(
                  404,
                  "OBJECT_NOT_FOUND",
                  "Could not get some CONTACT objects, they may be deleted or not exist. Check that"
                      + " ids are valid.",
                  Map.of("ids", missing))));
    }
    return batchReply(200, started, results, errors);
  }

  private Reply batchCreate(JsonNode request) {
    List<JsonNode> inputs = inputs(request);
    Instant started = clock.instant();
    ArrayNode results = JSON.createArrayNode();
    ArrayNode errors = JSON.createArrayNode();
    for (JsonNode input : inputs) {
      Map<String, String> properties = properties(input);
      try {
        results.add(render(store.create(properties), null));
      } catch (ApiError error) {
        errors.add(batchError(withInputContext(error, input, properties)));
      }
    }
    return batchReply(201, started, results, errors);
  }

  private Reply batchUpdate(JsonNode request) {
    List<JsonNode> inputs = inputs(request);
    Set<String> seen = new HashSet<>();
    List<Map<String, String>> properties = new ArrayList<>();
    for (JsonNode input : inputs) {
      String id = input.path("id").asText();
      if (!seen.add(id)) {
        throw ApiError.validation("Duplicate IDs found in batch input: [" + id + "]. IDs must be unique");
      }
      properties.add(properties(input));
    }
    Instant started = clock.instant();
    ArrayNode results = JSON.createArrayNode();
    ArrayNode errors = JSON.createArrayNode();
    for (int i = 0; i < inputs.size(); i++) {
      JsonNode input = inputs.get(i);
      String id = input.path("id").asText();
      String idProperty = input.hasNonNull("idProperty") ? input.get("idProperty").asText() : null;
      try {
        Contact contact = resolve(id, idProperty, false);
        Contact updated = contact == null ? null : store.update(contact.id(), properties.get(i));
        if (updated == null) {
          throw ApiError.notFound(id);
        }
        results.add(render(updated, null));
      } catch (ApiError error) {
        errors.add(batchError(withInputContext(error, input, properties.get(i))));
      }
    }
    return batchReply(200, started, results, errors);
  }

  private Reply batchUpsert(JsonNode request) {
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
    ArrayNode results = JSON.createArrayNode();
    ArrayNode errors = JSON.createArrayNode();
    for (JsonNode input : inputs) {
      String email = input.path("id").asText();
      Map<String, String> properties = properties(input);
      try {
        Contact existing = store.findByEmail(email);
        ObjectNode result;
        if (existing == null) {
          Map<String, String> withEmail = new LinkedHashMap<>(properties);
          withEmail.putIfAbsent("email", email);
          result = render(store.create(withEmail), null);
          result.put("new", true);
        } else {
          Contact updated = store.update(existing.id(), properties);
          if (updated == null) {
            throw ApiError.notFound(email);
          }
          result = render(updated, null);
          result.put("new", false);
        }
        results.add(result);
      } catch (ApiError error) {
        errors.add(batchError(withInputContext(error, input, properties)));
      }
    }
    return batchReply(200, started, results, errors);
  }

  private Contact resolve(String id, String idProperty, boolean archived) {
    if (idProperty == null || idProperty.isEmpty() || idProperty.equals("hs_object_id")) {
      return isId(id) ? store.get(Long.parseLong(id), archived) : null;
    }
    if (idProperty.equals("email")) {
      return archived ? null : store.findByEmail(id);
    }
    throw ApiError.validation(
        "idProperty '" + idProperty + "' is not a unique property of contacts; use email or hs_object_id");
  }

  private static boolean isId(String id) {
    return id.matches("\\d{1,18}");
  }

  private static long parseId(String value, String name) {
    if (!isId(value)) {
      throw ApiError.validation(name + " must be a paging cursor from a previous page, was '" + value + "'");
    }
    return Long.parseLong(value);
  }

  private static JsonNode body(ByteString raw) {
    if (raw == null || raw.size() == 0) {
      throw ApiError.validation("Invalid input JSON: the request has no body");
    }
    try {
      JsonNode node = JSON.readTree(raw.toByteArray());
      if (node == null || !node.isObject()) {
        throw ApiError.validation("Invalid input JSON: the body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw ApiError.validation("Invalid input JSON: " + e.getOriginalMessage());
    } catch (java.io.IOException e) {
      throw ApiError.validation("Invalid input JSON: " + e.getMessage());
    }
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

  /** @return the "properties" object of a create or update input; values null or "" clear */
  private static Map<String, String> properties(JsonNode input) {
    JsonNode node = input.path("properties");
    if (!node.isObject()) {
      throw ApiError.validation("properties must be a JSON object of strings, was " + node);
    }
    Map<String, String> properties = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      JsonNode value = field.getValue();
      if (value.isContainerNode()) {
        throw ApiError.validation(
            "Property values must be strings; property " + field.getKey() + " was " + value);
      }
      properties.put(field.getKey(), value.isNull() ? null : value.asText());
    }
    return properties;
  }

  private static List<String> propertiesParam(HttpUrl url) {
    List<String> names = new ArrayList<>();
    for (String value : url.queryParameterValues("properties")) {
      if (value != null) {
        for (String name : value.split(",")) {
          if (!name.isBlank()) {
            names.add(name.trim());
          }
        }
      }
    }
    return names.isEmpty() ? DEFAULT_PROPERTIES : names;
  }

  private static List<String> propertyList(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> names.add(n.asText()));
    }
    return names.isEmpty() ? DEFAULT_PROPERTIES : names;
  }

  private static int intParam(HttpUrl url, String name, int fallback, int min, int max) {
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

  /** @param requested property names to show, each shown even when unset; null shows all set */
  private static ObjectNode render(Contact contact, List<String> requested) {
    ObjectNode node = JSON.createObjectNode();
    node.put("id", Long.toString(contact.id()));
    ObjectNode properties = node.putObject("properties");
    if (requested == null) {
      contact.properties().forEach(properties::put);
    } else {
      Set<String> names = new TreeSet<>(requested);
      names.addAll(ALWAYS_RETURNED);
      names.forEach(name -> properties.put(name, contact.property(name)));
    }
    node.put("createdAt", ContactStore.TIMESTAMP.format(contact.createdAt()));
    node.put("updatedAt", ContactStore.TIMESTAMP.format(contact.updatedAt()));
    node.put("archived", contact.archived());
    if (contact.archived()) {
      node.put("archivedAt", ContactStore.TIMESTAMP.format(contact.archivedAt()));
    }
    return node;
  }

  private static void nextPage(ObjectNode body, String after) {
    ObjectNode next = body.putObject("paging").putObject("next");
    next.put("after", after);
    next.put("link", "?after=" + after);
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
    ObjectNode node = JSON.createObjectNode();
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
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "COMPLETE");
    body.set("results", results);
    if (!errors.isEmpty()) {
      body.put("numErrors", errors.size());
      body.set("errors", errors);
    }
    body.put("startedAt", ContactStore.TIMESTAMP.format(started));
    body.put("completedAt", ContactStore.TIMESTAMP.format(clock.instant()));
    return new Reply(errors.isEmpty() ? successStatus : 207, body);
  }

  private static Reply errorReply(ApiError error, String correlationId) {
    ObjectNode body = JSON.createObjectNode();
    body.put("status", "error");
    body.put("message", error.getMessage());
    body.put("correlationId", correlationId);
    body.put("category", error.category);
    if (!error.context.isEmpty()) {
      ObjectNode context = body.putObject("context");
      error.context.forEach((key, values) -> values.forEach(context.withArray(key)::add));
    }
    return new Reply(error.status, body);
  }

  private MockResponse injected(HubSpotFaults.Fault fault, String correlationId) {
    switch (fault.kind()) {
      case DROP:
        return new MockResponse.Builder()
            .onResponseStart(new SocketEffect.CloseSocket(true, false, false))
            .build();
      case MALFORMED:
        return headers(new MockResponse.Builder().code(200), limiter.peek(), correlationId)
            .body("{\"id\": \"1\", \"properties\": {\"email\": ")
            .build();
      default:
        ApiError error =
            new ApiError(
                fault.status(),
                fault.status() >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR",
                "Injected fault: HTTP " + fault.status(),
                Map.of());
        return respond(errorReply(error, correlationId), limiter.peek(), correlationId);
    }
  }

  private MockResponse respond(Reply reply, RateLimiter.Decision decision, String correlationId) {
    MockResponse.Builder builder = headers(new MockResponse.Builder().code(reply.status()), decision, correlationId);
    if (reply.body() != null) {
      try {
        builder.body(JSON.writeValueAsString(reply.body()));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("a JSON tree always serializes", e);
      }
    }
    return builder.build();
  }

  private MockResponse.Builder headers(
      MockResponse.Builder builder, RateLimiter.Decision decision, String correlationId) {
    return builder
        .setHeader("Content-Type", "application/json;charset=utf-8")
        .setHeader("X-HubSpot-Correlation-Id", correlationId)
        .setHeader("X-HubSpot-RateLimit-Daily", limiter.dailyMax())
        .setHeader("X-HubSpot-RateLimit-Daily-Remaining", Math.max(0, decision.dailyRemaining()))
        .setHeader("X-HubSpot-RateLimit-Interval-Milliseconds", RateLimiter.INTERVAL.toMillis())
        .setHeader("X-HubSpot-RateLimit-Max", limiter.tenSecondlyMax())
        .setHeader("X-HubSpot-RateLimit-Remaining", Math.max(0, decision.remaining()));
  }
}
